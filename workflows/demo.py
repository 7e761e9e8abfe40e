"""Demo staff for the demo catalog: one user per role at the agencies that receive or process.

Usernames are ``<role>_<agency code in lower case, dots as underscores>`` (for example
``reception_000_00_31_h57``) and ``supervisor``; every demo password is ``demo1234``.
"""

from procedures.models import Agency, Procedure, Step

from .staff import staff_upsert

DEMO_PASSWORD = "demo1234"
MAX_AGENCIES = 4


def username_for(role: str, agency: Agency) -> str:
    return f"{role}_{agency.code.lower().replace('.', '_')}"


def load(stdout) -> list[str]:
    receiving = list(
        Agency.objects.filter(pk__in=Procedure.objects.values("receiving_agency")).order_by("code")[
            :MAX_AGENCIES
        ]
    )
    processing = list(
        Agency.objects.filter(pk__in=Step.objects.values("agency")).order_by("code")[:MAX_AGENCIES]
    )
    if not receiving and not processing:
        return []
    wanted = [("reception", agency) for agency in receiving]
    for agency in processing:
        wanted += [("specialist", agency), ("head", agency)]
    lines = []
    for role, agency in wanted:
        username = username_for(role, agency)
        _upsert_once(username, agency.code, role)
        lines.append(f"{role:<11} {username} / {DEMO_PASSWORD}   ({agency.name})")
    home = (receiving or processing)[0]
    _upsert_once("supervisor", home.code, "supervisor")
    lines.append(f"{'supervisor':<11} supervisor / {DEMO_PASSWORD}   (mọi cơ quan)")
    return lines


def _upsert_once(username: str, agency_code: str, role: str) -> None:
    """Idempotent: an existing demo user keeps its password, agency and roles."""
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username=username).exists():
        staff_upsert(username=username, password=DEMO_PASSWORD, agency_code=agency_code, roles=[role])
