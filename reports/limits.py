"""A report never holds a web thread for long: its queries run under a statement timeout.

Reports read a year of a province (seconds at a million dossiers); the desk's requests take
milliseconds. gunicorn runs threaded workers (``gunicorn.conf.py``), so a report holds one thread,
not a whole worker, and ``/healthz`` and the desk keep answering while reports run. On PostgreSQL
every query of a report also runs with ``statement_timeout = ONESTOP_REPORT_TIMEOUT_SECONDS``
(``SET LOCAL``, for the report's transaction only): a report that would take longer is cancelled by
the server and answered 503 ``report_timeout`` (ask for a shorter period or try later) instead of
piling up behind other slow reports.

The limit is set on the connection the report reads from: the replica inside
``core.dbrouter.reads_from_replica()`` when ``DATABASE_REPLICA_URL`` is set, else the primary. Enter
that scope first, then this one.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import OperationalError, connections, transaction

from core.dbrouter import read_alias
from core.exceptions import DomainError


class ReportTimeout(DomainError):
    status = 503
    default_code = "report_timeout"


def _is_cancel(exc: BaseException) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "57014"  # query_canceled (statement_timeout)


@contextlib.contextmanager
def report_time_limit(seconds: float | None = None):
    seconds = settings.ONESTOP_REPORT_TIMEOUT_SECONDS if seconds is None else seconds
    alias = read_alias()
    connection = connections[alias]
    if connection.vendor != "postgresql" or not seconds:
        yield
        return
    try:
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                # JIT off in the same statement: ``without_jit`` then has nothing left to set.
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true), set_config('jit', 'off', true)",
                    [f"{int(seconds * 1000)}"],
                )
            connection.onestop_jit_off = True
            try:
                yield
            finally:
                connection.onestop_jit_off = False
    except OperationalError as exc:
        if not _is_cancel(exc):
            raise
        raise ReportTimeout(
            f"Báo cáo vượt quá {seconds:g} giây và đã bị dừng: hãy chọn kỳ ngắn hơn hoặc thử lại sau."
        ) from exc
