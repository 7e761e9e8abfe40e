"""Checking a catalog document before anything is written: every problem, with its path.

The document is the reference JSON form (``agencies``, ``fields``, ``procedures``; README,
"Procedure catalog"). ``catalog_problems`` lists each problem located by its path
(``procedures[3].steps[1].agency``) with a Vietnamese message; ``procedures.services`` imports a
document only when the list is empty. The duration and budget rules are shared with the admin.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from core.exceptions import InvalidInput
from core.roles import STEP_ROLES
from procedures.catalog_fields import Boolean, Choice, Integer, Items, Object, Text, known, unique
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


# --- the document ---------------------------------------------------------------------------------


class _AgencyIn(Object):
    code = Text()
    name = Text(max_length=255)
    level = Choice(Level.values)
    parent = Text(fallback="")
    active = Boolean()

    validate_code = unique(
        "agencies", "mã cơ quan {} trùng trong tệp", AGENCY_CODE_RE, "MX1X2.Y1Y2Y3.Z1Z2 (ví dụ 000.00.31.H57)"
    )

    def validate_parent(self, parent: str) -> str:
        code = self.raw.get("code")
        if parent and isinstance(code, str) and parent == code.strip():
            raise ValidationError("cơ quan không thể là cấp trên của chính nó")
        if parent and parent not in self.context["agencies"]:
            raise ValidationError(f"cơ quan {parent} không tồn tại")
        return parent


class _FieldIn(Object):
    code = Text(max_length=32)
    name = Text(max_length=255)

    validate_code = unique("fields", "mã lĩnh vực {} trùng trong tệp")


class _DurationIn(Object):
    value = Integer(minimum=1)
    unit = Choice(DurationUnit.values)


class _DocumentIn(Object):
    name = Text(max_length=500)
    kind = Choice(DocumentKind.values, fallback="original")
    count = Integer(minimum=1, fallback=1)


class _StepIn(Object):
    name = Text(max_length=255)
    agency = Text()
    role = Choice(STEP_ROLE_VALUES, fallback="specialist")
    budget_hours = Integer(minimum=1)
    parallel_group = Text(fallback="", max_length=32)

    validate_agency = known("agencies", "cơ quan {} không tồn tại")


class _ProcedureIn(Object):
    code = Text()
    name = Text(max_length=1000)
    field = Text()
    level = Choice(Level.values)
    receiving_agency = Text()
    active = Boolean()
    legal_duration = _DurationIn()
    committed_duration = _DurationIn()
    fee = Integer(minimum=0, fallback=0)
    online_level = Choice(OnlineLevel.values, fallback="none")
    supplement_mode = Choice(SupplementMode.values, fallback="pause")
    legal_basis = Text(fallback="")
    documents = Items(_DocumentIn())
    steps = Items(_StepIn(), empty_message="thủ tục phải có ít nhất một bước xử lý")

    validate_code = unique(
        "procedures",
        "mã thủ tục {} trùng trong tệp",
        PROCEDURE_CODE_RE,
        "mã thủ tục (ví dụ 1.001234 hoặc 2.000889)",
    )
    validate_field = known("fields", "lĩnh vực {} không tồn tại")
    validate_receiving_agency = known("agencies", "cơ quan {} không tồn tại")

    def rule_problems(self, data: Mapping) -> list[tuple[str, str]]:
        """Committed within legal (``duration_problems``); the stages' budgets within committed
        (``budget_problems``), when every step's budget is valid."""
        legal, committed = self.valid("legal_duration", data), self.valid("committed_duration", data)
        if not (legal and committed):
            return []
        problems = [
            ("committed_duration", message)
            for message in duration_problems(
                legal=(legal["value"], legal["unit"]), committed=(committed["value"], committed["unit"])
            )
        ]
        raw_steps = data.get("steps")
        raw_steps = [s for s in raw_steps if isinstance(s, Mapping)] if isinstance(raw_steps, list) else []
        if raw_steps:
            step = self.fields["steps"].child
            budgets = [self.valid("budget_hours", s, step.fields["budget_hours"]) for s in raw_steps]
            groups = [self.valid("parallel_group", s, step.fields["parallel_group"]) or "" for s in raw_steps]
            if all(budgets):
                specs = [_StepSpec(i + 1, g, b) for i, (g, b) in enumerate(zip(groups, budgets, strict=True))]
                problems += [
                    ("steps", message)
                    for message in budget_problems(
                        steps=specs, committed=(committed["value"], committed["unit"])
                    )
                ]
        return problems


