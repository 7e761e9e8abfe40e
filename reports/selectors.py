"""Leadership statistics: form II.06a, cutting of processing time, bottlenecks, service indicators.

Every figure is one SQL aggregation over indexed columns of ``workflows.Dossier`` /
``DossierTask`` (a constant number of queries per report, whatever the number of dossiers); the
pure assembly (derived columns, totals, labels, changes) lives in ``reports.assembly``.

Definitions, for a period ``[S, E)`` (see ``reports.periods``: local dates, ``E`` exclusive):

* **withdrawal time** of a withdrawn dossier: ``Dossier.withdrawn_at``, set by the withdraw
  service together with its audit event; ``updated_at`` when it is missing (data imported without
  it).
* **received** (cols 4, 5): ``S ≤ received_at < E`` and status is not ``rejected``; online =
  channel ``online``; direct (5) = ``in_person`` + ``postal`` (also given apart).
* **rejected** (refused at intake): status ``rejected`` and ``S ≤ received_at < E`` (the refusal
  happens at the desk, at the intake time). Never counted in any other column.
* **open at instant t**: ``received_at < t``, not ``rejected``, not finished before ``t``
  (``finished_at`` null or ``≥ t``) and not withdrawn before ``t``.
* **carried over** (6): open at ``S``. **received total** (3) = 4 + 5 + 6.
* **resolved** (7–10): ``S ≤ finished_at < E`` with a result (approved or refused), split by the
  verdict the workflow stored at finish against ``due_at`` after extensions and pauses (finished on
  the due date = on time).
* **in progress** (11): open at ``E``. **overdue** (13): ``due_at < E``; but a dossier waiting for a
  supplement at ``E`` (a ``DossierPause`` with ``started_at < E`` and ``ended_at`` null or ``≥ E``)
  has its clock stopped, so it is overdue only if ``due_at`` was already passed when the pause began
  (``due_at < pause.started_at``). **within due** (12) = 11 − 13 (a dossier without a due time is
  within due).
* **waiting for supplement**: in progress and paused at ``E`` (as above); also counted in 11.
* **withdrawn**: status ``withdrawn`` and withdrawal time in ``[S, E)``.
* **late with / without apology**: resolved late with ``extended`` true / false.
"""

import functools
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from core.exceptions import InvalidInput
from procedures.durations import HOURS_PER_WORKING_DAY, WORKING_DAYS_PER_WEEK
from procedures.models import Agency, DurationUnit, Field, Level, OnlineLevel, Procedure
from workflows import rules
from workflows.models import (
    Channel,
    Dossier,
    DossierRating,
    DossierStatus,
    DossierTask,
    Result,
    TaskStatus,
    Verdict,
)

from .assembly import Report, assemble_processing, column_sums, cut_percent, ratio, version_changes
from .periods import Period
from .stats import grouped_percentiles

GROUP_FIELDS = {
    "agency": "receiving_agency_id",
    "field": "procedure__field_id",
    "procedure": "procedure_id",
    "level": "procedure__level",
}
CUTTING_GROUPS = ("procedure", "field", "agency")
PERCENTILES = (0.5, 0.9)


def without_jit(selector):
    """Run a report with PostgreSQL's JIT compilation off for its transaction.

    A scan of a million rows with ~20 conditional aggregates is priced high enough to trigger
    JIT, whose compilation costs more than the whole query (2.6 s measured). ``SET LOCAL`` keeps
    the setting to this report's transaction.
    """

    @functools.wraps(selector)
    def wrapper(*args, **kwargs):
        if connection.vendor != "postgresql":
            return selector(*args, **kwargs)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            return selector(*args, **kwargs)

    return wrapper


def _group_field(group_by: str, allowed: Sequence[str] = tuple(GROUP_FIELDS)) -> str:
    if group_by not in allowed:
        raise InvalidInput(
            f"group_by phải là một trong {', '.join(allowed)}.",
            fields={"group_by": [f"Giá trị hợp lệ: {', '.join(allowed)}."]},
        )
    return GROUP_FIELDS[group_by]


def _labels(group_by: str, keys) -> dict:
    """key → (code, name) for the groups present; one small query (none for levels)."""
    keys = [k for k in keys if k is not None]
    if group_by == "agency":
        return {a.id: (a.code, a.name) for a in Agency.objects.filter(id__in=keys).only("code", "name")}
    if group_by == "field":
        return {f.id: (f.code, f.name) for f in Field.objects.filter(id__in=keys).only("code", "name")}
    if group_by == "procedure":
        return {p.id: (p.code, p.name) for p in Procedure.objects.filter(id__in=keys).only("code", "name")}
    return {value: (value, str(label)) for value, label in Level.choices}


