"""Writing the catalog: validate a whole document first, then save it with versioning.

The document is the reference JSON form (``agencies``, ``fields``, ``procedures``; see the README,
"Procedure catalog"). Every problem is collected with its path before anything is written, and
the whole import runs in one transaction, so a file is imported completely or not at all.

Versioning: the versioned content of a procedure (durations, fee, online level, supplement mode,
legal basis, documents, steps) is hashed. The same hash as the current version changes nothing;
a different hash creates a new ``ProcedureVersion`` and makes it current. Versions are never
edited here, because dossiers keep the version they were received under. Identity fields (name,
field, level, receiving agency, active) are updated in place.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from procedures.catalog_checks import (
    CatalogInvalid,
    Problem,
    _check_document,
    budget_problems,
    catalog_problems,
    duration_problems,
)
from procedures.models import (
    IN_FORCE_FROM_THE_BEGINNING,
    Agency,
    Field,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    Step,
)
from procedures.stages import stage_numbers
from procedures.versions import (
    _content_of,
    version_clone,
    version_content,
    version_content_hash,
    version_finalize,
    version_next_number,
)

ProgressCallback = Callable[[int, int], None]


@dataclass
class ImportResult:
    agencies_created: int = 0
    agencies_updated: int = 0
    fields_created: int = 0
    fields_updated: int = 0
    procedures_created: int = 0
    procedures_updated: int = 0
    versions_created: int = 0
    procedures_unchanged: int = 0
    new_versions: list[str] = field(default_factory=list)
    # The instants the created versions were dated with (None: no such version was created).
    first_versions_from: dt.datetime | None = None
    later_versions_from: dt.datetime | None = None

    @property
    def changed(self) -> bool:
        return bool(
            self.agencies_created
            or self.agencies_updated
            or self.fields_created
            or self.fields_updated
            or self.procedures_created
            or self.procedures_updated
            or self.versions_created
        )

    def summary(self) -> str:
        return (
            f"cơ quan: {self.agencies_created} mới, {self.agencies_updated} cập nhật; "
            f"lĩnh vực: {self.fields_created} mới, {self.fields_updated} cập nhật; "
            f"thủ tục: {self.procedures_created} mới, {self.procedures_updated} cập nhật thông tin, "
            f"{self.versions_created} phiên bản mới, {self.procedures_unchanged} không đổi"
        )

    def dates_used(self) -> list[str]:
        """One line per kind of version created, with the date it takes effect from."""
        pairs = (
            ("phiên bản đầu tiên", self.first_versions_from),
            ("phiên bản mới", self.later_versions_from),
        )
        return [f"{label} có hiệu lực từ: {describe_effective_from(at)}" for label, at in pairs if at]


def describe_effective_from(moment: dt.datetime) -> str:
    if moment == IN_FORCE_FROM_THE_BEGINNING:
        return "luôn luôn (không giới hạn thời điểm bắt đầu)"
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"


def parse_effective_from(value: str | None) -> dt.datetime | None:
    """``YYYY-MM-DD`` (midnight on the office clock) or an ISO 8601 instant; raise ValueError."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} không phải ngày (YYYY-MM-DD) hoặc thời điểm ISO 8601")
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if moment is None:
        if day is None:
            raise ValueError(f"{value!r} không phải ngày (YYYY-MM-DD) hoặc thời điểm ISO 8601")
        moment = dt.datetime.combine(day, dt.time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


# --- saving --------------------------------------------------------------------------------------


def _save_agencies(agencies: list[dict], result: ImportResult) -> None:
    if not agencies:
        return
    existing = {a.code: a for a in Agency.objects.filter(code__in=[a["code"] for a in agencies])}
    for spec in agencies:
        agency = existing.get(spec["code"])
        if agency is None:
            existing[spec["code"]] = Agency.objects.create(
                code=spec["code"], name=spec["name"], level=spec["level"], active=spec["active"]
            )
            result.agencies_created += 1
        elif (agency.name, agency.level, agency.active) != (spec["name"], spec["level"], spec["active"]):
            agency.name, agency.level, agency.active = spec["name"], spec["level"], spec["active"]
            agency.save(update_fields=["name", "level", "active"])
            result.agencies_updated += 1
    parents = {a["parent"] for a in agencies if a["parent"]} - set(existing)
    ids = {code: a.id for code, a in existing.items()}
    ids.update(Agency.objects.filter(code__in=parents).values_list("code", "id"))
    for spec in agencies:
        agency = existing[spec["code"]]
        parent_id = ids[spec["parent"]] if spec["parent"] else None
        if agency.parent_id != parent_id:
            agency.parent_id = parent_id
            agency.save(update_fields=["parent"])


def _save_fields(fields: list[dict], result: ImportResult) -> None:
    existing = {f.code: f for f in Field.objects.filter(code__in=[f["code"] for f in fields])}
    for spec in fields:
        current = existing.get(spec["code"])
        if current is None:
            Field.objects.create(code=spec["code"], name=spec["name"])
            result.fields_created += 1
        elif current.name != spec["name"]:
            current.name = spec["name"]
            current.save(update_fields=["name"])
            result.fields_updated += 1


def _create_version(
    *,
    procedure: Procedure,
    spec: dict,
    number: int,
    effective_from: dt.datetime,
    agency_ids: dict,
    content_hash: str,
) -> ProcedureVersion:
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        effective_from=effective_from,
        legal_duration_value=spec["legal_duration"]["value"],
        legal_duration_unit=spec["legal_duration"]["unit"],
        committed_duration_value=spec["committed_duration"]["value"],
        committed_duration_unit=spec["committed_duration"]["unit"],
        fee=spec["fee"],
        online_level=spec["online_level"],
        supplement_mode=spec["supplement_mode"],
        legal_basis=spec["legal_basis"],
        content_hash=content_hash,
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(version=version, order=i + 1, name=d["name"], kind=d["kind"], count=d["count"])
        for i, d in enumerate(spec["documents"])
    )
    steps = [
        Step(
            version=version,
            order=i + 1,
            name=s["name"],
            agency_id=agency_ids[s["agency"]],
            role=s["role"],
            budget_hours=s["budget_hours"],
            parallel_group=s["parallel_group"],
        )
        for i, s in enumerate(spec["steps"])
    ]
    for step, stage in zip(steps, stage_numbers(steps), strict=True):
        step.stage = stage
    Step.objects.bulk_create(steps)
    return version


