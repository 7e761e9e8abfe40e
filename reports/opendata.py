"""Open data: the public datasets (no personal data; small cells suppressed).

Every figure comes from the report aggregations (``reports.processing``: form II.06a's counted
columns, one query per month; processing time and ratings: one aggregate each per month), so a
dataset's months add up to form II.06a for the same period. Rows are per agency, field or
procedure and month; no dossier, applicant or staff member appears, only codes and names of
agencies, fields and procedures.

Suppression (``suppress``, pure): a count between 1 and ``min_cell - 1`` is published as empty
(``None``), and so is every figure derived from it (rates, means, p90). Where a total and its
parts are both published, a single hidden part could be recomputed by subtraction, so the
smallest other part is hidden too (complementary suppression, within a row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.db.models import Avg, Count, F, Max, Min, Sum
from django.utils import timezone

from core.exceptions import InvalidInput
from procedures.durations import HOURS_PER_WORKING_DAY
from procedures.models import Procedure
from workflows.models import Dossier, DossierRating

from ._query import GROUP_FIELDS, _labels, _resolved, without_jit
from .assembly import processing_figures, ratio
from .columns import PROCESSING_KEYS
from .periods import Period, make_period
from .processing import processing_counts, processing_report
from .stats import grouped_percentiles

MAX_MONTHS = 36
MONTHLY_GROUPS = {"agency-monthly": "agency", "field-monthly": "field", "procedure-monthly": "procedure"}

MONTHLY_COUNTS = (
    "received",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress_total",
    "in_progress_overdue",
    "ratings",
)
MONTHLY_COLUMNS = (
    "month",
    "code",
    "name",
    *MONTHLY_COUNTS[:7],
    "on_time_rate",
    "mean_days",
    "p90_days",
    "ratings",
    "rating_mean",
)
# Additive relations within a row: (total, parts). A hidden part must not be recomputable.
MONTHLY_RELATIONS = (("resolved_total", ("resolved_early", "resolved_on_time", "resolved_late")),)
II06A_RELATIONS = (
    ("received_total", ("received_online", "received_direct", "carried_over")),
    ("received_direct", ("received_in_person", "received_postal")),
    ("resolved_total", ("resolved_early", "resolved_on_time", "resolved_late")),
    ("in_progress_total", ("in_progress_within_due", "in_progress_overdue")),
    ("resolved_late", ("late_with_apology", "late_without_apology")),
)
II06A_COLUMNS = ("quarter", "code", "name", *PROCESSING_KEYS)
CATALOG_COLUMNS = (
    "code",
    "name",
    "field_code",
    "field_name",
    "agency_code",
    "agency_name",
    "level",
    "version",
    "legal_duration_value",
    "legal_duration_unit",
    "committed_duration_value",
    "committed_duration_unit",
    "online_level",
    "fee",
)


def min_cell() -> int:
    return max(int(getattr(settings, "ONESTOP_OPEN_DATA_MIN_CELL", 5)), 1)


# --- periods ---------------------------------------------------------------------------------


def default_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve whole months before the current one."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    first = dt.date(last.year - 1, last.month, 1) + dt.timedelta(days=32)
    return first.replace(day=1), last


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def split(period: Period, months: int = 1) -> list[Period]:
    """The period cut at month (or quarter, ``months=3``) boundaries; the ends keep the period's
    own first and last days, so the pieces cover exactly the period."""
    if (period.date_to.year - period.date_from.year) * 12 + period.date_to.month - period.date_from.month >= (
        MAX_MONTHS
    ):
        raise InvalidInput(
            f"Khoảng thời gian tối đa {MAX_MONTHS} tháng.", fields={"to": [f"Tối đa {MAX_MONTHS} tháng."]}
        )
    tz = timezone.get_default_timezone()
    pieces, start = [], period.date_from
    while start <= period.date_to:
        boundary = start.replace(day=1)
        while True:
            boundary = _month_after(boundary)
            if (boundary.month - 1) % months == 0:
                break
        end = min(boundary - dt.timedelta(days=1), period.date_to)
        label = f"{start:%Y-%m}" if months == 1 else f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        pieces.append(make_period(date_from=start, date_to=end, tz=tz, label=label))
        start = end + dt.timedelta(days=1)
    return pieces


# --- suppression (pure) ----------------------------------------------------------------------


def _small(value, limit: int) -> bool:
    return value is not None and 0 < value < limit


def suppress(
    row: Mapping, *, counts: Iterable[str], relations: Sequence[tuple[str, Sequence[str]]], limit: int
) -> dict:
    """``row`` with every count in 1..limit-1 set to None, then, for each (total, parts) relation
    with the total published and exactly one part hidden, the smallest other part hidden too."""
    out = dict(row)
    for key in counts:
        if _small(out.get(key), limit):
            out[key] = None
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            if out.get(total) is None:
                continue
            hidden = [p for p in parts if out.get(p) is None]
            shown = [p for p in parts if out.get(p) is not None]
            if len(hidden) == 1 and shown:
                out[min(shown, key=lambda p: (out[p], p))] = None
                changed = True
    return out


def monthly_public(raw: Mapping, limit: int) -> dict:
    """One published monthly row from its raw counts: suppressed counts, and the derived figures
    only where every count behind them is published and at least ``limit``."""
    row = suppress(raw, counts=MONTHLY_COUNTS, relations=MONTHLY_RELATIONS, limit=limit)
    resolved = row["resolved_total"]
    timed = resolved is not None and resolved >= limit
    in_time = (
        None
        if row["resolved_early"] is None or row["resolved_on_time"] is None
        else row["resolved_early"] + row["resolved_on_time"]
    )
    out = {key: row.get(key) for key in MONTHLY_COLUMNS}
    out["on_time_rate"] = ratio(in_time, resolved) if timed and in_time is not None else None
    out["mean_days"] = raw["mean_days"] if timed else None
    out["p90_days"] = raw["p90_days"] if timed else None
    rated = row["ratings"] is not None and row["ratings"] >= limit
    out["rating_mean"] = ratio(raw["rating_sum"], raw["ratings"], 2) if rated else None
    return out


# --- queries ---------------------------------------------------------------------------------


def _days(hours):
    return round(hours / HOURS_PER_WORKING_DAY, 2) if hours is not None else None


def _month_raw(month: Period, group_by: str) -> dict:
    """key → the raw monthly counts of ``month``: three aggregate queries and one for p90."""
    key = GROUP_FIELDS[group_by]
    rows: dict = {}
    for counted in processing_counts(period=month, group_by=group_by):
        figures = processing_figures(counted)
        rows[counted["key"]] = {
            "received": figures["received_online"] + figures["received_direct"],
            **{k: figures[k] for k in MONTHLY_COUNTS[1:7]},
        }
    resolved = _resolved(month, None)
    means = {r[key]: r["mean"] for r in resolved.values(key).annotate(mean=Avg("processing_hours"))}
    p90 = grouped_percentiles(resolved, group_by=[key], values=["processing_hours"], percentiles=(0.9,))
    ratings = {
        r["k"]: r
        for r in DossierRating.objects.order_by()
        .filter(created_at__gte=month.start, created_at__lt=month.end)
        .values(k=F(f"dossier__{key}"))
        .annotate(ratings=Count("pk"), rating_sum=Sum("score"))
    }
    for group in set(rows) | set(ratings):
        row = rows.setdefault(group, dict.fromkeys(MONTHLY_COUNTS[:7], 0))
        row["mean_days"] = _days(means.get(group))
        row["p90_days"] = _days(p90.get((group,), {}).get("processing_hours_p90"))
        row["ratings"] = ratings.get(group, {}).get("ratings", 0)
        row["rating_sum"] = ratings.get(group, {}).get("rating_sum") or 0
    return rows


@without_jit
def monthly_raw(*, period: Period, group_by: str) -> list[dict]:
    """Unsuppressed monthly rows per group (internal: the public page aggregates them first)."""
    out = []
    months = split(period)
    per_month = [(month, _month_raw(month, group_by)) for month in months]
    keys = {k for _, rows in per_month for k in rows}
    labels = _labels(group_by, keys)
    for month, rows in per_month:
        for group, row in rows.items():
            code, name = labels.get(group, ("", str(group)))
            out.append({"month": month.label, "key": group, "code": code, "name": name, **row})
    out.sort(key=lambda r: (r["month"], r["code"] or "", r["name"] or ""))
    return out


def summed(rows: Iterable[Mapping], by: str) -> list[dict]:
    """Raw monthly rows summed per ``by`` (``month`` or ``code``), counts only (means and
    percentiles do not add up: left empty). Over aggregated rows, never dossiers."""
    out: dict = {}
    for row in rows:
        group = out.setdefault(
            row[by],
            {"month": row["month"] if by == "month" else "", "code": row["code"] if by == "code" else "",
             "name": row["name"] if by == "code" else row["month"], "mean_days": None, "p90_days": None,
             **dict.fromkeys((*MONTHLY_COUNTS, "rating_sum"), 0)},
        )  # fmt: skip
        for key in (*MONTHLY_COUNTS, "rating_sum"):
            if by == "month" or key not in ("in_progress_total", "in_progress_overdue"):
                group[key] += row.get(key) or 0
    if by != "month":  # a stock at a month's end: not summed over months
        for group in out.values():
            group["in_progress_total"] = group["in_progress_overdue"] = None
    return [out[k] for k in sorted(out)]


def monthly_dataset(*, period: Period, group_by: str, limit: int | None = None) -> list[dict]:
    limit = limit or min_cell()
    return [monthly_public(row, limit) for row in monthly_raw(period=period, group_by=group_by)]


@without_jit
def ii06a_dataset(*, period: Period, limit: int | None = None) -> list[dict]:
    """Form II.06a per quarter (clipped to the period) and receiving agency, suppressed."""
    limit = limit or min_cell()
    out = []
    for quarter in split(period, months=3):
        report = processing_report(period=quarter, group_by="agency")
        for row in report.rows:
            public = suppress(row, counts=PROCESSING_KEYS, relations=II06A_RELATIONS, limit=limit)
            out.append({"quarter": quarter.label, **{k: public.get(k) for k in II06A_COLUMNS[1:]}})
    return out


def catalog_dataset() -> list[dict]:
    """The active procedures with their current version's legal and committed durations."""
    rows = (
        Procedure.objects.filter(active=True, current_version__isnull=False)
        .order_by("code")
        .values(
            "code",
            "name",
            "level",
            field_code=F("field__code"),
            field_name=F("field__name"),
            agency_code=F("receiving_agency__code"),
            agency_name=F("receiving_agency__name"),
            version=F("current_version__number"),
            legal_duration_value=F("current_version__legal_duration_value"),
            legal_duration_unit=F("current_version__legal_duration_unit"),
            committed_duration_value=F("current_version__committed_duration_value"),
            committed_duration_unit=F("current_version__committed_duration_unit"),
            online_level=F("current_version__online_level"),
            fee=F("current_version__fee"),
        )
    )
    return [{key: row[key] for key in CATALOG_COLUMNS} for row in rows]


def coverage() -> tuple[dt.date | None, dt.date | None]:
    """The first and last local dates with a received dossier (temporal coverage)."""
    span = Dossier.objects.order_by().aggregate(first=Min("received_at"), last=Max("received_at"))
    return tuple(timezone.localdate(v) if v else None for v in (span["first"], span["last"]))


__all__ = [
    "CATALOG_COLUMNS",
    "II06A_COLUMNS",
    "MONTHLY_COLUMNS",
    "MONTHLY_GROUPS",
    "catalog_dataset",
    "coverage",
    "default_dates",
    "ii06a_dataset",
    "min_cell",
    "monthly_dataset",
    "monthly_public",
    "monthly_raw",
    "summed",
    "split",
    "suppress",
]
