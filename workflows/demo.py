"""Demo staff for the demo catalog: one user per role at the agencies that receive or process.

Usernames are ``<role>_<agency code in lower case, dots as underscores>`` (for example
``reception_000_00_31_h57``) and ``supervisor``; every demo password is ``demo1234``.
"""

from procedures.models import Agency, Procedure, Step

from .staff import staff_upsert

DEMO_PASSWORD = "demo1234"


def username_for(role: str, agency: Agency) -> str:
    return f"{role}_{agency.code.lower().replace('.', '_')}"


def load(stdout) -> list[str]:
    """Reception at every receiving agency, a specialist and a head at every agency with steps, so
    every demo procedure can be walked end to end; one line per agency on the console."""
    receiving = set(Procedure.objects.values_list("receiving_agency", flat=True))
    processing = set(Step.objects.values_list("agency", flat=True))
    agencies = Agency.objects.filter(pk__in=receiving | processing).order_by("code")
    if not agencies:
        return []
    lines = [f"staff      password {DEMO_PASSWORD} for every account below"]
    for agency in agencies:
        roles = (["reception"] if agency.pk in receiving else []) + (
            ["specialist", "head"] if agency.pk in processing else []
        )
        names = []
        for role in roles:
            username = username_for(role, agency)
            _upsert_once(username, agency.code, role)
            names.append(username)
        lines.append(f"  {agency.name}: {', '.join(names)}")
    _upsert_once("supervisor", agencies[0].code, "supervisor")
    lines.append("  Quản lý Một cửa (mọi cơ quan): supervisor")
    return lines


def _upsert_once(username: str, agency_code: str, role: str) -> None:
    """Idempotent: an existing demo user keeps its password, agency and roles."""
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username=username).exists():
        staff_upsert(username=username, password=DEMO_PASSWORD, agency_code=agency_code, roles=[role])