IDENTITY_FIELDS = ("name", "field_id", "level", "receiving_agency_id", "active")


def procedure_import(
    *, data: dict, effective_from: dt.datetime | None = None, progress: ProgressCallback | None = None
) -> ImportResult:
    """Import a whole catalog document, all or nothing; raise CatalogInvalid listing every problem.

    ``effective_from`` (else the file's ``meta.effective_from``) dates the versions this import
    creates. Without either, a procedure's first version is in force from the beginning
    (``IN_FORCE_FROM_THE_BEGINNING``) and a new version of a known procedure from now. The result
    says which dates were used. ``progress`` is called as ``progress(done, total)`` after each
    procedure.
    """
    problems, doc = _check_document(data)
    file_from = None
    meta = data.get("meta") if isinstance(data, dict) else None
    if isinstance(meta, dict):
        try:
            file_from = parse_effective_from(meta.get("effective_from"))
        except ValueError as exc:
            problems.append(Problem("meta.effective_from", str(exc)))
    given = effective_from or file_from
    first_from = given or IN_FORCE_FROM_THE_BEGINNING
    effective_from = given or timezone.now()

    existing = {
        p.code: p
        for p in Procedure.objects.select_related("current_version").filter(
            code__in=[p["code"] for p in doc.procedures]
        )
    }
    hashes = {}
    for index, spec in enumerate(doc.procedures):
        hashes[spec["code"]] = version_content_hash(_content_of(spec))
        current = existing.get(spec["code"])
        version = current.current_version if current else None
        if (
            version
            and version.content_hash != hashes[spec["code"]]
            and version.effective_from > effective_from
        ):
            problems.append(
                Problem(
                    f"procedures[{index}]",
                    f"phiên bản mới phải có hiệu lực sau phiên bản hiện hành v{version.number} "
                    f"({timezone.localtime(version.effective_from):%d/%m/%Y %H:%M})",
                )
            )
    if problems:
        raise CatalogInvalid(sorted(problems, key=_problem_order))

    result = ImportResult()
    with transaction.atomic():
        _save_agencies(doc.agencies, result)
        _save_fields(doc.fields, result)
        agency_codes = {p["receiving_agency"] for p in doc.procedures} | {
            s["agency"] for p in doc.procedures for s in p["steps"]
        }
        agency_ids = dict(Agency.objects.filter(code__in=agency_codes).values_list("code", "id"))
        field_ids = dict(
            Field.objects.filter(code__in={p["field"] for p in doc.procedures}).values_list("code", "id")
        )
        total = len(doc.procedures)
        for done, spec in enumerate(doc.procedures, start=1):
            _import_one(
                spec=spec,
                procedure=existing.get(spec["code"]),
                content_hash=hashes[spec["code"]],
                effective_from=effective_from,
                first_from=first_from,
                agency_ids=agency_ids,
                field_ids=field_ids,
                result=result,
            )
            if progress:
                progress(done, total)
    return result


