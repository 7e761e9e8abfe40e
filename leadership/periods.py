"""The dashboard's period picker: month, quarter, six months, year or custom dates. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from core.exceptions import InvalidInput
from reports.periods import Period, make_period, shortcut_dates

KINDS = ("month", "quarter", "half", "year", "custom")


def _int(query: Mapping, name: str, default: int) -> int:
    raw = (query.get(name) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"{name} phải là số nguyên.", fields={name: ["Số nguyên."]}) from None


def _date(query: Mapping, name: str) -> dt.date:
    """dd/mm/yyyy as typed in the form, or YYYY-MM-DD as in the report endpoints' links."""
    raw = (query.get(name) or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise InvalidInput(
        "Nhập ngày bắt đầu và ngày kết thúc dạng ngày/tháng/năm.", fields={name: ["Ngày dạng dd/mm/yyyy."]}
    )


def _default_number(kind: str, today: dt.date) -> int:
    return {
        "month": today.month,
        "quarter": (today.month - 1) // 3 + 1,
        "half": (today.month - 1) // 6 + 1,
    }.get(kind, 1)


def parse(query: Mapping, *, today: dt.date, tz: ZoneInfo) -> tuple[Period, dict]:
    """The period the query asks for (default: the current quarter) and the form's selection."""
    kind = (query.get("period") or "quarter").strip()
    if kind not in KINDS:
        raise InvalidInput("Kỳ báo cáo không hợp lệ.", fields={"period": [", ".join(KINDS)]})
    if kind == "custom":
        first, last = _date(query, "from"), _date(query, "to")
        period = make_period(date_from=first, date_to=last, tz=tz)
        return period, {"period": kind, "year": first.year, "number": 1, "from": first, "to": last}
    year = _int(query, "year", today.year)
    number = _int(query, "number", _default_number(kind, today))
    first, last, label = shortcut_dates(kind=kind, year=year, number=None if kind == "year" else number)
    period = make_period(date_from=first, date_to=last, tz=tz, label=label)
    return period, {"period": kind, "year": year, "number": number, "from": first, "to": last}
