"""Filling the report rollup (``reports.models``): set-based GROUP BY queries, a few per refresh.

* **Flows** (``RollupFlow``): per local day (Asia/Ho_Chi_Minh, the office clock of the reports),
  receiving agency, procedure, version and channel: received, refused at intake, resolved (per
  verdict, refused, late with an apology, processing hours) and withdrawn. A past day's flows never
  change through the services (a dossier's receipt, finish and withdrawal are written once, at the
  time they happen), so a closed day is rolled up once.
* **Stock** (``RollupStock``): the open / overdue / waiting figures at the end of each day, counted
  over the dossiers CLOSED before the watermark only. Each such dossier is open on the interval
  ``(received_at, closed_at]``, overdue on ``(max(received_at, k), closed_at]`` (``k`` = its due
  time, or the end of the pause that was running at its due time) and waiting on each pause's
  ``(started_at, ended_at]`` within its open interval: one +1 on the local day the interval begins,
  one -1 on the day it ends, and the stock at a day's 00:00 is the sum of the changes before it.
  These are exactly ``reports.processing``'s definitions at an instant that is a local midnight.
  Dossiers still open are counted live by the reports (their due time and pauses may still change).

``refresh()`` rolls the days up to yesterday (incrementally from the last refresh); ``rebuild()``
redoes everything. A correction of the past (an import, a backfill, an admin edit of a closed
dossier) must call ``mark_dirty(day)``: the next refresh redoes the flows from that day and the stock.
"""

import datetime as dt
from collections import defaultdict

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Count, DateTimeField, F, FilteredRelation, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from core.outage import CACHE_ERRORS, cache_breaker
from procedures.models import DurationUnit
from workflows.models import Dossier, DossierPause, DossierStatus, Result, Verdict

from ._query import _duration_hours, hours_micro
from .models import RollupFlow, RollupGroup, RollupState, RollupStock
from .rollup_hours import write_hours
from .rollup_tasks import write_tasks

NEVER = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)  # "not closed": later than any real instant
FLOW_FIELDS = ("receiving_agency_id", "procedure_id", "version_id", "channel")
FLOW_COUNTS = (
    "received",
    "rejected",
    "resolved",
    "early",
    "on_time",
    "late",
    "refused",
    "late_apology",
    "withdrawn",
    "hours_n",
    "hours_micro",
    "comparable",
    "within_committed",
)
STOCK_FIELDS = ("receiving_agency_id", "procedure_id")
BATCH = 5000
# Set in the cache when a refresh commits (or from ``RollupState`` when the cache lost it): the
# reports look for the rollup's watermark (a query) only then. They check it themselves.
CACHE_KEY = "reports:rollup:rolled_until"
# Cached when the database has no rollup, so that a database without one pays one query a minute;
# setting it by hand makes the reports read directly (the tests and bench_rollup compare both).
NOT_PUBLISHED = ""
NOT_PUBLISHED_SECONDS = 60


def office_tz():
    return timezone.get_default_timezone()


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=office_tz())


def office_today() -> dt.date:
    return timezone.localdate(timezone.now(), office_tz())


def _never():
    return Value(NEVER, output_field=DateTimeField())


def _day(expression):
    return TruncDate(expression, tzinfo=office_tz())


def withdrawal_time(prefix: str = ""):
    """Indexed by ``reports_dossier_withdrawn`` (see the migration) on ``status = 'withdrawn'``."""
    return Coalesce(F(f"{prefix}withdrawn_at"), F(f"{prefix}updated_at"))


def closed_at(prefix: str = ""):
    """When the dossier stopped being open: finished or withdrawn, the earlier; NEVER if neither."""
    withdrawn = Case(When(**{f"{prefix}status": DossierStatus.WITHDRAWN}, then=withdrawal_time(prefix)))
    return Least(Coalesce(F(f"{prefix}finished_at"), _never()), Coalesce(withdrawn, _never()))


def _between(field: str, lo, hi) -> Q:
    q = Q(**{f"{field}__lt": hi})
    return q & Q(**{f"{field}__gte": lo}) if lo is not None else q


