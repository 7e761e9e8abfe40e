"""/thong-ke/: the open data's figures as charts for anyone, suppressed, throttled, translated."""

import datetime as dt
import re

import pytest
from django.core.cache import cache

from api.throttling import LOCAL_COUNTERS
from citizen import statistics_page
from tests.opendata.conftest import scenario  # noqa: F401 - the July 2026 scenario with personal data
from workflows.models import Dossier

CELL = re.compile(r'data-cell="([^"]+)"(?: data-value="[^"]*")?>([^<]*)<')
YEAR = {"from": "2025-08-01", "to": "2026-07-31"}


@pytest.fixture(autouse=True)
def august_2026(monkeypatch):
    """The page shows the twelve months before the current one: August 2025 – July 2026."""
    monkeypatch.setattr(statistics_page, "_today", lambda: dt.date(2026, 8, 15))
    cache.clear()
    LOCAL_COUNTERS.clear()
    yield
    cache.clear()


def _cells(html):
    return {k: v.strip() for k, v in CELL.findall(html)}


def test_anyone_sees_the_charts_in_vietnamese(client, scenario):  # noqa: F811
    response = client.get("/thong-ke/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tình hình giải quyết hồ sơ" in html and "Tỷ lệ đúng hạn theo cơ quan" in html
    assert 'data-testid="chart-months"' in html and 'data-testid="chart-rates"' in html
    assert "2025-08" in html and "2026-07" in html
    assert 'href="/api/v1/open-data/"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    english = client.get("/thong-ke/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How dossiers are handled" in english


def test_the_figures_are_the_open_datasets(client, scenario, settings):  # noqa: F811
    settings.ONESTOP_OPEN_DATA_MIN_CELL = 1
    rows = client.get("/api/v1/open-data/agency-monthly.json", YEAR).json()["rows"]
    cells = _cells(client.get("/thong-ke/").content.decode())
    for code in ("000.00.01.H57", "000.00.02.H57"):
        mine = [r for r in rows if r["code"] == code]
        assert int(cells[f"{code}:received"]) == sum(r["received"] for r in mine)
        assert int(cells[f"{code}:resolved_total"]) == sum(r["resolved_total"] for r in mine)
        assert int(cells[f"{code}:resolved_late"]) == sum(r["resolved_late"] for r in mine)


def test_small_figures_are_not_shown(client, scenario):  # noqa: F811
    cells = _cells(client.get("/thong-ke/").content.decode())
    b = {k.split(":")[1]: v for k, v in cells.items() if k.startswith("000.00.02.H57:")}
    assert b["resolved_total"] == "–" and b["on_time_rate"] == "–"  # B resolved 2 in the year
    for value in cells.values():
        assert value == "–" or not value.isdigit() or not 0 < int(value) < 5


def test_no_personal_data_on_the_page(client, scenario):  # noqa: F811
    html = client.get("/thong-ke/").content.decode()
    for row in Dossier.objects.values_list(
        "code", "applicant_name", "applicant_id_number", "applicant_phone"
    ):
        for value in row:
            assert value not in html


def test_the_page_is_throttled_with_the_public_rate(client, scenario, settings):  # noqa: F811
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "2/minute"}}
    assert [client.get("/thong-ke/").status_code for _ in range(3)] == [200, 200, 429]
