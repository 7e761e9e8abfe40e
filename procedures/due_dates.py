"""Due-date quotes: what a citizen or an officer sees as the appointment before registering."""

import datetime

from core.exceptions import NotFound
from procedures.calendar import Duration, due_at
from procedures.calendar_loader import get_calendar
from procedures.models import Procedure


def committed_duration_of(*, procedure_code: str) -> Duration:
    """The committed (cut) duration of the version of an active procedure now in force."""
    procedure = (
        Procedure.objects.select_related("current_version")
        .filter(code=procedure_code, active=True, current_version__isnull=False)
        .first()
    )
    if procedure is None:
        raise NotFound(
            f"Không tìm thấy thủ tục đang áp dụng có mã {procedure_code}.",
            code="procedure_not_found",
            fields={"procedure": ["Không tìm thấy thủ tục."]},
        )
    version = procedure.current_version
    return Duration(version.committed_duration_value, version.committed_duration_unit)


def quote_due_at(
    *, start: datetime.datetime, duration: Duration | None = None, procedure_code: str | None = None
) -> datetime.datetime:
    """``due_at`` on the office calendar for ``duration``, or for a procedure's committed duration."""
    if duration is None:
        if procedure_code is None:
            raise ValueError("quote_due_at needs a duration or a procedure code.")
        duration = committed_duration_of(procedure_code=procedure_code)
    return due_at(start, duration, calendar=get_calendar())
