"""Checking a catalog document before anything is written: every problem, with its path.

The document is the reference JSON form (``agencies``, ``fields``, ``procedures``; README,
"Procedure catalog"). ``catalog_problems`` lists each problem located by its path
(``procedures[3].steps[1].agency``) with a Vietnamese message; ``procedures.services`` imports a
document only when the list is empty. The duration and budget rules are shared with the admin.
"""

import re
from dataclasses import dataclass

from core.exceptions import InvalidInput
from core.roles import STEP_ROLES
from procedures.durations import duration_hours
from procedures.models import (
    AGENCY_CODE_VALIDATOR,
    PROCEDURE_CODE_VALIDATOR,
    Agency,
    DocumentKind,
    DurationUnit,
    Field,
    Level,
    OnlineLevel,
    SupplementMode,
)
from procedures.stages import stage_budgets

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
