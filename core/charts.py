"""Bar charts as geometry for an inline SVG, computed on the server. Pure: no database, no template.

A chart is a list of categories (agencies, fields, months, procedures) and one or more series of
values; the functions return every rectangle, label and tick with its coordinates in the SVG's
own units (``viewBox``), so the template only draws them and the browser scales the picture to the
screen's width. No JavaScript and nothing fetched from elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Number = float | int | None

WIDTH = 760
LABEL_WIDTH = 230  # room on the left of a horizontal chart for the category names
VALUE_ROOM = 64  # room on the right for the value printed after a bar
BAR = 14
GAP = 10
TOP = 8
AXIS = 22


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # colour class: s1..s4
    values: Sequence[Number]


@dataclass
class Chart:
    width: int
    height: int
    bars: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    legend: list[Series] = field(default_factory=list)
    empty: bool = False


def _nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above ``value`` (an axis that ends on a round number)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def horizontal(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    fmt: Callable[[Number], str],
    max_value: float | None = None,
    ticks: int = 4,
    width: int = WIDTH,
    label_width: int = LABEL_WIDTH,
) -> Chart:
    """One row per category, one bar per series in it, length proportional to the value. A chart
    drawn in half the page's width gets a smaller ``width`` so its text keeps a readable size."""
    values = [v for s in series for v in s.values if v is not None]
    top = max_value if max_value is not None else _nice_max(max(values, default=0))
    per_row = len(series) * BAR + GAP
    plot = width - label_width - VALUE_ROOM
    height = TOP + len(categories) * per_row + AXIS
    chart = Chart(width=width, height=height, legend=list(series), empty=not values)
    limit = max(8, label_width // 7)
    for row, name in enumerate(categories):
        y0 = TOP + row * per_row
        chart.labels.append(
            {
                "x": label_width - 8,
                "y": y0 + len(series) * BAR / 2 + 4,
                "text": _short(name, limit),
                "full": name,
            }
        )
        for index, s in enumerate(series):
            value = s.values[row]
            length = 0.0 if value is None else max(0.0, min(1.0, value / top)) * plot
            y = y0 + index * BAR
            chart.bars.append(
                {
                    "x": label_width,
                    "y": y,
                    "w": round(length, 1),
                    "h": BAR - 2,
                    "css": s.css,
                    "value": value,
                    "text": fmt(value),
                    "tx": label_width + length + 4,
                    "ty": y + BAR - 4,
                    "title": f"{name} · {s.name}: {fmt(value)}",
                }
            )
    for i in range(ticks + 1):
        x = label_width + plot * i / ticks
        chart.ticks.append(
            {"x": round(x, 1), "y": height - 6, "text": fmt(top * i / ticks), "y1": TOP, "y2": height - AXIS}
        )
    return chart


def vertical(
    categories: Sequence[str], series: Sequence[Series], *, fmt: Callable[[Number], str], ticks: int = 4
) -> Chart:
    """Columns per category (months), one per series, height proportional to the value."""
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values, default=0))
    left, bottom, height = 48, 24, 240
    plot_h = height - TOP - bottom
    slot = (WIDTH - left - 8) / max(1, len(categories))
    bar = min(28.0, slot * 0.8 / max(1, len(series)))
    chart = Chart(width=WIDTH, height=height, legend=list(series), empty=not values)
    for col, name in enumerate(categories):
        x0 = left + col * slot + (slot - bar * len(series)) / 2
        chart.labels.append(
            {"x": round(left + col * slot + slot / 2, 1), "y": height - 6, "text": name, "full": name}
        )
        for index, s in enumerate(series):
            value = s.values[col]
            h = 0.0 if value is None else max(0.0, min(1.0, value / top)) * plot_h
            x = x0 + index * bar
            chart.bars.append(
                {
                    "x": round(x, 1),
                    "y": round(TOP + plot_h - h, 1),
                    "w": round(bar - 2, 1),
                    "h": round(h, 1),
                    "css": s.css,
                    "value": value,
                    "text": fmt(value),
                    "tx": round(x + (bar - 2) / 2, 1),
                    "ty": round(TOP + plot_h - h - 3, 1),
                    "title": f"{name} · {s.name}: {fmt(value)}",
                }
            )
    for i in range(ticks + 1):
        y = TOP + plot_h - plot_h * i / ticks
        chart.ticks.append(
            {
                "x": left - 6,
                "y": round(y + 4, 1),
                "text": fmt(top * i / ticks),
                "x1": left,
                "x2": WIDTH - 8,
                "ly": round(y, 1),
            }
        )
    return chart
