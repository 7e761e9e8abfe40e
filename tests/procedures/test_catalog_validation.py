"""Every catalog rule, each with the message the importer prints, and nothing written on error."""

import pytest

from procedures.models import Agency, Procedure
from procedures.services import CatalogInvalid, catalog_problems, procedure_import
from tests.factories import AgencyFactory, FieldFactory

from .catalog_docs import A1, doc


def set_path(data: dict, path: str, value) -> None:
    """``procedures.0.steps.1.agency`` = value; value None deletes the key."""
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key = int(last) if last.isdigit() else last
    if value is None:
        del target[key]
    else:
        target[key] = value


CASES = [
    ("agencies.0.code", "00.00.31.H57", "agencies[0].code", "không đúng dạng MX1X2.Y1Y2Y3.Z1Z2"),
    ("agencies.1.code", A1, "agencies[1].code", f"mã cơ quan {A1} trùng trong tệp"),
    ("agencies.0.level", "region", "agencies[0].level", "giá trị 'region' không hợp lệ"),
    ("agencies.0.parent", "000.00.77.H57", "agencies[0].parent", "cơ quan 000.00.77.H57 không tồn tại"),
    ("fields.0.name", "", "fields[0].name", "bắt buộc"),
    ("procedures.0.code", "1.1234", "procedures[0].code", "không đúng dạng mã thủ tục"),
    ("procedures.1.code", "1.001234", "procedures[1].code", "mã thủ tục 1.001234 trùng trong tệp"),
    ("procedures.0.field", "XX", "procedures[0].field", "lĩnh vực XX không tồn tại"),
    ("procedures.0.level", "ward", "procedures[0].level", "giá trị 'ward' không hợp lệ"),
    (
        "procedures.0.receiving_agency",
        "000.00.99.H57",
        "procedures[0].receiving_agency",
        "cơ quan 000.00.99.H57 không tồn tại",
    ),
    (
        "procedures.0.steps.1.agency",
        "000.00.99.H57",
        "procedures[0].steps[1].agency",
        "cơ quan 000.00.99.H57 không tồn tại",
    ),
    ("procedures.0.steps.1.role", "boss", "procedures[0].steps[1].role", "giá trị 'boss' không hợp lệ"),
    (
        "procedures.0.steps.0.budget_hours",
        0,
        "procedures[0].steps[0].budget_hours",
        "phải lớn hơn hoặc bằng 1",
    ),
    ("procedures.0.steps.0.budget_hours", "8h", "procedures[0].steps[0].budget_hours", "phải là số nguyên"),
    ("procedures.0.legal_duration.unit", "weeks", "procedures[0].legal_duration.unit", "giá trị 'weeks'"),
    (
        "procedures.0.legal_duration.value",
        0,
        "procedures[0].legal_duration.value",
        "phải lớn hơn hoặc bằng 1",
    ),
    ("procedures.0.committed_duration", None, "procedures[0].committed_duration", "bắt buộc"),
    (
        "procedures.0.committed_duration.value",
        11,
        "procedures[0].committed_duration",
        "thời hạn cam kết 11 ngày làm việc (88 giờ làm việc) vượt thời hạn theo quy định 10 ngày làm việc",
    ),
    # 32 + max(8, 12) + 8 = 52 hours > 6 working days = 48 hours: the parallel stage counts 12, not 20.
    (
        "procedures.0.committed_duration.value",
        6,
        "procedures[0].steps",
        "tổng thời gian các giai đoạn 52 giờ làm việc vượt thời hạn cam kết 6 ngày làm việc (48 giờ",
    ),
    ("procedures.0.steps", [], "procedures[0].steps", "thủ tục phải có ít nhất một bước xử lý"),
    ("procedures.0.documents.0.kind", "scan", "procedures[0].documents[0].kind", "giá trị 'scan'"),
    ("procedures.0.documents.0.count", 0, "procedures[0].documents[0].count", "phải lớn hơn hoặc bằng 1"),
    ("procedures.0.online_level", "half", "procedures[0].online_level", "giá trị 'half'"),
    ("procedures.0.supplement_mode", "wait", "procedures[0].supplement_mode", "giá trị 'wait'"),
    ("procedures.0.fee", -1, "procedures[0].fee", "phải lớn hơn hoặc bằng 0"),
    ("procedures.0.comitted", 1, "procedures[0].comitted", "trường không được hỗ trợ"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "value", "where", "message"), CASES, ids=[c[0] + "=" + repr(c[1]) for c in CASES]
)
def test_each_rule_is_reported_with_its_path_and_nothing_is_written(path, value, where, message):
    data = doc()
    set_path(data, path, value)
    with pytest.raises(CatalogInvalid) as caught:
        procedure_import(data=data)
    assert any(p.path == where and message in p.message for p in caught.value.problems), caught.value.problems
    assert not Agency.objects.exists()
    assert not Procedure.objects.exists()


