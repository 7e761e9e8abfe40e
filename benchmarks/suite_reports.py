"""Section 3 of ``run_all``: every report for a year and a quarter, the open-data feed, the tracking
book of a month, on the seeded province (``benchmarks.province``), each the median of ``repeat``
runs against a baseline measured in the same run: a plain COUNT(*) over the dossiers the period
touches (the same WHERE clause a report starts from)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from benchmarks import province
from benchmarks.suite_rows import Row, median_ms
from reports.limits import ReportTimeout


def period(first: dt.date, last: dt.date, label: str):
    from reports.periods import make_period

    return make_period(date_from=first, date_to=last, tz=timezone.get_default_timezone(), label=label)


def touched_count(p) -> int:
    from workflows.models import Dossier

    return (
        Dossier.objects.filter(received_at__lt=p.end)
        .filter(Q(received_at__gte=p.start) | Q(finished_at__isnull=True) | Q(finished_at__gte=p.start))
        .count()
    )


def report_cases(p, label: str) -> list[tuple[str, object]]:
    from reports import selectors

    cases = [
        (f"II.06a by {group}, {label}", lambda g=group: selectors.processing_report(period=p, group_by=g))
        for group in ("agency", "field", "procedure", "level")
    ]
    return cases + [
        (f"cutting report, {label}", lambda: selectors.cutting_report(period=p)),
        (f"bottleneck report, {label}", lambda: selectors.bottleneck_report(period=p)),
        (f"indicators (766), {label}", lambda: selectors.indicators_report(period=p)),
        (f"leadership dashboard, {label}", lambda: selectors.dashboard(period=p)),
    ]


def opendata_cases(p, label: str) -> list[tuple[str, object]]:
    from reports import opendata

    return [
        (
            f"open data: agency-monthly, {label}",
            lambda: opendata.monthly_dataset(period=p, group_by="agency"),
        ),
        (
            f"open data: procedure-monthly, {label}",
            lambda: opendata.monthly_dataset(period=p, group_by="procedure"),
        ),
        (f"open data: ii06a-quarterly, {label}", lambda: opendata.ii06a_dataset(period=p)),
    ]


def tracking_book_case(first: dt.date, last: dt.date):
    """The busiest agency's tracking book of a month: the selector streamed to the end, and its PDF."""
    from printing import selectors
    from printing.forms.tracking_book import render_tracking_book_pdf
    from procedures.models import Agency
    from workflows.models import Dossier

    tz = timezone.get_default_timezone()
    agency = Agency.objects.get(
        pk=Dossier.objects.values_list("receiving_agency_id", flat=True).order_by("-id").first()
    )
    start = dt.datetime.combine(first, dt.time(), tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz)

    def book():
        return selectors.tracking_book(agency=agency, start=start, end=end, date_from=first, date_to=last)

    def baseline():
        return Dossier.objects.filter(
            receiving_agency=agency, received_at__gte=start, received_at__lt=end
        ).count()

    return book, baseline, lambda: render_tracking_book_pdf(book())


def report_rows(repeat: int) -> list[Row]:
    rows: list[Row] = []
    year, quarter = period(*province.last_year(), "year"), period(*province.last_quarter(), "quarter")
    for p, label in ((year, "a year"), (quarter, "a quarter")):
        base = median_ms(lambda p=p: touched_count(p), repeat)
        for name, function in report_cases(p, label) + opendata_cases(p, label):
            try:
                rows.append(Row("reports", name, median_ms(function, repeat), "ms", base, lower=True))
            except ReportTimeout as exc:  # a report over its time limit: say so in the table
                rows.append(Row("reports", name, None, "ms", base, note=type(exc).__name__, lower=True))
    book, baseline, pdf = tracking_book_case(*province.last_month())
    base = median_ms(baseline, repeat)
    rows.append(Row("reports", "tracking book, a month (rows)", median_ms(lambda: list(book().rows), repeat),
                    "ms", base, lower=True))  # fmt: skip
    rows.append(Row("reports", "tracking book, a month (PDF)", median_ms(pdf, 1), "ms", base, lower=True))
    return rows
