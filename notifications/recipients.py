"""Who hears about a deadline: staff looked up in bulk (one query per role), never per row."""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from core.roles import Role


def staff_by_agency(*, role: str, agency_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """Active users holding ``role`` in each agency: ``{agency_id: [(user_id, email), ...]}``."""
    agency_ids = set(agency_ids)
    if not agency_ids:
        return {}
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role, staff__agency_id__in=agency_ids)
        .values_list("staff__agency_id", "id", "email")
        .order_by("id")
        .distinct()
    )
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for agency_id, user_id, email in rows:
        found[agency_id].append((user_id, email))
    return found


def supervisors(
    *, agency_ids: Iterable[int]
) -> tuple[dict[int, list[tuple[int, str]]], list[tuple[int, str]]]:
    """Supervisors per agency, and province-wide supervisors (no staff profile) who see every agency."""
    per_agency = staff_by_agency(role=Role.SUPERVISOR, agency_ids=agency_ids)
    everywhere = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SUPERVISOR, staff__isnull=True)
        .values_list("id", "email")
        .order_by("id")
        .distinct()
    )
    return per_agency, everywhere