def _withdrawn_between(lo, hi, prefix: str = "") -> Q:
    """``wtime`` is the alias of :func:`withdrawal_time` on the queryset."""
    return Q(**{f"{prefix}status": DossierStatus.WITHDRAWN}) & _between("wtime", lo, hi)


# --- flows -----------------------------------------------------------------------------------------


def flow_querysets(lo, hi, dossiers=None):
    """The three GROUP BY queries of the flows between the instants ``[lo, hi)`` (``lo`` None: from
    the beginning), each over one indexed range: received_at, finished_at, the withdrawal time."""
    base = (Dossier.objects if dossiers is None else dossiers).order_by()
    received = (
        base.filter(_between("received_at", lo, hi))
        .annotate(day=_day("received_at"))
        .values("day", *FLOW_FIELDS)
        .annotate(
            received=Count("pk", filter=~Q(status=DossierStatus.REJECTED)),
            rejected=Count("pk", filter=Q(status=DossierStatus.REJECTED)),
        )
    )
    committed = _duration_hours("version__committed_duration")
    comparable = ~Q(version__committed_duration_unit=DurationUnit.CALENDAR_DAYS) & Q(
        processing_hours__isnull=False
    )
    late = Q(verdict=Verdict.LATE)
    resolved = (
        base.filter(_between("finished_at", lo, hi), result__in=[Result.APPROVED, Result.REFUSED])
        .annotate(day=_day("finished_at"))
        .values("day", *FLOW_FIELDS)
        .annotate(
            resolved=Count("pk"),
            early=Count("pk", filter=Q(verdict=Verdict.EARLY)),
            on_time=Count("pk", filter=Q(verdict=Verdict.ON_TIME)),
            late=Count("pk", filter=late),
            refused=Count("pk", filter=Q(result=Result.REFUSED)),
            late_apology=Count("pk", filter=late & Q(extended=True)),
            hours_n=Count("processing_hours"),
            hours_micro=Sum(hours_micro()),
            comparable=Count("pk", filter=comparable),
            within_committed=Count("pk", filter=comparable & Q(processing_hours__lte=committed)),
        )
    )
    withdrawn = (
        base.alias(wtime=withdrawal_time())
        .filter(_withdrawn_between(lo, hi))
        .annotate(day=_day("wtime"))
        .values("day", *FLOW_FIELDS)
        .annotate(withdrawn=Count("pk"))
    )
    return received, resolved, withdrawn


def flow_rows(lo, hi) -> dict[tuple, dict]:
    """(day, agency, procedure, version, channel) → the flow counts, merged from the three queries."""
    merged: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(FLOW_COUNTS, 0))
    for queryset in flow_querysets(lo, hi):
        for row in queryset:
            key = (row.pop("day"), *(row.pop(f) for f in FLOW_FIELDS))
            for name, value in row.items():
                merged[key][name] += value or 0
    return merged


# --- stock changes ---------------------------------------------------------------------------------


def _closed_between(lo, hi, prefix: str = ""):
    """Dossiers (not refused at intake) closed in ``[lo, hi)``, read through the finished_at and
    withdrawal-time indexes; ``cls`` names the closing instant."""
    candidates = _between(f"{prefix}finished_at", lo, hi) | _withdrawn_between(lo, hi, prefix)
    return Q(candidates) & ~Q(**{f"{prefix}status": DossierStatus.REJECTED}) & _between("cls", lo, hi)


