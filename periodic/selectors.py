"""Reads of the stored packages: who sees which (the agencies from ``report_agency_ids``)."""

from collections.abc import Sequence

from django.db.models import QuerySet

from .models import PeriodicPackage


def visible_packages(agency_ids: Sequence[int] | None) -> QuerySet:
    """Every package (None: supervisors, admins) or the agencies' own; without the file bytes."""
    qs = PeriodicPackage.objects.select_related("agency").defer("xlsx", "pdf", "figures")
    if agency_ids is not None:
        qs = qs.filter(scope__in=[f"agency:{pk}" for pk in agency_ids])
    return qs
