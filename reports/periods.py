"""Report periods: local dates on the office clock turned into UTC-comparable instants. Pure.

A period ``[from, to]`` is given in local dates (Asia/Ho_Chi_Minh) and covers the instants
``[from 00:00, to + 1 day 00:00)`` in that time zone, so a dossier received at 23:59 local time on
the last day belongs to the period and one received at 00:00 the next day does not.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.exceptions import InvalidInput
from core.limits import MAX_YEAR, MIN_YEAR

_YEARS = f"{MIN_YEAR}–{MAX_YEAR}"

PERIOD_KINDS = ("month", "quarter", "half", "year")
_PERIOD_COUNTS = {"month": 12, "quarter": 4, "half": 2, "year": 1}
_PERIOD_NAMES = {"month": "Tháng", "quarter": "Quý", "half": "6 tháng", "year": "Năm"}


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date
    start: dt.datetime  # aware, date_from 00:00 local
    end: dt.datetime  # aware, (date_to + 1 day) 00:00 local, exclusive
    label: str

    def as_dict(self) -> dict:
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "label": self.label}


def make_period(*, date_from: dt.date, date_to: dt.date, tz: ZoneInfo, label: str = "") -> Period:
    for name, day in (("from", date_from), ("to", date_to)):
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise InvalidInput(
                f"Năm của {name} phải trong khoảng {_YEARS}.", fields={name: [f"Năm {_YEARS}."]}
            )
    if date_to < date_from:
        raise InvalidInput(
            "Ngày kết thúc phải không trước ngày bắt đầu.", fields={"to": ["Phải không trước 'from'."]}
        )
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    label = label or f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"
    return Period(date_from=date_from, date_to=date_to, start=start, end=end, label=label)


def shortcut_dates(*, kind: str, year: int, number: int | None) -> tuple[dt.date, dt.date, str]:
    """The first and last local date of month/quarter/half ``number`` of ``year`` (or the year)."""
    if kind not in PERIOD_KINDS:
        raise InvalidInput(
            f"period phải là một trong {', '.join(PERIOD_KINDS)}.",
            fields={"period": [f"Giá trị hợp lệ: {', '.join(PERIOD_KINDS)}."]},
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"Năm phải trong khoảng {_YEARS}.", fields={"year": [f"Năm {_YEARS}."]})
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31), f"Năm {year}"
    count = _PERIOD_COUNTS[kind]
    if number is None or not 1 <= number <= count:
        raise InvalidInput(
            f"number phải từ 1 đến {count} với period={kind}.", fields={"number": [f"Từ 1 đến {count}."]}
        )
    months = 12 // count
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    first = dt.date(year, first_month, 1)
    last = dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1)
    return first, last, f"{_PERIOD_NAMES[kind]} {number} năm {year}"
