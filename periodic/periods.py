"""Which report periods have ended on a given day. Pure."""

from __future__ import annotations

import datetime as dt

KINDS = ("quarter", "half", "year")
_MONTHS = {"quarter": 3, "half": 6, "year": 12}


def last_ended(kind: str, today: dt.date) -> tuple[int, int]:
    """(year, number) of the last period of ``kind`` that ended before ``today``."""
    months = _MONTHS[kind]
    current = (today.month - 1) // months  # 0-based index of the period containing today
    if current == 0:
        return today.year - 1, 12 // months
    return today.year, current


def ended(today: dt.date) -> list[tuple[str, int, int]]:
    """The last ended quarter, six months and year on ``today``: what the daily job builds (once)."""
    return [(kind, *last_ended(kind, today)) for kind in KINDS]