class _CatalogIn(Object):
    agencies = Items(_AgencyIn())
    fields = Items(_FieldIn())
    procedures = Items(_ProcedureIn())
    meta = serializers.JSONField(required=False)


@dataclass
class _Document:
    agencies: list[dict]
    fields: list[dict]
    procedures: list[dict]


def _problems(detail, path: str = "") -> list[Problem]:
    """DRF's nested errors as problems located by path: ``procedures[3].steps[1].agency``."""
    if isinstance(detail, Mapping):
        problems = []
        for key, sub in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY:
                problems += _problems(sub, path)
            elif isinstance(key, int):
                problems += _problems(sub, f"{path}[{key}]")
            else:
                problems += _problems(sub, f"{path}.{key}" if path else str(key))
        return problems
    if isinstance(detail, list):
        return [problem for item in detail for problem in _problems(item, path)]
    return [Problem(path, str(detail))]


def _references(data: Mapping) -> tuple[set[str], set[str]]:
    """The agencies and fields of the file, and those it refers to that must be in the database."""

    def objects(key):
        items = data.get(key)
        return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []

    def texts(items, key):
        return {item[key].strip() for item in items if isinstance(item.get(key), str)}

    agencies, fields = texts(objects("agencies"), "code"), texts(objects("fields"), "code")
    referenced_agencies = texts(objects("agencies"), "parent")
    referenced_fields: set[str] = set()
    procedures = data.get("procedures")
    for raw in procedures if isinstance(procedures, list) else []:
        if isinstance(raw, Mapping):
            steps = raw.get("steps")
            steps = [step for step in steps if isinstance(step, Mapping)] if isinstance(steps, list) else []
            referenced_agencies |= texts([raw, *steps], "agency") | texts([raw], "receiving_agency")
            referenced_fields |= texts([raw], "field")
    referenced_agencies -= agencies
    referenced_fields -= fields
    in_database = Agency.objects.filter(code__in=referenced_agencies).values_list("code", flat=True)
    fields_in_database = Field.objects.filter(code__in=referenced_fields).values_list("code", flat=True)
    return agencies | set(in_database), fields | set(fields_in_database)


def _check_document(data) -> tuple[list[Problem], _Document]:
    """Every problem of the document, and the document normalised (valid procedures only)."""
    if not isinstance(data, Mapping):
        return [Problem("", "phải là một đối tượng JSON")], _Document([], [], [])
    agencies, fields = _references(data)
    serializer = _CatalogIn(data=data, context={"agencies": agencies, "fields": fields})
    if serializer.is_valid():
        valid = serializer.validated_data
        return [], _Document(valid["agencies"], valid["fields"], valid["procedures"])
    return _problems(serializer.errors), _Document(
        [], [], _valid_procedures(data, serializer.errors, agencies, fields)
    )


def _valid_procedures(data: Mapping, errors: Mapping, agencies: set[str], fields: set[str]) -> list[dict]:
    """The procedures without a problem of their own, normalised: the import still checks their
    versions against the database, so that one pass reports everything."""
    raw = data.get("procedures")
    if not isinstance(raw, list) or not isinstance(errors.get("procedures", {}), Mapping):
        return []
    failed = errors.get("procedures", {})
    declared = set(_ProcedureIn().fields)
    context = {"agencies": agencies, "fields": fields}
    valid = []
    for index, item in enumerate(raw):
        # an unsupported key is a problem, but it leaves the procedure's own data valid
        if not isinstance(item, Mapping):
            continue
        if index not in failed or (isinstance(failed[index], Mapping) and declared.isdisjoint(failed[index])):
            known = {key: value for key, value in item.items() if key in declared}
            valid.append(_ProcedureIn(context=context).run_validation(known))
    return valid


def catalog_problems(*, data) -> list[Problem]:
    """Every problem of a document under the catalog rules, without writing anything."""
    return _check_document(data)[0]
