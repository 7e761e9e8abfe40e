import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import selectors
from tests.factories import AgencyFactory, FieldFactory, make_procedure

from .conftest import JULY, add_timed_dossiers, july

pytestmark = pytest.mark.django_db

CELL = re.compile(r'data-cell="([^"]+)"(?: data-value="([^"]*)")?>([^<]*)<')


def cells(html: str) -> dict[str, str]:
    """data-cell → the raw value (data-value when present, else the text)."""
    return {
        m.group(1): (m.group(2) if m.group(2) is not None else m.group(3)).strip()
        for m in CELL.finditer(html)
    }


def _value(raw: str):
    if raw in ("", "None"):
        return None
    return float(raw)


def get(client, user, query=JULY):
    client.force_login(user)
    return client.get(f"/dashboard/?{query}")


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(f"/dashboard/?{JULY}")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/dashboard/%3Fperiod%3Dcustom")


@pytest.mark.parametrize("role", ["reception", "specialist"])
def test_reception_and_specialists_are_refused(client, scenario, make_user, role):
    response = get(client, make_user("u", role, agency=scenario.a))
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in response.content.decode()
    assert "chart-" not in response.content.decode()


def test_a_head_without_an_agency_is_refused(client, scenario, make_user):
    assert get(client, make_user("u", "head")).status_code == 403


def test_a_head_sees_only_their_agency(client, scenario, make_user):
    response = get(client, make_user("head_a", "head", agency=scenario.a))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'data-testid="unit">Sở Tư pháp<', html)
    found = cells(html)
    assert "agency:000.00.01.H57:received_total" in found
    assert not any("000.00.02.H57" in key for key in found)
    assert "Sở Xây dựng" not in html and "1.000003" not in html
    report = selectors.processing_report(period=july(), group_by="agency", agency_ids=[scenario.a.pk])
    assert int(found["total:received_total"]) == report.totals["received_total"]


def test_a_supervisor_sees_the_province(client, scenario, make_user):
    html = get(client, make_user("sup", "supervisor")).content.decode()
    found = cells(html)
    assert "agency:000.00.01.H57:received_total" in found and "agency:000.00.02.H57:received_total" in found
    assert "Toàn tỉnh" in html


def test_the_figures_are_the_report_functions_output(client, scenario, make_user):
    found = cells(get(client, make_user("sup", "supervisor")).content.decode())
    period = july()
    by_agency = selectors.processing_report(period=period, group_by="agency")
    by_field = selectors.processing_report(period=period, group_by="field")
    cutting = selectors.cutting_report(period=period, group_by="procedure")
    bottlenecks = selectors.bottleneck_report(period=period)
    for prefix, report in (("agency", by_agency), ("field", by_field)):
        assert report.rows
        for row in report.rows:
            for key in ("received_total", "resolved_total", "in_progress_total"):
                assert int(found[f"{prefix}:{row['code']}:{key}"]) == row[key]
            expected_rate = (row["resolved_early"] + row["resolved_on_time"]) / row["resolved_total"]
            assert _value(found[f"{prefix}:{row['code']}:on_time_rate"]) == pytest.approx(
                expected_rate, abs=1e-4
            )
    # Agency A: resolved 1, 2, 7, 8 and the three timed ones (one late): 2 early/on time + 2 on time of 7.
    assert _value(found["agency:000.00.01.H57:on_time_rate"]) == pytest.approx(4 / 7, abs=1e-4)
    assert int(found["total:received_total"]) == by_agency.totals["received_total"]
    for row in cutting.rows:
        for key in ("resolved", "legal_hours", "committed_hours", "median_hours", "p90_hours"):
            assert _value(found[f"cutting:{row['code']}:{key}"]) == row[key], key
    assert _value(found["cutting:1.000003:median_hours"]) == 70.0
    top = bottlenecks.extra["top_late_steps"]
    assert len(top) == 2
    for entry in top:
        row = next(
            r
            for r in bottlenecks.rows
            if (r["step_id"], r["agency_id"]) == (entry["step_id"], entry["agency_id"])
        )
        assert int(found[f"step:{row['step_id']}:late_tasks"]) == row["late_tasks"]
        assert _value(found[f"step:{row['step_id']}:late_share"]) == row["late_share"]


def test_every_chart_is_drawn_with_the_data(client, scenario, make_user):
    html = get(client, make_user("sup", "supervisor")).content.decode()
    for name in ("months", "agency-rates", "field-rates", "agency-volumes", "cutting", "bottlenecks"):
        svg = re.search(rf'<svg data-testid="chart-{name}".*?</svg>', html, re.S)
        assert svg, name
        values = [float(v) for v in re.findall(r'<rect [^>]*data-value="([0-9.]+)"', svg.group(0))]
        assert values and max(values) > 0, name
    months = re.search(r'<svg data-testid="chart-months".*?</svg>', html, re.S).group(0)
    july_received = selectors.monthly_counts(period=july())[0]["received"]
    assert f'data-value="{july_received}"' in months


def test_the_period_picker_accepts_months_quarters_halves_years(client, scenario, make_user):
    user = make_user("sup", "supervisor")
    for query, label in (
        ("period=month&year=2026&number=7", "Tháng 7 năm 2026"),
        ("period=quarter&year=2026&number=3", "Quý 3 năm 2026"),
        ("period=half&year=2026&number=2", "6 tháng 2 năm 2026"),
        ("period=year&year=2026", "Năm 2026"),
        (JULY, "Từ ngày 01/07/2026 đến ngày 31/07/2026"),
        ("period=custom&from=01/07/2026&to=31/07/2026", "Từ ngày 01/07/2026 đến ngày 31/07/2026"),
    ):
        response = get(client, user, query)
        assert response.status_code == 200, query
        assert f'data-testid="period">{label}<' in response.content.decode()
    bad = get(client, user, "period=custom&from=31/07/2026&to=01/07/2026")
    assert bad.status_code == 400 and 'data-testid="error"' in bad.content.decode()
    assert get(client, user, "period=month&year=2026&number=13").status_code == 400
    assert get(client, user, "period=custom&from=07/31/2026&to=31/07/2026").status_code == 400


def test_each_table_exports_to_excel_through_the_report_endpoints_with_the_session(
    client, scenario, make_user
):
    html = get(client, make_user("head_a", "head", agency=scenario.a)).content.decode()
    links = re.findall(r'href="(/api/v1/reports/[^"]+)"', html)
    assert len(links) == 6
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_constant_number_of_queries(client, scenario, make_user):
    user = make_user("sup", "supervisor")
    client.force_login(user)
    client.get(f"/dashboard/?{JULY}")  # session and permission caches warm

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/dashboard/?{JULY}").status_code == 200
        return len(queries)

    before = count()
    other = make_procedure(
        code="1.000099", agency=AgencyFactory(code="000.00.09.H57"), field=FieldFactory(code="F9")
    )
    add_timed_dossiers(other, (10, 30, 50, 70), late_tasks=3)
    add_timed_dossiers(scenario.pa2, (15, 25), late_tasks=1)
    assert count() == before
    assert before <= 32, before  # SQLite 18; PostgreSQL 30: each report also turns JIT off, in a savepoint
