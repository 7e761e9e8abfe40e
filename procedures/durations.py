"""Comparing durations given in different units: pure arithmetic, no calendar.

Catalog rules (committed ≤ legal, step budgets ≤ committed) and the cut in percent compare
durations in working hours. A working day is 8 working hours. A calendar-day duration has no exact
working-hour length (that depends on where the holidays fall), so for comparisons only it is
converted at the average week's rate: 7 calendar days hold 5 working days of 8 hours, i.e.
``value × 5 / 7 × 8`` hours. Due dates themselves come from the calendar, never from this.
"""

from procedures.models import DurationUnit

HOURS_PER_WORKING_DAY = 8
WORKING_DAYS_PER_WEEK = 5


def duration_hours(value: int, unit: str) -> float:
    """Working hours of a duration, for comparing durations and computing cuts."""
    if unit == DurationUnit.WORKING_HOURS:
        return float(value)
    if unit == DurationUnit.WORKING_DAYS:
        return float(value * HOURS_PER_WORKING_DAY)
    if unit == DurationUnit.CALENDAR_DAYS:
        return value * WORKING_DAYS_PER_WEEK / 7 * HOURS_PER_WORKING_DAY
    raise ValueError(f"unknown duration unit {unit!r}")


def cut_percent(*, legal_value: int, legal_unit: str, committed_value: int, committed_unit: str) -> float:
    """How much shorter the committed duration is than the legal one, in percent (one decimal)."""
    legal = duration_hours(legal_value, legal_unit)
    committed = duration_hours(committed_value, committed_unit)
    if legal <= 0:
        return 0.0
    return round((legal - committed) / legal * 100, 1)


def version_cut_percent(version) -> float:
    return cut_percent(
        legal_value=version.legal_duration_value,
        legal_unit=version.legal_duration_unit,
        committed_value=version.committed_duration_value,
        committed_unit=version.committed_duration_unit,
    )
