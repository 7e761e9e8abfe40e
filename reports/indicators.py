"""Decision 766-style service indicators per agency and the leadership dashboard."""

from collections.abc import Sequence

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from procedures.models import OnlineLevel, Procedure
from workflows.models import (
    Channel,
    DossierRating,
    DossierStatus,
    Result,
    Verdict,
)

from ._query import _dossiers, _labels, _resolved, without_jit
from .assembly import Report, column_sums, ratio
from .indicators_rollup import rolled_flow_counts
from .performance import cutting_report
from .periods import Period


def _indicator_counts(period: Period, agency_ids) -> dict[int, dict]:
    rolled = rolled_flow_counts(period=period, agency_ids=agency_ids, by="agency")
    if rolled is not None:
        return {key: {k: v for k, v in row.items() if k != "seen"} for key, row in rolled.items()}
    received = Q(received_at__gte=period.start, received_at__lt=period.end) & ~Q(
        status=DossierStatus.REJECTED
    )
    resolved = Q(
        finished_at__gte=period.start,
        finished_at__lt=period.end,
        result__in=[Result.APPROVED, Result.REFUSED],
    )
    rows = (
        _dossiers(agency_ids)
        .filter(
            Q(received_at__gte=period.start, received_at__lt=period.end)
            | Q(finished_at__gte=period.start, finished_at__lt=period.end)
        )
        .values("receiving_agency_id")
        .annotate(
            received=Count("pk", filter=received),
            received_online=Count("pk", filter=received & Q(channel=Channel.ONLINE)),
            resolved=Count("pk", filter=resolved),
            resolved_in_time=Count("pk", filter=resolved & Q(verdict__in=[Verdict.EARLY, Verdict.ON_TIME])),
        )
    )
    return {row.pop("receiving_agency_id"): row for row in rows}


INDICATOR_COUNTS = (
    "received",
    "received_online",
    "resolved",
    "resolved_in_time",
    "procedures",
    "procedures_online_full",
    "procedures_online_partial",
    "ratings",
    "rating_sum",
    "ratings_good",
)


def _indicator_rates(counts: dict) -> dict:
    return {
        "on_time_rate": ratio(counts["resolved_in_time"], counts["resolved"]),
        "online_share": ratio(counts["received_online"], counts["received"]),
        "online_full_share": ratio(counts["procedures_online_full"], counts["procedures"]),
        "online_partial_share": ratio(counts["procedures_online_partial"], counts["procedures"]),
        "rating_mean": ratio(counts["rating_sum"], counts["ratings"], 2),
        "rating_good_share": ratio(counts["ratings_good"], counts["ratings"]),
    }


@without_jit
def indicators_report(*, period: Period, agency_ids: Sequence[int] | None = None, unit: str = "") -> Report:
    """Decision 766-style indicators per receiving agency and for the province (``totals``, computed
    from the summed counts, not as a mean of rates). On-time = resolved early or on time among those
    resolved in the period; online share among received in the period; procedures offered online
    fully / partly among the agency's active procedures (current version); ratings given in the
    period (mean score, share of 4–5). Three aggregate queries and one for labels."""
    dossiers = _indicator_counts(period, agency_ids)
    procedures_qs = Procedure.objects.order_by().filter(active=True)
    ratings_qs = DossierRating.objects.order_by().filter(
        created_at__gte=period.start, created_at__lt=period.end
    )
    if agency_ids is not None:
        procedures_qs = procedures_qs.filter(receiving_agency_id__in=list(agency_ids))
        ratings_qs = ratings_qs.filter(dossier__receiving_agency_id__in=list(agency_ids))
    procedures = {
        row.pop("receiving_agency_id"): row
        for row in procedures_qs.values("receiving_agency_id").annotate(
            procedures=Count("pk"),
            procedures_online_full=Count("pk", filter=Q(current_version__online_level=OnlineLevel.FULL)),
            procedures_online_partial=Count(
                "pk", filter=Q(current_version__online_level=OnlineLevel.PARTIAL)
            ),
        )
    }
    ratings = {
        row.pop("dossier__receiving_agency_id"): row
        for row in ratings_qs.values("dossier__receiving_agency_id").annotate(
            ratings=Count("pk"), rating_sum=Sum("score"), ratings_good=Count("pk", filter=Q(score__gte=4))
        )
    }
    keys = set(dossiers) | set(procedures) | set(ratings)
    labels = _labels("agency", keys)
    rows = []
    for key in keys:
        counts = dict.fromkeys(INDICATOR_COUNTS, 0)
        for source in (dossiers, procedures, ratings):
            counts.update({k: v or 0 for k, v in source.get(key, {}).items()})
        code, name = labels.get(key, ("", str(key)))
        rows.append({"key": key, "code": code, "name": name, **counts, **_indicator_rates(counts)})
    rows.sort(key=lambda r: r["code"])
    totals = column_sums(rows, INDICATOR_COUNTS)
    totals.update(_indicator_rates(totals))
    return Report(kind="indicators", period=period, group_by="agency", rows=rows, totals=totals, unit=unit)