def stock_changes(lo, hi) -> dict[tuple, list[int]]:
    """(agency, procedure, day) → [Δopen, Δoverdue, Δwaiting] from the dossiers closed in [lo, hi)."""
    changes: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    closed = (
        Dossier.objects.order_by()
        .alias(wtime=withdrawal_time(), cls=closed_at())
        .filter(_closed_between(lo, hi))
    )
    due_pause = FilteredRelation(
        "pauses",
        condition=Q(pauses__started_at__lte=F("due_at"))
        & (Q(pauses__ended_at__isnull=True) | Q(pauses__ended_at__gt=F("due_at"))),
    )
    overdue_from = Greatest(
        F("received_at"),
        Case(
            When(due_pause__id__isnull=False, then=Coalesce(F("due_pause__ended_at"), _never())),
            default=F("due_at"),
        ),
    )
    overdue = (
        closed.filter(due_at__isnull=False)
        .alias(due_pause=due_pause)
        .alias(od_from=overdue_from)
        .filter(od_from__lt=F("cls"))
    )
    pauses = (
        DossierPause.objects.order_by()
        .alias(
            wtime=withdrawal_time("dossier__"),
            cls=closed_at("dossier__"),
            w_from=Greatest(F("dossier__received_at"), F("started_at")),
        )
        .filter(_closed_between(lo, hi, "dossier__"))
        .alias(w_to=Least(F("cls"), Coalesce(F("ended_at"), _never())))
        .filter(w_from__lt=F("w_to"))
    )
    streams = (
        (closed, "received_at", STOCK_FIELDS, 0, 1),
        (closed, Greatest(F("received_at"), F("cls")), STOCK_FIELDS, 0, -1),
        (overdue, "od_from", STOCK_FIELDS, 1, 1),
        (overdue, "cls", STOCK_FIELDS, 1, -1),
        (pauses, "w_from", ("dossier__receiving_agency_id", "dossier__procedure_id"), 2, 1),
        (pauses, "w_to", ("dossier__receiving_agency_id", "dossier__procedure_id"), 2, -1),
    )
    for queryset, instant, fields, column, sign in streams:
        rows = queryset.annotate(day=_day(instant)).values(*fields, "day").annotate(n=Count("pk"))
        for row in rows:
            changes[(row[fields[0]], row[fields[1]], row["day"])][column] += sign * row["n"]
    return changes


def _write_stock(changes: dict[tuple, list[int]], *, incremental: bool) -> int:
    """Add the changes to the stock rows and redo the running sums of each group touched from its
    earliest changed day (the earlier rows keep their sums)."""
    by_group: dict[tuple, dict] = defaultdict(dict)
    for (agency, procedure, day), delta in changes.items():
        if any(delta):
            by_group[(agency, procedure)][day] = delta
    written = 0
    for (agency, procedure), days in by_group.items():
        first = min(days)
        group = RollupStock.objects.filter(agency_id=agency, procedure_id=procedure)
        base = [0, 0, 0]
        if incremental:
            before = group.filter(day__lt=first).order_by("-day").first()
            if before is not None:
                base = [before.open, before.overdue, before.waiting]
            for row in group.filter(day__gte=first):
                old = days.setdefault(row.day, [0, 0, 0])
                days[row.day] = [
                    a + b for a, b in zip(old, (row.d_open, row.d_overdue, row.d_waiting), strict=True)
                ]
            group.filter(day__gte=first).delete()
        objs = []
        for day in sorted(days):
            delta = days[day]
            base = [a + b for a, b in zip(base, delta, strict=True)]
            objs.append(
                RollupStock(
                    day=day,
                    agency_id=agency,
                    procedure_id=procedure,
                    d_open=delta[0],
                    d_overdue=delta[1],
                    d_waiting=delta[2],
                    open=base[0],
                    overdue=base[1],
                    waiting=base[2],
                )
            )
        RollupStock.objects.bulk_create(objs, batch_size=BATCH)
        RollupGroup.objects.get_or_create(agency_id=agency, procedure_id=procedure)
        written += len(objs)
    return written


def _write_flows(lo_day: dt.date | None, hi_day: dt.date) -> int:
    lo = midnight(lo_day) if lo_day is not None else None
    stale = RollupFlow.objects.filter(day__lt=hi_day)
    (stale.filter(day__gte=lo_day) if lo_day is not None else stale).delete()
    objs = [
        RollupFlow(day=day, agency_id=a, procedure_id=p, version_id=v, channel=c, **counts)
        for (day, a, p, v, c), counts in flow_rows(lo, midnight(hi_day)).items()
    ]
    RollupFlow.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs)


# --- refresh ---------------------------------------------------------------------------------------


def _state() -> RollupState:
    state = RollupState.objects.select_for_update().order_by("pk").first()
    return state or RollupState.objects.create()