@pytest.mark.django_db
def test_the_valid_document_has_no_problems():
    assert catalog_problems(data=doc()) == []


@pytest.mark.django_db
def test_every_problem_is_collected_in_one_pass():
    data = doc()
    data["procedures"][0]["steps"][1]["agency"] = "000.00.99.H57"
    data["procedures"][1]["field"] = "XX"
    data["agencies"][2]["code"] = "bad"
    problems = [str(p) for p in catalog_problems(data=data)]
    assert "procedures[0].steps[1].agency: cơ quan 000.00.99.H57 không tồn tại" in problems
    assert "procedures[1].field: lĩnh vực XX không tồn tại" in problems
    assert any(p.startswith("agencies[2].code:") for p in problems)


@pytest.mark.django_db
def test_calendar_day_durations_compare_at_five_working_days_a_week():
    data = doc()
    procedure = data["procedures"][0]
    # 10 calendar days = 10 × 5/7 × 8 ≈ 57.1 working hours: 7 working days (56 h) fits, 8 (64 h) does not.
    procedure["legal_duration"] = {"value": 10, "unit": "calendar_days"}
    procedure["committed_duration"] = {"value": 7, "unit": "working_days"}
    assert catalog_problems(data=data) == []
    procedure["committed_duration"] = {"value": 8, "unit": "working_days"}
    assert [p.path for p in catalog_problems(data=data)] == ["procedures[0].committed_duration"]


@pytest.mark.django_db
def test_agencies_and_fields_may_come_from_the_database_instead_of_the_file():
    AgencyFactory(code="000.00.31.H57")
    AgencyFactory(code="000.00.32.H57")
    AgencyFactory(code="000.00.33.H57")
    FieldFactory(code="TP")
    data = doc()
    data["agencies"], data["fields"] = [], []
    assert catalog_problems(data=data) == []


@pytest.mark.django_db
def test_a_document_that_is_not_an_object_is_one_problem():
    assert [str(p) for p in catalog_problems(data=[])] == ["phải là một đối tượng JSON"]


@pytest.mark.django_db
def test_a_reference_that_is_not_text_is_a_problem_not_a_crash():
    data = doc()
    data["procedures"][0]["field"] = ["TP"]
    data["procedures"][0]["steps"][0]["agency"] = {"code": A1}
    problems = [str(p) for p in catalog_problems(data=data)]
    assert "procedures[0].field: phải là chuỗi ký tự" in problems
    assert "procedures[0].steps[0].agency: phải là chuỗi ký tự" in problems


@pytest.mark.django_db
def test_two_unreadable_codes_are_not_duplicates_of_each_other():
    data = doc()
    data["agencies"][1]["code"] = 7
    data["agencies"][2]["code"] = 8
    problems = [str(p) for p in catalog_problems(data=data)]
    assert "agencies[2].code: phải là chuỗi ký tự" in problems
    assert not any("trùng" in p for p in problems)
