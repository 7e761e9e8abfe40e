"""The public open-data feed: totals equal form II.06a, no personal data, small cells suppressed,
no login, cached, throttled, still served with the cache down."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from reports.columns import PROCESSING_KEYS
from reports.periods import make_period
from reports.processing import processing_report
from workflows.models import Dossier

URL = "/api/v1/open-data/"
JUNE_JULY = {"from": "2026-06-01", "to": "2026-07-31"}
MONTHLY = ("agency-monthly", "field-monthly", "procedure-monthly")
ADDITIVE = ("resolved_total", "resolved_early", "resolved_on_time", "resolved_late")


def _period(first, last):
    import datetime as dt

    return make_period(
        date_from=dt.date.fromisoformat(first),
        date_to=dt.date.fromisoformat(last),
        tz=timezone.get_default_timezone(),
    )


def _json(client, dataset, **params):
    response = client.get(f"{URL}{dataset}.json", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def no_suppression(settings):
    settings.ONESTOP_OPEN_DATA_MIN_CELL = 1


@pytest.mark.parametrize("dataset", MONTHLY)
def test_monthly_totals_equal_form_ii06a_for_the_same_period(scenario, client, no_suppression, dataset):
    rows = _json(client, dataset, **JUNE_JULY)["rows"]
    report = processing_report(period=_period("2026-06-01", "2026-07-31"), group_by="agency").totals
    assert sum(r["received"] for r in rows) == report["received_online"] + report["received_direct"]
    for key in ADDITIVE:
        assert sum(r[key] for r in rows) == report[key], key
    july = [r for r in rows if r["month"] == "2026-07"]
    for key in ("in_progress_total", "in_progress_overdue"):  # a snapshot at the period's end
        assert sum(r[key] for r in july) == report[key], key
    assert {r["month"] for r in rows} == {"2026-06", "2026-07"}
    assert sum(r["ratings"] for r in rows) == 5


def test_the_hand_counted_july_figures_of_agency_a(scenario, client, no_suppression):
    rows = _json(client, "agency-monthly", **{"from": "2026-07-01", "to": "2026-07-31"})["rows"]
    [a] = [r for r in rows if r["code"] == "000.00.01.H57"]
    # Received in July at A (not refused at intake): 1, 3b, 5, 6, 9, 14, 16, 17, 7 = 9.
    assert a["received"] == 9
    # Resolved in July at A: 1 (early), 2 (on time), 7 (late), 8 (late).
    assert (a["resolved_total"], a["resolved_early"], a["resolved_on_time"], a["resolved_late"]) == (
        4,
        1,
        1,
        2,
    )
    assert a["on_time_rate"] == 0.5
    assert (a["ratings"], a["rating_mean"]) == (3, 3.67)


def test_ii06a_dataset_per_quarter_equals_the_report(scenario, client, no_suppression):
    rows = _json(client, "ii06a-quarterly", **{"from": "2026-07-01", "to": "2026-09-30"})["rows"]
    report = processing_report(period=_period("2026-07-01", "2026-09-30"), group_by="agency")
    assert {r["quarter"] for r in rows} == {"2026-Q3"}
    assert [{k: r[k] for k in ("code", *PROCESSING_KEYS)} for r in rows] == [
        {k: r[k] for k in ("code", *PROCESSING_KEYS)} for r in report.rows
    ]
    rows = _json(client, "ii06a-quarterly", **JUNE_JULY)["rows"]
    assert {r["quarter"] for r in rows} == {"2026-Q2", "2026-Q3"}
    whole = processing_report(period=_period("2026-06-01", "2026-07-31"), group_by="agency").totals
    for key in ("received_online", "received_direct", *ADDITIVE, "withdrawn", "rejected"):
        assert sum(r[key] for r in rows) == whole[key], key


def test_small_cells_are_suppressed_with_their_rates(scenario, client):
    for dataset in (*MONTHLY, "ii06a-quarterly"):
        body = _json(client, dataset, **JUNE_JULY)
        assert body["min_cell"] == 5
        for row in body["rows"]:
            for key, value in row.items():
                if isinstance(value, int) and key not in ("month", "quarter"):
                    assert not 0 < value < 5, (dataset, key, value)
            if dataset in MONTHLY:
                assert row["on_time_rate"] is None and row["rating_mean"] is None
    [a] = [
        r
        for r in _json(client, "agency-monthly", **JUNE_JULY)["rows"]
        if r["month"] == "2026-07" and r["code"] == "000.00.01.H57"
    ]
    assert a["received"] == 9 and a["resolved_total"] is None


def test_the_threshold_is_a_setting(scenario, client, settings):
    settings.ONESTOP_OPEN_DATA_MIN_CELL = 10
    rows = _json(client, "agency-monthly", **JUNE_JULY)["rows"]
    assert all(r["received"] in (0, None) for r in rows)


def _all_bodies(client):
    bodies = []
    for dataset in (*MONTHLY, "ii06a-quarterly", "procedures", "dictionary"):
        for fmt in ("csv", "json"):
            response = client.get(f"{URL}{dataset}.{fmt}", JUNE_JULY)
            assert response.status_code == 200
            bodies.append(response.content.decode())
    bodies.append(client.get(URL).content.decode())
    return bodies


@pytest.mark.parametrize("threshold", [1, 5])
def test_no_column_holds_personal_data(scenario, client, settings, threshold):
    settings.ONESTOP_OPEN_DATA_MIN_CELL = threshold
    personal = Dossier.objects.values_list(
        "code",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
    )
    values = {v for row in personal for v in row if v}
    assert len(values) > 60
    for body in _all_bodies(client):
        for value in values:
            assert value not in body, value


def test_csv_and_json_hold_the_same_rows(scenario, client):
    as_json = _json(client, "agency-monthly", **JUNE_JULY)
    text = client.get(f"{URL}agency-monthly.csv", JUNE_JULY).content.decode()
    reader = list(csv.DictReader(io.StringIO(text)))
    assert list(reader[0].keys()) == as_json["columns"]
    assert len(reader) == len(as_json["rows"])
    assert [r["received"] for r in reader] == [
        "" if r["received"] is None else str(r["received"]) for r in as_json["rows"]
    ]


def test_the_catalogue_describes_every_dataset_and_its_downloads(scenario, client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    body = json.loads(response.content)
    assert body["@type"] == "dcat:Catalog"
    names = {d["dct:identifier"] for d in body["dcat:dataset"]}
    assert names == {*MONTHLY, "ii06a-quarterly", "procedures", "dictionary"}
    for dataset in body["dcat:dataset"]:
        assert dataset["@type"] == "dcat:Dataset"
        assert {t["@language"] for t in dataset["dct:title"]} == {"vi", "en"}
        assert {t["@language"] for t in dataset["dct:description"]} == {"vi", "en"}
        assert dataset["dct:license"] and dataset["dct:modified"]
        assert dataset["describedBy"].endswith("/api/v1/open-data/dictionary.json")
        assert {d["dcat:mediaType"] for d in dataset["dcat:distribution"]} == {"text/csv", "application/json"}
        for distribution in dataset["dcat:distribution"]:
            path = distribution["dcat:downloadURL"].split("://", 1)[1].split("/", 1)[1]
            assert client.get("/" + path).status_code == 200
    monthly = next(d for d in body["dcat:dataset"] if d["dct:identifier"] == "agency-monthly")
    assert monthly["dct:temporal"] == {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": "2026-05-20",
        "dcat:endDate": "2026-08-01",
    }


def test_the_dictionary_defines_every_column_in_both_languages(client, db):
    rows = _json(client, "dictionary")["rows"]
    catalogue = {
        d: c for d, c in __import__("api.opendata", fromlist=["COLUMNS"]).COLUMNS.items() if d != "dictionary"
    }
    assert {(r["dataset"], r["column"]) for r in rows} == {
        (d, c) for d, cols in catalogue.items() for c in cols
    }
    assert all(r["definition_vi"] and r["definition_en"] for r in rows)


def test_the_procedure_catalog_has_legal_and_committed_durations(scenario, client):
    rows = _json(client, "procedures")["rows"]
    assert [r["code"] for r in rows] == ["1.000001", "1.000002", "1.000003"]
    assert all(r["legal_duration_value"] and r["committed_duration_value"] for r in rows)


def test_answers_are_cached(scenario, client):
    first = client.get(f"{URL}agency-monthly.json", JUNE_JULY).content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"{URL}agency-monthly.json", JUNE_JULY).content
    assert again == first
    assert len(queries) == 0
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{URL}agency-monthly.json", JUNE_JULY)
    assert len(queries) > 0


def test_no_login_needed_and_throttled_with_the_public_rate(scenario, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "3/minute"},
    }
    codes = [
        client.get(URL).status_code,
        client.get(f"{URL}procedures.csv").status_code,
        client.get(URL).status_code,
    ]
    assert codes == [200, 200, 200]
    assert client.get(f"{URL}procedures.json").status_code == 429


def test_served_with_the_cache_down(scenario, client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    assert client.get(f"{URL}agency-monthly.json", JUNE_JULY).status_code == 200
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("agency-monthly.json", {"from": "2026-13-01", "to": "2026-07-31"}, 400, "from"),
        ("agency-monthly.json", {"from": "2026-07-01"}, 400, "to"),
        ("agency-monthly.json", {"from": "2020-01-01", "to": "2026-07-31"}, 400, "to"),
        ("nope.json", {}, 404, None),
    ],
)
def test_bad_input(db, client, path, params, status, field):
    response = client.get(URL + path, params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] and error["message"]
    if field:
        assert field in error["fields"]
