import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core import charts
from core.charts import Series
from core.exceptions import InvalidInput
from leadership import periods

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_horizontal_bars_are_proportional_and_a_missing_value_draws_nothing():
    chart = charts.horizontal(
        ["A", "B", "C"],
        [Series("rate", "s1", [1.0, 0.25, None])],
        fmt=str,
        max_value=1.0,
        width=440,
        label_width=150,
    )
    plot = 440 - 150 - charts.VALUE_ROOM
    assert [bar["w"] for bar in chart.bars] == [plot, plot / 4, 0.0]
    assert [bar["x"] for bar in chart.bars] == [150, 150, 150]
    assert [label["text"] for label in chart.labels] == ["A", "B", "C"]
    assert chart.ticks[0]["text"] == "0.0" and chart.ticks[-1]["text"] == "1.0"
    assert not chart.empty


def test_the_axis_ends_on_a_round_number_and_long_names_are_shortened():
    chart = charts.horizontal(["x" * 80], [Series("n", "s1", [17])], fmt=str)
    assert chart.ticks[-1]["text"] == "20.0"
    assert chart.labels[0]["text"].endswith("…") and chart.labels[0]["full"] == "x" * 80
    assert charts.horizontal(["a"], [Series("n", "s1", [None])], fmt=str).empty


def test_vertical_columns_grow_from_the_axis():
    chart = charts.vertical(
        ["06", "07"], [Series("in", "s1", [5, 10]), Series("out", "s2", [0, 10])], fmt=str
    )
    by_value = {(bar["css"], bar["value"]): bar for bar in chart.bars}
    tall, half, none = by_value[("s1", 10)], by_value[("s1", 5)], by_value[("s2", 0)]
    assert tall["h"] == pytest.approx(2 * half["h"]) and none["h"] == 0
    assert tall["y"] + tall["h"] == pytest.approx(half["y"] + half["h"])  # one baseline


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, (dt.date(2026, 7, 1), dt.date(2026, 9, 30))),  # default: the current quarter
        ({"period": "month", "year": "2026", "number": "2"}, (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        ({"period": "half", "year": "2025", "number": "2"}, (dt.date(2025, 7, 1), dt.date(2025, 12, 31))),
        ({"period": "year", "year": "2024"}, (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
        (
            {"period": "custom", "from": "05/03/2026", "to": "2026-03-09"},
            (dt.date(2026, 3, 5), dt.date(2026, 3, 9)),
        ),
    ],
)
def test_periods(query, expected):
    period, selection = periods.parse(query, today=dt.date(2026, 8, 15), tz=TZ)
    assert (period.date_from, period.date_to) == expected
    assert selection["from"] == expected[0]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "week"},
        {"period": "quarter", "number": "5"},
        {"period": "month", "year": "abc"},
        {"period": "custom", "from": "2026-03-09"},
        {"period": "custom", "from": "09/03/2026", "to": "05/03/2026"},
    ],
)
def test_bad_periods_are_refused(query):
    with pytest.raises(InvalidInput):
        periods.parse(query, today=dt.date(2026, 8, 15), tz=TZ)