def _months(period: Period) -> list:
    months, (year, month) = [], (period.date_from.year, period.date_from.month)
    while (year, month) <= (period.date_to.year, period.date_to.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _per_month(qs: QuerySet, column: str) -> dict[str, int]:
    tz = timezone.get_default_timezone()
    rows = qs.annotate(month=TruncMonth(column, tzinfo=tz)).values("month").annotate(n=Count("pk"))
    return {timezone.localtime(row["month"], tz).strftime("%Y-%m"): row["n"] for row in rows}


def monthly_counts(*, period: Period, agency_ids: Sequence[int] | None = None) -> list[dict]:
    """Received (not refused at intake) and resolved per month of the period, every month listed
    (zeros included), months on the office clock. Two aggregate queries (from the rollup when
    there is one: ``reports.indicators_rollup``)."""
    rolled = rolled_flow_counts(period=period, agency_ids=agency_ids, by="month")
    if rolled is not None:
        return [
            {
                "month": m,
                "received": rolled.get(m, {}).get("received", 0),
                "resolved": rolled.get(m, {}).get("resolved", 0),
            }
            for m in _months(period)
        ]
    received = _per_month(
        _dossiers(agency_ids)
        .filter(received_at__gte=period.start, received_at__lt=period.end)
        .exclude(status=DossierStatus.REJECTED),
        "received_at",
    )
    resolved = _per_month(_resolved(period, agency_ids), "finished_at")
    return [
        {"month": m, "received": received.get(m, 0), "resolved": resolved.get(m, 0)} for m in _months(period)
    ]


@without_jit
def dashboard(*, period: Period, agency_ids: Sequence[int] | None = None, slowest: int = 10) -> dict:
    """What the leadership dashboard draws: received and resolved per month, on-time rate per
    agency, and the procedures slowest against their committed time (median / committed hours)."""
    months = monthly_counts(period=period, agency_ids=agency_ids)
    indicators = indicators_report(period=period, agency_ids=agency_ids)
    cutting = cutting_report(period=period, group_by="procedure", agency_ids=agency_ids)
    ranked = [
        {**row, "median_vs_committed": round(row["median_hours"] / row["committed_hours"], 3)}
        for row in cutting.rows
        if row["median_hours"] is not None and row["committed_hours"]
    ]
    ranked.sort(key=lambda r: -r["median_vs_committed"])
    return {
        "period": period.as_dict(),
        "months": months,
        "on_time_by_agency": [
            {
                "key": r["key"],
                "code": r["code"],
                "name": r["name"],
                "resolved": r["resolved"],
                "on_time_rate": r["on_time_rate"],
            }
            for r in indicators.rows
        ],
        "slowest_procedures": [
            {
                k: r[k]
                for k in (
                    "key",
                    "code",
                    "name",
                    "resolved",
                    "committed_hours",
                    "median_hours",
                    "p90_hours",
                    "median_vs_committed",
                )
            }
            for r in ranked[:slowest]
        ],
    }