def _dossiers(agency_ids: Sequence[int] | None) -> QuerySet:
    qs = Dossier.objects.order_by()
    if agency_ids is not None:
        qs = qs.filter(receiving_agency_id__in=list(agency_ids))
    return qs


def _with_lookups(queryset: QuerySet, *, end) -> QuerySet:
    """Join, once per dossier, the pause running at ``end``, and name the withdrawal time.

    The pause join is a LEFT JOIN on a condition that matches at most one row per dossier (pauses
    do not overlap, so at most one runs at a given instant): rows are not multiplied, and
    PostgreSQL hashes the small filtered set instead of a correlated lookup per row. The
    withdrawal time is ``Dossier.withdrawn_at`` (set by the withdraw service), falling back to
    ``updated_at`` for a withdrawn dossier imported without it.
    """
    return queryset.alias(
        running_pause=FilteredRelation(
            "pauses",
            condition=rules.pause_running_at(end),
        ),
    ).alias(
        withdrawal_time=Case(
            When(status=DossierStatus.WITHDRAWN, then=Coalesce(F("withdrawn_at"), F("updated_at")))
        ),
        paused_since=F("running_pause__started_at"),
        clock_stop=Coalesce(F("running_pause__started_at"), Value(end)),
    )


def _open_at(at) -> Q:
    """Received before ``at``, not refused at intake, not finished nor withdrawn before ``at``.
    Cheap column tests come first: PostgreSQL evaluates a FILTER's AND left to right."""
    return (
        Q(received_at__lt=at)
        & ~Q(status=DossierStatus.REJECTED)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=at))
        & (Q(withdrawal_time__isnull=True) | Q(withdrawal_time__gte=at))
    )


def processing_queryset(
    *, period: Period, group_by: str, agency_ids: Sequence[int] | None = None
) -> QuerySet:
    """The counted columns of form II.06a per group: ONE aggregate query (conditional counts).

    The rows scanned are those received before ``E`` that were received in the period or not
    finished before ``S`` (finished_at is null for open, withdrawn and rejected dossiers), which
    PostgreSQL reads through the ``received_at`` and ``finished_at`` indexes.
    """
    key = _group_field(group_by)
    start, end = period.start, period.end
    received = Q(received_at__gte=start, received_at__lt=end) & ~Q(status=DossierStatus.REJECTED)
    resolved = Q(finished_at__gte=start, finished_at__lt=end, result__in=[Result.APPROVED, Result.REFUSED])
    in_progress = _open_at(end)
    paused = Q(paused_since__isnull=False)
    late = resolved & Q(verdict=Verdict.LATE)
    counted = {
        "received_online": received & Q(channel=Channel.ONLINE),
        "received_in_person": received & Q(channel=Channel.IN_PERSON),
        "received_postal": received & Q(channel=Channel.POSTAL),
        "carried_over": _open_at(start),
        "resolved_total": resolved,
        "resolved_early": resolved & Q(verdict=Verdict.EARLY),
        "resolved_on_time": resolved & Q(verdict=Verdict.ON_TIME),
        "resolved_late": late,
        "resolved_refused": resolved & Q(result=Result.REFUSED),
        "late_with_apology": late & Q(extended=True),
        "in_progress_total": in_progress,
        "in_progress_overdue": in_progress & Q(due_at__isnull=False) & Q(due_at__lt=F("clock_stop")),
        "waiting_supplement": in_progress & paused,
        "withdrawn": Q(status=DossierStatus.WITHDRAWN, withdrawal_time__gte=start, withdrawal_time__lt=end),
        "rejected": Q(status=DossierStatus.REJECTED, received_at__gte=start, received_at__lt=end),
    }
    rows = (
        _dossiers(agency_ids)
        .filter(received_at__lt=end)
        .filter(Q(received_at__gte=start) | Q(finished_at__isnull=True) | Q(finished_at__gte=start))
    )
    return (
        _with_lookups(rows, end=end)
        .values(key)
        .annotate(**{name: Count("pk", filter=condition) for name, condition in counted.items()})
    )


def processing_counts(
    *, period: Period, group_by: str, agency_ids: Sequence[int] | None = None
) -> list[dict]:
    key = _group_field(group_by)
    rows = processing_queryset(period=period, group_by=group_by, agency_ids=agency_ids)
    return [{"key": row.pop(key), **row} for row in rows]


