"""Reading the catalog: the public list and detail, the version in force, the export document."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from core.exceptions import NotFound
from procedures.models import Agency, Field, Procedure, ProcedureVersion, Step


def version_in_force(*, procedure: Procedure, at: dt.datetime) -> ProcedureVersion | None:
    """The version a dossier received at ``at`` is processed under: the newest one effective then."""
    return (
        ProcedureVersion.objects.filter(procedure=procedure, effective_from__lte=at)
        .order_by("-effective_from", "-number")
        .first()
    )


def procedure_list(
    *, search: str = "", field: str = "", level: str = "", agency: str = ""
) -> QuerySet[Procedure]:
    """Active procedures with a current version, for the public catalog; one query per page.

    ``agency`` (a code) matches the receiving agency or any agency handling a step of the current
    version, so a department finds the inter-agency procedures it takes part in.
    """
    qs = (
        Procedure.objects.filter(active=True, current_version__isnull=False)
        .select_related("field", "receiving_agency", "current_version")
        .order_by("code")
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(level=level)
    if agency:
        handles_a_step = Step.objects.filter(version=OuterRef("current_version"), agency__code=agency)
        qs = qs.filter(Q(receiving_agency__code=agency) | Exists(handles_a_step))
    return qs


def procedure_get(*, code: str) -> Procedure:
    """An active procedure with its current version's documents and steps; three queries."""
    procedure = (
        Procedure.objects.filter(code=code, active=True, current_version__isnull=False)
        .select_related("field", "receiving_agency", "current_version")
        .prefetch_related(
            "current_version__documents",
            Prefetch("current_version__steps", queryset=Step.objects.select_related("agency")),
        )
        .first()
    )
    if procedure is None:
        raise NotFound(f"Không tìm thấy thủ tục {code}.", code="procedure_not_found")
    return procedure


def catalog_export() -> dict:
    """The whole catalog as the reference JSON document (current versions only).

    Optional keys are written only when they differ from their default (``parent``, ``active``,
    ``parallel_group``), so the output reads like a hand-written file; importing it back into an
    empty database and exporting again gives the same document.
    """
    agencies = []
    for agency in Agency.objects.select_related("parent").order_by("code"):
        item = {"code": agency.code, "name": agency.name, "level": agency.level}
        if agency.parent_id:
            item["parent"] = agency.parent.code
        if not agency.active:
            item["active"] = False
        agencies.append(item)
    fields = [{"code": f.code, "name": f.name} for f in Field.objects.order_by("code")]
    procedures = []
    queryset = (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("field", "receiving_agency", "current_version")
        .prefetch_related(
            "current_version__documents",
            Prefetch("current_version__steps", queryset=Step.objects.select_related("agency")),
        )
        .order_by("code")
    )
    for procedure in queryset:
        version = procedure.current_version
        item = {
            "code": procedure.code,
            "name": procedure.name,
            "field": procedure.field.code,
            "level": procedure.level,
            "receiving_agency": procedure.receiving_agency.code,
        }
        if not procedure.active:
            item["active"] = False
        item.update(
            {
                "legal_duration": {
                    "value": version.legal_duration_value,
                    "unit": version.legal_duration_unit,
                },
                "committed_duration": {
                    "value": version.committed_duration_value,
                    "unit": version.committed_duration_unit,
                },
                "fee": version.fee,
                "online_level": version.online_level,
                "supplement_mode": version.supplement_mode,
                "legal_basis": version.legal_basis,
                "documents": [
                    {"name": d.name, "kind": d.kind, "count": d.count}
                    for d in sorted(version.documents.all(), key=lambda d: d.order)
                ],
                "steps": [_step_item(s) for s in sorted(version.steps.all(), key=lambda s: s.order)],
            }
        )
        procedures.append(item)
    return {"agencies": agencies, "fields": fields, "procedures": procedures}


def _step_item(step: Step) -> dict:
    item = {
        "name": step.name,
        "agency": step.agency.code,
        "role": step.role,
        "budget_hours": step.budget_hours,
    }
    if step.parallel_group:
        item["parallel_group"] = step.parallel_group
    return item


def version_is_used(*, version: ProcedureVersion) -> bool:
    """Whether a dossier was received under this version (then it must never change)."""
    return _dossiers().filter(version=version).exists()


def version_used_flag() -> Exists:
    """``Exists`` of a dossier received under the outer version, to annotate a version queryset."""
    return Exists(_dossiers().filter(version=OuterRef("pk")))


def _dossiers() -> QuerySet:
    """Dossiers, reached through the reverse relation of ``Dossier.version``: the catalog never
    imports the workflow built on it (import-linter contract in pyproject.toml)."""
    return ProcedureVersion.dossier_set.rel.related_model._default_manager.all()