def _import_one(
    *,
    spec: dict,
    procedure: Procedure | None,
    content_hash: str,
    effective_from: dt.datetime,
    first_from: dt.datetime,
    agency_ids: dict,
    field_ids: dict,
    result: ImportResult,
) -> None:
    identity = {
        "name": spec["name"],
        "field_id": field_ids[spec["field"]],
        "level": spec["level"],
        "receiving_agency_id": agency_ids[spec["receiving_agency"]],
        "active": spec["active"],
    }
    if procedure is None:
        procedure = Procedure.objects.create(code=spec["code"], **identity)
        result.procedures_created += 1
        number = 1
    else:
        changed = [name for name in IDENTITY_FIELDS if getattr(procedure, name) != identity[name]]
        if changed:
            for name in changed:
                setattr(procedure, name, identity[name])
            procedure.save(update_fields=[*(n.removesuffix("_id") for n in changed), "updated_at"])
            result.procedures_updated += 1
        if procedure.current_version and procedure.current_version.content_hash == content_hash:
            result.procedures_unchanged += not changed
            return
        number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if number == 1:
        effective_from = result.first_versions_from = first_from
    else:
        result.later_versions_from = effective_from
    version = _create_version(
        procedure=procedure,
        spec=spec,
        number=number,
        effective_from=effective_from,
        agency_ids=agency_ids,
        content_hash=content_hash,
    )
    procedure.current_version = version
    procedure.save(update_fields=["current_version", "updated_at"])
    result.versions_created += 1
    result.new_versions.append(f"{procedure.code} v{number}")


def _problem_order(problem: Problem) -> tuple:
    """Document order: agencies, fields, procedures, then by index within each list."""
    parts = re.split(r"\[(\d+)\]", problem.path)
    return tuple(int(p) if p.isdigit() else {"agencies": "0", "fields": "1"}.get(p, p) for p in parts)


# --- versions edited in the admin ----------------------------------------------------------------


# Re-exported: callers import the catalog's rules and errors from the services, as before.
__all__ = [
    "CatalogInvalid",
    "ImportResult",
    "Problem",
    "budget_problems",
    "catalog_problems",
    "duration_problems",
    "procedure_import",
    "version_clone",
    "version_content",
    "version_content_hash",
    "version_finalize",
    "version_next_number",
]
