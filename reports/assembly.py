"""Pure report assembly: rows, derived columns, totals and labels from aggregated counts. No database.

The selectors run the aggregate queries and hand their rows here, so every derived figure and the
totals row can be tested without a database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .columns import PROCESSING_KEYS
from .periods import Period

# What the processing query counts directly; everything else in PROCESSING_KEYS is derived.
COUNTED_KEYS = (
    "received_online",
    "received_in_person",
    "received_postal",
    "carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_refused",
    "late_with_apology",
    "in_progress_total",
    "in_progress_overdue",
    "waiting_supplement",
    "withdrawn",
    "rejected",
)


@dataclass
class Report:
    kind: str
    period: Period
    group_by: str
    rows: list[dict]
    totals: dict
    unit: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "period": self.period.as_dict(),
            "group_by": self.group_by,
            "unit": self.unit,
            "rows": self.rows,
            "totals": self.totals,
            **self.extra,
        }


def processing_figures(counts: Mapping[str, int]) -> dict[str, int]:
    """Form II.06a's columns from the counted ones: 3 = 4 + 5 + 6, 5 = in person + postal,
    12 = 11 - 13, late without apology = late - late with apology."""
    c = {key: int(counts.get(key) or 0) for key in COUNTED_KEYS}
    direct = c["received_in_person"] + c["received_postal"]
    figures = {
        "received_total": c["received_online"] + direct + c["carried_over"],
        "received_online": c["received_online"],
        "received_direct": direct,
        "carried_over": c["carried_over"],
        "resolved_total": c["resolved_total"],
        "resolved_early": c["resolved_early"],
        "resolved_on_time": c["resolved_on_time"],
        "resolved_late": c["resolved_late"],
        "in_progress_total": c["in_progress_total"],
        "in_progress_within_due": c["in_progress_total"] - c["in_progress_overdue"],
        "in_progress_overdue": c["in_progress_overdue"],
        "received_in_person": c["received_in_person"],
        "received_postal": c["received_postal"],
        "rejected": c["rejected"],
        "withdrawn": c["withdrawn"],
        "resolved_refused": c["resolved_refused"],
        "waiting_supplement": c["waiting_supplement"],
        "late_with_apology": c["late_with_apology"],
        "late_without_apology": c["resolved_late"] - c["late_with_apology"],
    }
    return {key: figures[key] for key in PROCESSING_KEYS}


def column_sums(rows: Iterable[Mapping], keys: Iterable[str]) -> dict:
    keys = tuple(keys)
    totals = dict.fromkeys(keys, 0)
    for row in rows:
        for key in keys:
            totals[key] += row.get(key) or 0
    return totals


def assemble_processing(
    *, counted: Iterable[Mapping], labels: Mapping, period: Period, group_by: str, unit: str = ""
) -> Report:
    """One row per group (ordered by code, then name), numbered from 1, and the totals row (column
    sums). ``counted`` rows carry ``key`` and the COUNTED_KEYS; ``labels`` maps key → (code, name)."""
    rows = []
    for counts in counted:
        code, name = labels.get(counts["key"], ("", str(counts["key"])))
        rows.append({"key": counts["key"], "code": code, "name": name, **processing_figures(counts)})
    rows.sort(key=lambda row: (row["code"] or "", row["name"] or ""))
    for number, row in enumerate(rows, start=1):
        row["no"] = number
    return Report(
        kind="processing",
        period=period,
        group_by=group_by,
        rows=rows,
        totals=column_sums(rows, PROCESSING_KEYS),
        unit=unit,
    )


def ratio(numerator: float | None, denominator: float | None, digits: int = 4) -> float | None:
    """A share in 0..1, or None when nothing was counted (no division by zero, no fake 0%)."""
    if not denominator or numerator is None:
        return None
    return round(numerator / denominator, digits)


def cut_percent(legal_hours: float | None, committed_hours: float | None) -> float | None:
    """How much shorter the committed time is than the legal one, in percent."""
    if not legal_hours or committed_hours is None:
        return None
    return round((legal_hours - committed_hours) / legal_hours * 100, 1)


def version_changes(rows: list[dict], keys: Iterable[str]) -> list[dict]:
    """Each procedure version row with ``change`` = its figures minus the previous version's of the
    same procedure (None for a first version or when either figure is missing)."""
    keys = tuple(keys)
    ordered = sorted(rows, key=lambda r: (r["procedure_code"], r["version_number"]))
    previous: dict | None = None
    for row in ordered:
        same = previous is not None and previous["procedure_id"] == row["procedure_id"]
        row["change"] = (
            {
                key: (
                    round(row[key] - previous[key], 4)
                    if row.get(key) is not None and previous.get(key) is not None
                    else None
                )
                for key in keys
            }
            if same
            else None
        )
        row["previous_version"] = previous["version_number"] if same else None
        previous = row
    return ordered
