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
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.exceptions import InvalidInput
from core.roles import STEP_ROLES
from procedures.durations import duration_hours
from procedures.models import (
    AGENCY_CODE_VALIDATOR,
    IN_FORCE_FROM_THE_BEGINNING,
    PROCEDURE_CODE_VALIDATOR,
    Agency,
    DocumentKind,
    DurationUnit,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    Step,
    SupplementMode,
)
from procedures.stages import stage_budgets, stage_numbers

AGENCY_CODE_RE = re.compile(AGENCY_CODE_VALIDATOR.regex.pattern)
PROCEDURE_CODE_RE = re.compile(PROCEDURE_CODE_VALIDATOR.regex.pattern)

TOP_LEVEL_KEYS = {"agencies", "fields", "procedures", "meta"}
AGENCY_KEYS = {"code", "name", "level", "parent", "active"}
FIELD_KEYS = {"code", "name"}
PROCEDURE_KEYS = {
    "code",
    "name",
    "field",
    "level",
    "receiving_agency",
    "active",
    "legal_duration",
    "committed_duration",
    "fee",
    "online_level",
    "supplement_mode",
    "legal_basis",
    "documents",
    "steps",
}
DOCUMENT_KEYS = {"name", "kind", "count"}
STEP_KEYS = {"name", "agency", "role", "budget_hours", "parallel_group"}
STEP_ROLE_VALUES = [role.value for role in STEP_ROLES]

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input document, located by its path (``procedures[3].steps[1].agency``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class CatalogInvalid(InvalidInput):
    """The document has problems; nothing was written. ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        fields: dict[str, list[str]] = {}
        for problem in problems:
            fields.setdefault(problem.path or "non_field_errors", []).append(problem.message)
        super().__init__(
            f"Danh mục thủ tục có {len(problems)} lỗi; chưa ghi gì vào cơ sở dữ liệu.",
            code="catalog_invalid",
            fields=fields,
        )
        self.problems = problems


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


# --- pure rules, shared by the import and the admin --------------------------------------------


def duration_problems(*, legal: tuple[int, str], committed: tuple[int, str]) -> list[str]:
    """Committed must not exceed legal, compared in working hours (see procedures.durations)."""
    legal_hours = duration_hours(*legal)
    committed_hours = duration_hours(*committed)
    if committed_hours > legal_hours + 1e-9:
        return [
            f"thời hạn cam kết {committed[0]} {DurationUnit(committed[1]).label} ({committed_hours:g} giờ "
            f"làm việc) vượt thời hạn theo quy định {legal[0]} {DurationUnit(legal[1]).label} "
            f"({legal_hours:g} giờ làm việc)"
        ]
    return []


def budget_problems(*, steps, committed: tuple[int, str]) -> list[str]:
    """The stages' budgets (a parallel stage counts its longest step) must fit the committed time."""
    if not steps:
        return ["thủ tục phải có ít nhất một bước xử lý"]
    total = sum(stage_budgets(steps))
    committed_hours = duration_hours(*committed)
    if total > committed_hours + 1e-9:
        return [
            f"tổng thời gian các giai đoạn {total} giờ làm việc vượt thời hạn cam kết "
            f"{committed[0]} {DurationUnit(committed[1]).label} ({committed_hours:g} giờ làm việc)"
        ]
    return []


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


# --- validation of a whole document ------------------------------------------------------------


@dataclass
class _StepSpec:
    order: int
    parallel_group: str
    budget_hours: int


class _Checker:
    """Walks the document, normalising what is valid and recording a Problem for what is not."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def obj(self, value, path: str, allowed: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, "phải là một đối tượng JSON")
            return None
        for key in sorted(set(value) - allowed):
            self.add(f"{path}.{key}" if path else key, "trường không được hỗ trợ")
        return value

    def text(self, obj: dict, key: str, path: str, *, required=True, max_length=None, default="") -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.add(f"{path}.{key}", "bắt buộc")
            return default
        if not isinstance(value, str):
            self.add(f"{path}.{key}", "phải là chuỗi ký tự")
            return default
        value = value.strip()
        if required and not value:
            self.add(f"{path}.{key}", "bắt buộc")
        if max_length and len(value) > max_length:
            self.add(f"{path}.{key}", f"dài quá {max_length} ký tự")
        return value

    def choice(self, obj: dict, key: str, path: str, choices: list[str], *, default=None) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if default is None:
                self.add(f"{path}.{key}", "bắt buộc")
                return ""
            return default
        if value not in choices:
            self.add(f"{path}.{key}", f"giá trị {value!r} không hợp lệ; chọn một trong: {', '.join(choices)}")
            return default or ""
        return value

    def integer(self, obj: dict, key: str, path: str, *, minimum: int, default=None) -> int | None:
        value = obj.get(key)
        if value is None or value == "":
            if default is None:
                self.add(f"{path}.{key}", "bắt buộc")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{path}.{key}", f"phải là số nguyên, nhận được {value!r}")
            return None
        if value < minimum:
            self.add(f"{path}.{key}", f"phải lớn hơn hoặc bằng {minimum}")
            return None
        return value

    def boolean(self, obj: dict, key: str, path: str) -> bool:
        value = obj.get(key, True)
        if not isinstance(value, bool):
            self.add(f"{path}.{key}", "phải là true hoặc false")
            return True
        return value

    def items(self, data: dict, key: str, path: str) -> list:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.add(f"{path}.{key}" if path else key, "phải là một danh sách")
            return []
        return value


@dataclass
class _Document:
    agencies: list[dict]
    fields: list[dict]
    procedures: list[dict]


def _check_document(data) -> tuple[list[Problem], _Document]:
    c = _Checker()
    doc = _Document([], [], [])
    if c.obj(data, "", TOP_LEVEL_KEYS) is None:
        return c.problems, doc

    agency_codes_in_file: set[str] = set()
    for index, raw in enumerate(c.items(data, "agencies", "")):
        path = f"agencies[{index}]"
        if c.obj(raw, path, AGENCY_KEYS) is None:
            continue
        code = c.text(raw, "code", path)
        if code and not AGENCY_CODE_RE.match(code):
            c.add(f"{path}.code", f"mã {code} không đúng dạng MX1X2.Y1Y2Y3.Z1Z2 (ví dụ 000.00.31.H57)")
        elif code in agency_codes_in_file:
            c.add(f"{path}.code", f"mã cơ quan {code} trùng trong tệp")
        agency_codes_in_file.add(code)
        parent = c.text(raw, "parent", path, required=False)
        if parent and parent == code:
            c.add(f"{path}.parent", "cơ quan không thể là cấp trên của chính nó")
        doc.agencies.append(
            {
                "code": code,
                "name": c.text(raw, "name", path, max_length=255),
                "level": c.choice(raw, "level", path, Level.values),
                "parent": parent,
                "active": c.boolean(raw, "active", path),
                "_path": path,
            }
        )

    field_codes_in_file: set[str] = set()
    for index, raw in enumerate(c.items(data, "fields", "")):
        path = f"fields[{index}]"
        if c.obj(raw, path, FIELD_KEYS) is None:
            continue
        code = c.text(raw, "code", path, max_length=32)
        if code in field_codes_in_file:
            c.add(f"{path}.code", f"mã lĩnh vực {code} trùng trong tệp")
        field_codes_in_file.add(code)
        doc.fields.append({"code": code, "name": c.text(raw, "name", path, max_length=255)})

    raw_procedures = c.items(data, "procedures", "")
    referenced_agencies = {a["parent"] for a in doc.agencies if a["parent"]}
    referenced_fields: set[str] = set()
    for raw in raw_procedures:
        if isinstance(raw, dict):
            referenced_agencies.add(raw.get("receiving_agency"))
            referenced_fields.add(raw.get("field"))
            for step in raw.get("steps") or []:
                if isinstance(step, dict):
                    referenced_agencies.add(step.get("agency"))
    referenced_agencies = {x for x in referenced_agencies if isinstance(x, str)} - agency_codes_in_file
    referenced_fields = {x for x in referenced_fields if isinstance(x, str)} - field_codes_in_file
    known_agencies = agency_codes_in_file | set(
        Agency.objects.filter(code__in=referenced_agencies).values_list("code", flat=True)
    )
    known_fields = field_codes_in_file | set(
        Field.objects.filter(code__in=referenced_fields).values_list("code", flat=True)
    )

    def agency_ref(obj: dict, key: str, path: str) -> str:
        code = c.text(obj, key, path)
        if code and code not in known_agencies:
            c.add(f"{path}.{key}", f"cơ quan {code} không tồn tại")
        return code

    for agency in doc.agencies:
        if agency["parent"] and agency["parent"] not in known_agencies:
            c.add(f"{agency['_path']}.parent", f"cơ quan {agency['parent']} không tồn tại")

    procedure_codes: set[str] = set()
    for index, raw in enumerate(raw_procedures):
        path = f"procedures[{index}]"
        if c.obj(raw, path, PROCEDURE_KEYS) is None:
            continue
        before = len(c.problems)
        code = c.text(raw, "code", path)
        if code and not PROCEDURE_CODE_RE.match(code):
            c.add(f"{path}.code", f"mã {code} không đúng dạng mã thủ tục (ví dụ 1.001234 hoặc 2.000889)")
        elif code in procedure_codes:
            c.add(f"{path}.code", f"mã thủ tục {code} trùng trong tệp")
        procedure_codes.add(code)
        field_code = c.text(raw, "field", path)
        if field_code and field_code not in known_fields:
            c.add(f"{path}.field", f"lĩnh vực {field_code} không tồn tại")

        durations = {}
        for key in ("legal_duration", "committed_duration"):
            value = raw.get(key)
            if value is None:
                c.add(f"{path}.{key}", "bắt buộc")
                continue
            if c.obj(value, f"{path}.{key}", {"value", "unit"}) is None:
                continue
            amount = c.integer(value, "value", f"{path}.{key}", minimum=1)
            unit = c.choice(value, "unit", f"{path}.{key}", DurationUnit.values)
            if amount is not None and unit:
                durations[key] = {"value": amount, "unit": unit}

        documents = []
        for d_index, raw_doc in enumerate(c.items(raw, "documents", path)):
            d_path = f"{path}.documents[{d_index}]"
            if c.obj(raw_doc, d_path, DOCUMENT_KEYS) is None:
                continue
            documents.append(
                {
                    "name": c.text(raw_doc, "name", d_path, max_length=500),
                    "kind": c.choice(raw_doc, "kind", d_path, DocumentKind.values, default="original"),
                    "count": c.integer(raw_doc, "count", d_path, minimum=1, default=1),
                }
            )

        steps = []
        raw_steps = c.items(raw, "steps", path)
        if not raw_steps and isinstance(raw.get("steps", []), list):
            c.add(f"{path}.steps", "thủ tục phải có ít nhất một bước xử lý")
        for s_index, raw_step in enumerate(raw_steps):
            s_path = f"{path}.steps[{s_index}]"
            if c.obj(raw_step, s_path, STEP_KEYS) is None:
                continue
            steps.append(
                {
                    "name": c.text(raw_step, "name", s_path, max_length=255),
                    "agency": agency_ref(raw_step, "agency", s_path),
                    "role": c.choice(raw_step, "role", s_path, STEP_ROLE_VALUES, default="specialist"),
                    "budget_hours": c.integer(raw_step, "budget_hours", s_path, minimum=1),
                    "parallel_group": c.text(
                        raw_step, "parallel_group", s_path, required=False, max_length=32
                    ),
                }
            )

        procedure = {
            "code": code,
            "name": c.text(raw, "name", path, max_length=1000),
            "field": field_code,
            "level": c.choice(raw, "level", path, Level.values),
            "receiving_agency": agency_ref(raw, "receiving_agency", path),
            "active": c.boolean(raw, "active", path),
            "legal_duration": durations.get("legal_duration"),
            "committed_duration": durations.get("committed_duration"),
            "fee": c.integer(raw, "fee", path, minimum=0, default=0),
            "online_level": c.choice(raw, "online_level", path, OnlineLevel.values, default="none"),
            "supplement_mode": c.choice(raw, "supplement_mode", path, SupplementMode.values, default="pause"),
            "legal_basis": c.text(raw, "legal_basis", path, required=False),
            "documents": documents,
            "steps": steps,
        }
        legal, committed = durations.get("legal_duration"), durations.get("committed_duration")
        if legal and committed:
            for message in duration_problems(
                legal=(legal["value"], legal["unit"]), committed=(committed["value"], committed["unit"])
            ):
                c.add(f"{path}.committed_duration", message)
            if steps and all(s["budget_hours"] for s in steps):
                specs = [
                    _StepSpec(i + 1, s["parallel_group"], s["budget_hours"]) for i, s in enumerate(steps)
                ]
                for message in budget_problems(
                    steps=specs, committed=(committed["value"], committed["unit"])
                ):
                    c.add(f"{path}.steps", message)
        if len(c.problems) == before:
            doc.procedures.append(procedure)
    return c.problems, doc


def catalog_problems(*, data) -> list[Problem]:
    """Every problem of a document under the catalog rules, without writing anything."""
    return _check_document(data)[0]


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
