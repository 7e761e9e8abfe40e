"""One row of the benchmark table (``benchmarks/run_all.py``): a figure and its same-run baseline."""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass


@dataclass
class Row:
    section: str
    name: str
    figure: float | None
    unit: str
    baseline: float | None
    note: str = ""
    lower: bool = False  # lower is better (a latency); otherwise higher is (a rate)

    @property
    def ratio(self) -> float | None:
        if self.figure is None or not self.baseline:
            return None
        return self.figure / self.baseline

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(rows: list[Row]) -> str:
    """The rows as one plain-text table (a markdown table, so the docs can paste it)."""
    lines = [
        "| section | measurement | figure | unit | baseline | ratio | note |",
        "|---|---|---:|---|---:|---:|---|",
    ]
    for row in rows:
        ratio = "–" if row.ratio is None else f"{row.ratio:.2f}×"
        lines.append(
            f"| {row.section} | {row.name} | {fmt(row.figure)} | {row.unit} | {fmt(row.baseline)} | {ratio}"
            f" | {row.note} |"
        )
    return "\n".join(lines)