def rebuild(*, until: dt.date | None = None) -> dict:
    """Everything from scratch, set based: the flows of every day before ``until`` (default today)
    and the stock of every dossier closed before it. A few whole-table GROUP BY queries."""
    until = until or office_today()
    with transaction.atomic():
        state = _state()
        RollupStock.objects.all().delete()
        RollupGroup.objects.all().delete()
        flows = _write_flows(None, until)
        stock = _write_stock(stock_changes(None, midnight(until)), incremental=False)
        hours = write_hours(None, until, office_tz(), redo=True)
        hours += write_tasks(None, until, office_tz(), redo=True)
        _done(state, until)
    return {"flows": flows, "stock": stock, "hours": hours, "until": until}


def refresh(*, since: dt.date | None = None, until: dt.date | None = None) -> dict:
    """Roll up the closed days since the last refresh (or since ``since``, or a day marked dirty).
    A first refresh, or a correction of the past, rebuilds (the stock of closed dossiers cannot be
    corrected by difference)."""
    until = until or office_today()
    with transaction.atomic():
        state = _state()
        last = state.rolled_until
        if last is None:
            return rebuild(until=until)
        start = min(d for d in (last, state.dirty_from, since) if d is not None)
        if start < last:
            RollupStock.objects.all().delete()
            RollupGroup.objects.all().delete()
            flows = _write_flows(start, until)
            stock = _write_stock(stock_changes(None, midnight(until)), incremental=False)
            hours = write_hours(start, until, office_tz(), redo=True)
            hours += write_tasks(start, until, office_tz(), redo=True)
        elif last < until:
            flows = _write_flows(last, until)
            stock = _write_stock(stock_changes(midnight(last), midnight(until)), incremental=True)
            hours = write_hours(last, until, office_tz(), redo=False)
            hours += write_tasks(last, until, office_tz(), redo=False)
        else:
            flows = stock = hours = 0
        _done(state, max(until, last))
    return {"flows": flows, "stock": stock, "hours": hours, "until": max(until, last)}


def _analyze() -> None:
    """Fresh statistics for the planner (a rebuild writes the tables at once)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE reports_rollupflow, reports_rollupstock, reports_rollupgroup, reports_rolluphours, "
                "reports_rolluptasks, reports_rolluptaskhours"
            )


def _done(state: RollupState, until: dt.date) -> None:
    _analyze()
    state.rolled_until = until
    state.dirty_from = None
    state.refreshed_at = timezone.now()
    state.save()
    transaction.on_commit(lambda: _publish(until))


def _publish(until: dt.date | None, timeout: int | None = None) -> None:
    if cache_breaker.available():
        try:
            cache.set(CACHE_KEY, until.isoformat() if until else NOT_PUBLISHED, timeout)
        except CACHE_ERRORS as exc:
            cache_breaker.failed(exc)


def published() -> bool:
    """Whether there is a rollup to read. A refresh says so in the cache; when the cache has no
    answer (flushed, restarted, or unreachable) the database is asked (one query on a one-row
    table) and its answer cached again: a lost cache must not send every report to the direct
    queries until the next refresh. "No rollup" is cached for ``NOT_PUBLISHED_SECONDS`` only."""
    value = None
    if cache_breaker.available():
        try:
            value = cache.get(CACHE_KEY)
        except CACHE_ERRORS as exc:
            cache_breaker.failed(exc)
    if value is not None:
        return bool(value)
    until = (
        RollupState.objects.filter(rolled_until__isnull=False)
        .order_by("pk")
        .values_list("rolled_until", flat=True)
        .first()
    )
    _publish(until, None if until else NOT_PUBLISHED_SECONDS)
    return until is not None


def mark_dirty(day: dt.date) -> None:
    """A fact of ``day`` or before changed outside the services (import, backfill, admin)."""
    with transaction.atomic():
        state = _state()
        if state.rolled_until is not None and day < state.rolled_until:
            state.dirty_from = min(day, state.dirty_from or day)
            state.save(update_fields=["dirty_from"])
