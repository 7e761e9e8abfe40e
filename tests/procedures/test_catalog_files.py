"""The import and export commands: JSON, CSV and XLSX files, exit codes, messages, round trip."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from procedures.management.commands import import_procedures
from procedures.models import Agency, Field, Procedure, ProcedureVersion
from procedures.tabular import parse_documents

from .catalog_docs import doc

SAMPLES = Path(__file__).resolve().parents[2] / "procedures" / "samples"


def run_import(path, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_procedures", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def write_json(tmp_path, data) -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_json_import_then_reimport_reports_no_change(tmp_path):
    path = write_json(tmp_path, doc())
    out, _ = run_import(path)
    assert "2 phiên bản mới" in out
    out, _ = run_import(path)
    assert "0 phiên bản mới, 2 không đổi" in out


@pytest.mark.django_db
def test_a_bad_file_exits_non_zero_with_one_line_per_problem_and_writes_nothing(tmp_path):
    data = doc()
    data["procedures"][0]["steps"][1]["agency"] = "000.00.99.H57"
    data["procedures"][1]["level"] = "ward"
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 lỗi; không ghi gì"):
        call_command("import_procedures", str(write_json(tmp_path, data)), stderr=err)
    assert err.getvalue().splitlines() == [
        "procedures[0].steps[1].agency: cơ quan 000.00.99.H57 không tồn tại",
        "procedures[1].level: giá trị 'ward' không hợp lệ; chọn một trong: province, district, commune",
    ]
    assert not Procedure.objects.exists()


@pytest.mark.django_db
def test_invalid_json_is_reported(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError):
        run_import(path)


@pytest.mark.django_db
def test_csv_sample_imports_once_agencies_and_fields_exist_and_names_rows_when_they_do_not(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_procedures", str(SAMPLES / "catalog.csv"), stderr=err)
    assert "dòng 5 (procedures[1].steps[1].agency): cơ quan 000.09.01.H57 không tồn tại" in err.getvalue()
    assert not Procedure.objects.exists()

    run_import(SAMPLES / "catalog.xlsx")  # brings the agencies and fields (and the same procedures)
    out, _ = run_import(SAMPLES / "catalog.csv")
    assert "2 không đổi" in out
    version = Procedure.objects.get(code="1.013236").current_version
    assert list(version.steps.order_by("order").values_list("stage", "parallel_group")) == [
        (0, ""),
        (1, "y_kien"),
        (1, "y_kien"),
        (2, ""),
    ]
    assert list(version.documents.values_list("name", "count")) == [
        ("Đơn đề nghị cấp giấy phép xây dựng", 1),
        ("Bản vẽ thiết kế xây dựng", 2),
    ]


@pytest.mark.django_db
def test_csv_rows_of_one_procedure_must_agree_and_a_bad_row_stops_everything(tmp_path):
    run_import(SAMPLES / "catalog.xlsx")
    rows = list(csv.reader((SAMPLES / "catalog.csv").open(encoding="utf-8")))
    rows[3][9] = "999"  # fee on the first row of 1.013236 (file line 4)
    rows[4][9] = "1"  # a continuation row of 1.013236 repeating the fee differently
    rows[2][18] = "abc"  # budget of the second step of 1.001193
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_procedures", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert "dòng 4 (procedures[1].fee): dòng 5 ghi '1', khác dòng 4 ghi '999' của cùng thủ tục" in lines
    assert "dòng 3 (procedures[0].steps[1].budget_hours): phải là số nguyên, nhận được 'abc'" in lines
    assert ProcedureVersion.objects.filter(fee=999).count() == 0


@pytest.mark.django_db
def test_xlsx_with_agency_and_field_sheets(tmp_path):
    out, _ = run_import(SAMPLES / "catalog.xlsx")
    assert "cơ quan: 5 mới" in out and "2 phiên bản mới" in out
    assert Procedure.objects.get(code="1.001193").receiving_agency.name == "UBND phường Trung Tâm"


@pytest.mark.django_db
def test_xlsx_errors_name_the_sheet_and_row(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "procedures"
    sheet.append(
        [
            "code",
            "name",
            "field",
            "level",
            "receiving_agency",
            "legal_value",
            "legal_unit",
            "committed_value",
            "committed_unit",
            "step_name",
            "step_agency",
            "step_budget_hours",
        ]
    )
    sheet.append(
        [
            "1.000001",
            "X",
            "TP",
            "province",
            "000.00.31.H57",
            2,
            "working_days",
            3,
            "working_days",
            "Xử lý",
            "000.00.31.H57",
            8,
        ]
    )
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_procedures", str(path), stderr=err)
    assert "trang procedures, dòng 2 (procedures[0].committed_duration): thời hạn cam kết 3" in err.getvalue()


def test_documents_cell_format():
    assert parse_documents("Tờ khai|original|1; Bản sao CCCD|copy\nẢnh") == [
        {"name": "Tờ khai", "kind": "original", "count": 1},
        {"name": "Bản sao CCCD", "kind": "copy"},
        {"name": "Ảnh"},
    ]


@pytest.mark.django_db
def test_export_then_import_into_an_empty_database_then_export_gives_the_same_document(tmp_path):
    demo = Path(__file__).resolve().parents[2] / "procedures" / "demo" / "catalog.json"
    run_import(demo)
    first = tmp_path / "first.json"
    call_command("export_procedures", str(first), stderr=io.StringIO())
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert len(exported["procedures"]) == 39

    Procedure.objects.update(current_version=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
    Field.objects.all().delete()

    run_import(first)
    out = io.StringIO()
    call_command("export_procedures", stdout=out)
    assert json.loads(out.getvalue()) == exported


@pytest.mark.django_db
def test_a_progress_bar_only_for_many_procedures(tmp_path, monkeypatch, capsys):
    data = doc()
    template = data["procedures"][1]
    data["procedures"] = [
        {**template, "code": f"2.{n:06d}"} for n in range(import_procedures.PROGRESS_THRESHOLD)
    ]
    run_import(write_json(tmp_path, data))
    assert f"{import_procedures.PROGRESS_THRESHOLD}/{import_procedures.PROGRESS_THRESHOLD} thủ tục" in (
        capsys.readouterr().err
    )
    small = tmp_path / "small"
    small.mkdir()
    shutil.copy(write_json(tmp_path, doc()), small / "c.json")
    run_import(small / "c.json")
    assert "thủ tục" not in capsys.readouterr().err
