"""Procedure versions: their versioned content and its hash, and the admin's edits (a clone for a
version that dossiers already use, finalising a saved one). Re-exported by ``procedures.services``."""

import datetime as dt
import hashlib
import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from procedures.models import Procedure, ProcedureVersion, RequiredDocument, Step
from procedures.stages import stage_numbers


def version_content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON of a version's content (the dict ``version_content`` returns)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _content_of(procedure: dict) -> dict:
    """The versioned part of a normalised procedure dict; its hash decides whether a version is new."""
    return {
        "legal_duration": procedure["legal_duration"],
        "committed_duration": procedure["committed_duration"],
        "fee": procedure["fee"],
        "online_level": procedure["online_level"],
        "supplement_mode": procedure["supplement_mode"],
        "legal_basis": procedure["legal_basis"],
        "documents": procedure["documents"],
        "steps": procedure["steps"],
    }


def version_content(version: ProcedureVersion) -> dict:
    """The versioned content of a saved version, in the same shape as the import document."""
    return {
        "legal_duration": {"value": version.legal_duration_value, "unit": version.legal_duration_unit},
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
        "steps": [
            {
                "name": s.name,
                "agency": s.agency.code,
                "role": s.role,
                "budget_hours": s.budget_hours,
                "parallel_group": s.parallel_group,
            }
            for s in sorted(version.steps.all(), key=lambda s: s.order)
        ],
    }


@transaction.atomic
def version_clone(
    *, version: ProcedureVersion, effective_from: dt.datetime | None = None
) -> ProcedureVersion:
    """Copy a version into a new, editable one (number + 1) and make it the procedure's current one.

    The way to change a version that dossiers already use: they keep the old one.
    """
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    clone = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        effective_from=effective_from or timezone.now(),
        legal_duration_value=version.legal_duration_value,
        legal_duration_unit=version.legal_duration_unit,
        committed_duration_value=version.committed_duration_value,
        committed_duration_unit=version.committed_duration_unit,
        fee=version.fee,
        online_level=version.online_level,
        supplement_mode=version.supplement_mode,
        legal_basis=version.legal_basis,
        content_hash=version.content_hash,
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(version=clone, order=d.order, name=d.name, kind=d.kind, count=d.count)
        for d in version.documents.all()
    )
    Step.objects.bulk_create(
        Step(
            version=clone,
            order=s.order,
            stage=s.stage,
            name=s.name,
            agency_id=s.agency_id,
            role=s.role,
            budget_hours=s.budget_hours,
            parallel_group=s.parallel_group,
        )
        for s in version.steps.all()
    )
    procedure.current_version = clone
    procedure.save(update_fields=["current_version", "updated_at"])
    return clone


@transaction.atomic
def version_finalize(*, version: ProcedureVersion) -> ProcedureVersion:
    """After the admin saved a version and its inlines: derive step stages and the content hash,
    and make the newest version of the procedure its current one."""
    steps = list(version.steps.select_related("agency").order_by("order"))
    for step, stage in zip(steps, stage_numbers(steps), strict=True):
        step.stage = stage
    Step.objects.bulk_update(steps, ["stage"])
    version.content_hash = version_content_hash(version_content(version))
    version.save(update_fields=["content_hash"])
    newest = version.procedure.versions.order_by("-number").first()
    if version.procedure.current_version_id != newest.id:
        version.procedure.current_version = newest
        version.procedure.save(update_fields=["current_version", "updated_at"])
    return version


def version_next_number(*, procedure: Procedure) -> int:
    return (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
