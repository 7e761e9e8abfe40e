"""What the dashboard shows, from the report functions (``reports.selectors``: SQL aggregation).

``build`` calls each report once; the rest are pure functions over the reports' aggregated rows
(one row per agency, field, procedure or step, never per dossier) that pick the chart series.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.charts import Series, horizontal, vertical
from reports import selectors
from reports.assembly import ratio
from reports.periods import Period

CHART_ROWS = 12  # the longest chart; the tables below list every row


def on_time_rate(row: dict) -> float | None:
    """(early + on time) / resolved, the indicators report's definition; None when nothing resolved."""
    return ratio(row["resolved_early"] + row["resolved_on_time"], row["resolved_total"])


def percent(value) -> str:
    return "–" if value is None else f"{number_format(value * 100, 1)} %"


def count(value) -> str:
    return "–" if value is None else number_format(value, 0, force_grouping=True)


def hours(value) -> str:
    return "–" if value is None else number_format(value, 1)


def export_url(report: str, period: Period, **extra) -> str:
    query = {
        "from": period.date_from.isoformat(),
        "to": period.date_to.isoformat(),
        **extra,
        "format": "xlsx",
    }
    return f"/api/v1/reports/{report}/?{urlencode(query)}"


def _with_rates(rows: Sequence[dict]) -> list[dict]:
    return [{**row, "on_time_rate": on_time_rate(row)} for row in rows]


def rate_chart(rows: Sequence[dict]):
    shown = [row for row in rows if row["resolved_total"]][:CHART_ROWS]
    return horizontal(
        [row["name"] for row in shown],
        [Series(_("On-time rate"), "s1", [row["on_time_rate"] for row in shown])],
        fmt=percent,
        max_value=1.0,
        width=440,
        label_width=150,
    )


def volume_chart(rows: Sequence[dict]):
    shown = list(rows)[:CHART_ROWS]
    return horizontal(
        [row["name"] for row in shown],
        [
            Series(_("Received"), "s1", [row["received_total"] for row in shown]),
            Series(_("Resolved"), "s2", [row["resolved_total"] for row in shown]),
            Series(_("In progress"), "s3", [row["in_progress_total"] for row in shown]),
        ],
        fmt=count,
    )


def months_chart(months: Sequence[dict]):
    return vertical(
        [f"{m['month'][5:]}/{m['month'][:4]}" for m in months],
        [
            Series(_("Received"), "s1", [m["received"] for m in months]),
            Series(_("Resolved"), "s2", [m["resolved"] for m in months]),
        ],
        fmt=count,
    )


def cutting_chart(rows: Sequence[dict]):
    shown = sorted(rows, key=lambda r: -r["resolved"])[:CHART_ROWS]
    return horizontal(
        [f"{row['code']} {row['name']}" for row in shown],
        [
            Series(_("Legal"), "s4", [row["legal_hours"] for row in shown]),
            Series(_("Committed"), "s1", [row["committed_hours"] for row in shown]),
            Series(_("Actual p50"), "s2", [row["median_hours"] for row in shown]),
            Series(_("Actual p90"), "s3", [row["p90_hours"] for row in shown]),
        ],
        fmt=hours,
    )


def worst_steps(report) -> list[dict]:
    """The report's ``top_late_steps`` (ranked by late tasks), as its full rows."""
    by_key = {(row["step_id"], row["agency_id"]): row for row in report.rows}
    return [by_key[(top["step_id"], top["agency_id"])] for top in report.extra["top_late_steps"]]


def bottleneck_chart(rows: Sequence[dict]):
    return horizontal(
        [f"{row['step_name']} · {row['agency_name']}" for row in rows],
        [Series(_("Late share"), "s3", [row["late_share"] for row in rows])],
        fmt=percent,
        max_value=1.0,
    )


def build(*, period: Period, agency_ids: Sequence[int] | None, unit: str = "") -> dict:
    """Every figure of the page: six reports, a constant number of aggregate queries."""
    by_agency = selectors.processing_report(
        period=period, group_by="agency", agency_ids=agency_ids, unit=unit
    )
    by_field = selectors.processing_report(period=period, group_by="field", agency_ids=agency_ids, unit=unit)
    cutting = selectors.cutting_report(period=period, group_by="procedure", agency_ids=agency_ids, unit=unit)
    bottlenecks = selectors.bottleneck_report(period=period, agency_ids=agency_ids, unit=unit)
    months = selectors.monthly_counts(period=period, agency_ids=agency_ids)
    agencies = _with_rates(by_agency.rows)
    fields = _with_rates(by_field.rows)
    worst = worst_steps(bottlenecks)
    return {
        "totals": {**by_agency.totals, "on_time_rate": on_time_rate(by_agency.totals)},
        "agencies": agencies,
        "fields": fields,
        "months": months,
        "cutting": cutting,
        "bottlenecks": bottlenecks,
        "worst_steps": worst,
        "charts": {
            "months": months_chart(months),
            "agency_rates": rate_chart(agencies),
            "field_rates": rate_chart(fields),
            "agency_volumes": volume_chart(agencies),
            "cutting": cutting_chart(cutting.rows),
            "bottlenecks": bottleneck_chart(worst),
        },
        "exports": {
            "agencies": export_url("processing", period, group_by="agency"),
            "fields": export_url("processing", period, group_by="field"),
            "months": export_url("dashboard", period),
            "cutting": export_url("cutting", period, group_by="procedure"),
            "bottlenecks": export_url("bottlenecks", period),
            "indicators": export_url("indicators", period),
        },
    }