@without_jit
def processing_report(
    *, period: Period, group_by: str = "agency", agency_ids: Sequence[int] | None = None, unit: str = ""
) -> Report:
    """Form II.06a for ``period``: one row per receiving agency / field / procedure / level."""
    counted = processing_counts(period=period, group_by=group_by, agency_ids=agency_ids)
    labels = _labels(group_by, [row["key"] for row in counted])
    return assemble_processing(counted=counted, labels=labels, period=period, group_by=group_by, unit=unit)


def _duration_hours(prefix: str):
    """A version's duration in working hours, in SQL, with the catalog's conversion
    (``procedures.durations``): a working day is 8 hours, a calendar day 5/7 of one."""
    value = F(f"{prefix}_value")
    return Case(
        When(**{f"{prefix}_unit": DurationUnit.WORKING_HOURS}, then=value * 1.0),
        When(
            **{f"{prefix}_unit": DurationUnit.CALENDAR_DAYS},
            then=value * (WORKING_DAYS_PER_WEEK / 7 * HOURS_PER_WORKING_DAY),
        ),
        default=value * float(HOURS_PER_WORKING_DAY),
        output_field=FloatField(),
    )


def _resolved(period: Period, agency_ids) -> QuerySet:
    return _dossiers(agency_ids).filter(
        finished_at__gte=period.start,
        finished_at__lt=period.end,
        result__in=[Result.APPROVED, Result.REFUSED],
    )


def _cutting_aggregates() -> dict:
    committed = _duration_hours("version__committed_duration")
    comparable = ~Q(version__committed_duration_unit=DurationUnit.CALENDAR_DAYS) & Q(
        processing_hours__isnull=False
    )
    return {
        "resolved": Count("pk"),
        "legal_hours": Avg(_duration_hours("version__legal_duration")),
        "committed_hours": Avg(committed),
        "mean_hours": Avg("processing_hours"),
        "comparable": Count("pk", filter=comparable),
        "within_committed": Count("pk", filter=comparable & Q(processing_hours__lte=committed)),
    }


def _cutting_figures(row: dict, pct: dict) -> dict:
    return {
        "resolved": row["resolved"],
        "legal_hours": _round(row["legal_hours"]),
        "committed_hours": _round(row["committed_hours"]),
        "cut_percent": cut_percent(row["legal_hours"], row["committed_hours"]),
        "mean_hours": _round(row["mean_hours"]),
        "median_hours": _round(pct.get("processing_hours_p50")),
        "p90_hours": _round(pct.get("processing_hours_p90")),
        "within_committed_share": ratio(row["within_committed"], row["comparable"]),
    }


def _round(value, digits: int = 2):
    return round(value, digits) if value is not None else None


@without_jit
def cutting_report(
    *, period: Period, group_by: str = "procedure", agency_ids: Sequence[int] | None = None, unit: str = ""
) -> Report:
    """Processing time actually taken against legal and committed durations, for dossiers resolved
    in the period. Hours are working hours with pauses excluded (``processing_hours``, stored by the
    workflow). The share within committed time counts dossiers whose version's committed duration is
    in working days or hours (calendar days are not comparable with working hours). ``versions``
    lists each procedure version with the change from the previous version. Four queries."""
    key = _group_field(group_by, CUTTING_GROUPS)
    base = _resolved(period, agency_ids)
    rows = base.values(key).annotate(**_cutting_aggregates())
    pct = grouped_percentiles(base, group_by=[key], values=["processing_hours"], percentiles=PERCENTILES)
    labels = _labels(group_by, [row[key] for row in rows])
    out = []
    for row in rows:
        code, name = labels.get(row[key], ("", str(row[key])))
        out.append(
            {"key": row[key], "code": code, "name": name, **_cutting_figures(row, pct.get((row[key],), {}))}
        )
    out.sort(key=lambda r: (r["code"], r["name"]))

    version_rows = base.values("procedure_id", "version_id").annotate(
        procedure_code=Max("procedure__code"),
        version_number=Max("version__number"),
        **_cutting_aggregates(),
    )
    vpct = grouped_percentiles(
        base, group_by=["procedure_id", "version_id"], values=["processing_hours"], percentiles=PERCENTILES
    )
    versions = [
        {
            "procedure_id": r["procedure_id"],
            "procedure_code": r["procedure_code"],
            "version_number": r["version_number"],
            **_cutting_figures(r, vpct.get((r["procedure_id"], r["version_id"]), {})),
        }
        for r in version_rows
    ]
    versions = version_changes(
        versions,
        (
            "committed_hours",
            "cut_percent",
            "mean_hours",
            "median_hours",
            "p90_hours",
            "within_committed_share",
        ),
    )
    totals = base.aggregate(**_cutting_aggregates())
    (total_pct,) = grouped_percentiles(
        base.annotate(all=Value(1, output_field=IntegerField())),
        group_by=["all"],
        values=["processing_hours"],
        percentiles=PERCENTILES,
    ).values() or [{}]
    return Report(
        kind="cutting",
        period=period,
        group_by=group_by,
        rows=out,
        totals=_cutting_figures(totals, total_pct),
        unit=unit,
        extra={"versions": versions},
    )


