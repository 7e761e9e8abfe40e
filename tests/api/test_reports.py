"""The reports API: figures, Excel and CSV agree; who may see what; parameters."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from rest_framework.test import APIClient

from reports.columns import PROCESSING_KEYS
from tests.reports import expected
from tests.reports import scenario as scenario_module
from workflows.models import StaffProfile

pytestmark = pytest.mark.django_db
JULY = {"from": "2026-07-01", "to": "2026-07-31"}
ENDPOINTS = ("processing", "cutting", "bottlenecks", "indicators", "dashboard")


@pytest.fixture
def scenario():
    return scenario_module.build()


def client_for(username, *roles, agency=None):
    user = get_user_model().objects.create_user(username=username, password="x")
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if agency is not None:
        StaffProfile.objects.create(user=user, agency=agency)
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def supervisor():
    return client_for("quanly", "supervisor")


def get(client, report, **params):
    return client.get(f"/api/v1/reports/{report}/", params)


def test_processing_json_matches_the_hand_count(scenario, supervisor):
    body = get(supervisor, "processing", **JULY, group_by="agency").json()
    assert body["period"]["from"] == "2026-07-01" and body["group_by"] == "agency"
    assert [row["code"] for row in body["rows"]] == ["000.00.01.H57", "000.00.02.H57"]
    assert {k: body["rows"][0][k] for k in PROCESSING_KEYS} == expected.AGENCY_A
    assert {k: body["rows"][1][k] for k in PROCESSING_KEYS} == expected.AGENCY_B
    assert body["totals"] == expected.TOTALS


def test_month_shortcut_is_the_same_period(scenario, supervisor):
    by_dates = get(supervisor, "processing", **JULY).json()
    by_shortcut = get(supervisor, "processing", period="month", year=2026, number=7).json()
    assert by_shortcut["period"]["label"] == "Tháng 7 năm 2026"
    assert by_shortcut["rows"] == by_dates["rows"]
    assert get(supervisor, "processing", period="quarter", year=2026, number=3).json()["period"] == {
        "from": "2026-07-01",
        "to": "2026-09-30",
        "label": "Quý 3 năm 2026",
    }


def test_excel_is_laid_out_like_the_form_and_matches_the_api(scenario, supervisor):
    body = get(supervisor, "processing", **JULY).json()
    response = get(supervisor, "processing", **JULY, format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value.startswith("Biểu số II.06a")
    assert "01/07/2026" in ws["A3"].value and "31/07/2026" in ws["A3"].value
    assert ws["A4"].value == "Đơn vị báo cáo: Toàn tỉnh"
    assert (ws["A6"].value, ws["B6"].value, ws["C6"].value) == ("STT", "Đơn vị", "Số hồ sơ nhận giải quyết")
    assert (ws["D8"].value, ws["E8"].value, ws["M8"].value) == (
        "Trực tuyến",
        "Trực tiếp, dịch vụ bưu chính",
        "Quá hạn",
    )
    assert [ws.cell(row=9, column=c).value for c in range(1, 14)] == [f"({n})" for n in range(1, 14)]
    for offset, row in enumerate(body["rows"]):
        cells = [ws.cell(row=10 + offset, column=c).value for c in range(1, 3 + len(PROCESSING_KEYS))]
        assert cells == [offset + 1, row["name"], *(row[k] for k in PROCESSING_KEYS)]
    totals = [ws.cell(row=12, column=c).value for c in range(2, 3 + len(PROCESSING_KEYS))]
    assert totals == ["Tổng cộng", *(body["totals"][k] for k in PROCESSING_KEYS)]


def test_csv_matches_the_api(scenario, supervisor):
    body = get(supervisor, "processing", **JULY).json()
    response = get(supervisor, "processing", **JULY, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["no", "code", "name", *PROCESSING_KEYS]
    assert lines[1][:3] == ["1", "000.00.01.H57", "Sở Tư pháp"]
    assert [int(x) for x in lines[1][3:]] == [body["rows"][0][k] for k in PROCESSING_KEYS]
    assert [int(x) for x in lines[3][3:]] == [body["totals"][k] for k in PROCESSING_KEYS]


@pytest.mark.parametrize("report", ENDPOINTS)
@pytest.mark.parametrize("fmt", ["json", "xlsx", "csv"])
def test_every_report_in_every_format(scenario, supervisor, report, fmt):
    response = get(supervisor, report, **JULY, format=fmt)
    assert response.status_code == 200
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.worksheets[0]["A3"].value.startswith("Kỳ báo cáo:")
    elif fmt == "csv":
        assert response.content.decode("utf-8-sig").startswith(("no,", "# "))


def test_indicators_excel_totals_match_the_api(scenario, supervisor):
    body = get(supervisor, "indicators", **JULY).json()
    ws = load_workbook(io.BytesIO(get(supervisor, "indicators", **JULY, format="xlsx").content)).active
    totals_row = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Tổng cộng")
    assert totals_row[2:5] == (
        body["totals"]["received"],
        body["totals"]["received_online"],
        body["totals"]["online_share"],
    )
    assert body["totals"]["online_share"] == 0.3636


def test_a_head_sees_only_their_own_agency(scenario):
    head_b = client_for("lanhdao_b", "head", agency=scenario.b)
    body = get(head_b, "processing", **JULY).json()
    assert [row["code"] for row in body["rows"]] == ["000.00.02.H57"]
    assert body["totals"] == expected.AGENCY_B
    assert body["unit"] == "Sở Xây dựng"
    indicators = get(head_b, "indicators", **JULY).json()
    assert [row["code"] for row in indicators["rows"]] == ["000.00.02.H57"]
    dashboard = get(head_b, "dashboard", **JULY).json()
    assert [row["code"] for row in dashboard["on_time_by_agency"]] == ["000.00.02.H57"]


@pytest.mark.parametrize("report", ENDPOINTS)
def test_others_are_refused(scenario, report):
    specialist = client_for("chuyenvien", "specialist", agency=scenario.a)
    assert get(specialist, report, **JULY).status_code == 403
    head_without_agency = client_for("lanhdao", "head")
    assert get(head_without_agency, report, **JULY).status_code == 403
    anonymous = get(APIClient(), report, **JULY)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01", "to": "2026-07-31"}, "from"),
        ({"from": "2026-07-01"}, "to"),
        ({}, "from"),
        ({"from": "2026-07-31", "to": "2026-07-01"}, "to"),
        ({**JULY, "group_by": "colour"}, "group_by"),
        ({**JULY, "format": "pdf"}, "format"),
        ({"period": "month", "number": "7"}, "year"),
        ({"period": "month", "year": "2026"}, "number"),
        ({"period": "month", "year": "2026", "number": "seven"}, "number"),
        ({"period": "week", "year": "2026"}, "period"),
    ],
)
def test_bad_parameters_are_named(supervisor, params, field):
    response = get(supervisor, "processing", **params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_cutting_rejects_the_level_grouping(supervisor):
    response = get(supervisor, "cutting", **JULY, group_by="level")
    assert response.status_code == 400
    assert "group_by" in response.json()["error"]["fields"]


def test_a_constant_number_of_queries(scenario, supervisor, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        get(supervisor, "processing", **JULY, group_by="procedure")


def test_the_schema_documents_parameters_files_and_errors(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for report in ENDPOINTS:
        operation = schema["paths"][f"/api/v1/reports/{report}/"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"from", "to", "period", "year", "number", "format"} <= names
        assert {"200", "400", "401", "403"} <= set(operation["responses"])
        content = operation["responses"]["200"]["content"]
        assert {"application/json", "text/csv"} <= set(content)
    processing = schema["paths"]["/api/v1/reports/processing/"]["get"]
    row = schema["components"]["schemas"]["ProcessingReportRow"]["properties"]
    assert set(PROCESSING_KEYS) <= set(row)
    assert "examples" in processing["responses"]["200"]["content"]["application/json"]