@without_jit
def bottleneck_report(*, period: Period, agency_ids: Sequence[int] | None = None, unit: str = "") -> Report:
    """Per step and processing agency, for tasks finished in the period: how long they waited in the
    queue and how long the work took (working hours; median and p90) against the step's budget, and
    the share finished late against the task's own due time. ``top_late_steps`` ranks the steps by
    late tasks; ``late_dossiers`` counts distinct dossiers finished late that had a late task there."""
    tasks = DossierTask.objects.order_by().filter(
        status=TaskStatus.DONE, finished_at__gte=period.start, finished_at__lt=period.end
    )
    if agency_ids is not None:
        tasks = tasks.filter(agency_id__in=list(agency_ids))
    late = Q(verdict=Verdict.LATE)
    rows = tasks.values("step_id", "agency_id").annotate(
        tasks=Count("pk"),
        late_tasks=Count("pk", filter=late),
        late_dossiers=Count("dossier_id", distinct=True, filter=late & Q(dossier__verdict=Verdict.LATE)),
        over_budget=Count("pk", filter=Q(work_hours__gt=F("step__budget_hours"))),
        budget_hours=Max("step__budget_hours"),
        step_name=Max("step__name"),
        procedure_code=Max("step__version__procedure__code"),
        agency_code=Max("agency__code"),
        agency_name=Max("agency__name"),
        mean_wait_hours=Avg("wait_hours"),
        mean_work_hours=Avg("work_hours"),
    )
    pct = grouped_percentiles(
        tasks, group_by=["step_id", "agency_id"], values=["wait_hours", "work_hours"], percentiles=PERCENTILES
    )
    out = []
    for row in rows:
        p = pct.get((row["step_id"], row["agency_id"]), {})
        out.append(
            {
                **row,
                "mean_wait_hours": _round(row["mean_wait_hours"]),
                "mean_work_hours": _round(row["mean_work_hours"]),
                "median_wait_hours": _round(p.get("wait_hours_p50")),
                "p90_wait_hours": _round(p.get("wait_hours_p90")),
                "median_work_hours": _round(p.get("work_hours_p50")),
                "p90_work_hours": _round(p.get("work_hours_p90")),
                "late_share": ratio(row["late_tasks"], row["tasks"]),
                "over_budget_share": ratio(row["over_budget"], row["tasks"]),
            }
        )
    out.sort(key=lambda r: (r["procedure_code"], r["agency_code"], r["step_id"]))
    top = sorted((r for r in out if r["late_tasks"]), key=lambda r: (-r["late_tasks"], -r["late_dossiers"]))
    totals = column_sums(out, ("tasks", "late_tasks", "late_dossiers", "over_budget"))
    totals["late_share"] = ratio(totals["late_tasks"], totals["tasks"])
    return Report(
        kind="bottlenecks",
        period=period,
        group_by="step",
        rows=out,
        totals=totals,
        unit=unit,
        extra={"top_late_steps": [{"step_id": r["step_id"], "agency_id": r["agency_id"]} for r in top[:10]]},
    )


def _indicator_counts(period: Period, agency_ids) -> dict[int, dict]:
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


@without_jit
def dashboard(*, period: Period, agency_ids: Sequence[int] | None = None, slowest: int = 10) -> dict:
    """What the leadership dashboard draws: received and resolved per month, on-time rate per
    agency, and the procedures slowest against their committed time (median / committed hours)."""
    received = _per_month(
        _dossiers(agency_ids)
        .filter(received_at__gte=period.start, received_at__lt=period.end)
        .exclude(status=DossierStatus.REJECTED),
        "received_at",
    )
    resolved = _per_month(_resolved(period, agency_ids), "finished_at")
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
        "months": [
            {"month": m, "received": received.get(m, 0), "resolved": resolved.get(m, 0)}
            for m in _months(period)
        ],
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
