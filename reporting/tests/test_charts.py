"""A board report's charts: kept at close, drawn as SVG with a shape for each meaning, and said
in words beside them."""

import datetime as dt

import pytest

from measures import spc
from reporting.charts import MAX_POINTS, chart_data, drawing, figure, summary


def _months(count: int) -> list[dt.date]:
    days, year, month = [], 2021, 4
    for _ in range(count):
        days.append(dt.date(year, month, 28))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return days


def _shifted(count: int = 24) -> spc.SpcResult:
    """Steady at 10 ± 1, then the last seven well above the mean: a shift, an improvement."""
    values = [10 + (i % 3 - 1) for i in range(count - 7)] + [12.5] * 7
    return spc.analyse(list(zip(_months(count), values, strict=True)), "higher", target=12)


def test_the_chart_keeps_each_points_meaning_and_the_signals_in_words():
    chart = chart_data(_shifted(), target=12)
    assert len(chart["points"]) == 24 and chart["total"] == 24
    verdicts = [p[5] for p in chart["points"]]
    assert verdicts[:17] == [None] * 17 and set(verdicts[17:]) == {"improvement"}
    assert chart["target"] == 12.0
    assert any(text.startswith("Shift: 7 points above the mean") for text in chart["signals"])


def test_a_long_series_keeps_its_latest_points_and_says_how_many_there_were():
    result = spc.analyse(
        list(zip(_months(50), [5.0 + i % 4 for i in range(50)], strict=True)), "higher"
    )
    chart = chart_data(result, target=None)
    assert len(chart["points"]) == MAX_POINTS and chart["total"] == 50
    assert chart["points"][-1][0] == _months(50)[-1].isoformat()
    assert summary(chart, "count").startswith(f"Chart of the latest {MAX_POINTS} of 50 values")


def test_a_measure_without_values_has_no_chart():
    assert chart_data(None, 5) == {} and drawing({}, "%") is None


def test_the_drawing_gives_each_meaning_its_own_shape_and_stays_inside_the_frame():
    d = drawing(chart_data(_shifted(), target=12), "%")
    common = [m for m in d.marks if "common cause" in m["title"]]
    better = [m for m in d.marks if "improvement" in m["title"]]
    assert len(common) == 17 and len(better) == 7
    assert {m["d"].split("m", 1)[1] for m in common}.isdisjoint(
        {m["d"].split("m", 1)[1] for m in better}
    )
    ys = [float(pair.split(",")[1]) for pair in d.line.split()]
    assert all(0 <= y <= d.height for y in ys)
    assert {level["style"] for level in d.levels} == {"mean", "limit", "target"}
    assert [k["label"] for k in d.legend] == ["Common cause", "Special cause: improvement"]
    assert "Target 12%." in d.summary and "Signals: " in d.summary
    assert "Shift: 7 points above the mean" in d.summary
    assert d.x_ticks[0]["label"] == "Apr 2021" and d.x_ticks[-1]["label"] == "Mar 2023"


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ([4.0], "Chart of 1 value"),
        ([4.0, 4.0, 4.0], "Too few points for SPC rules"),
    ],
)
def test_a_short_or_flat_series_still_draws(values, words):
    result = spc.analyse(list(zip(_months(len(values)), values, strict=True)), "lower")
    d = drawing(chart_data(result, target=None), "count")
    assert d is not None and len(d.marks) == len(values)
    assert words in d.summary


def test_signals_before_the_charted_points_are_counted_not_spelt_out():
    """A shift in the first ten of fifty months, then steady: the chart's 36 points miss it."""
    values = [14.0] * 10 + [10 + (i % 3 - 1) for i in range(40)]
    result = spc.analyse(list(zip(_months(50), values, strict=True)), "lower")
    assert result.signals and all(s.end < _months(50)[14] for s in result.signals)
    chart = chart_data(result, target=None)
    assert chart["signals"] == [] and chart["more_signals"] == len(result.signals)
    words = summary(chart, "count")
    assert "No special cause in these points" in words
    assert f"{len(result.signals)} earlier signal" in words


@pytest.mark.parametrize("value", [0.1, 92.3, 0.0, -4.7, 1e-7, 123456789.1])
def test_a_flat_series_draws_at_once_with_a_few_round_ticks(value):
    """A flat run whose mean is a hair off its values once made the axis loop for ever."""
    months = _months(20)
    points = [[m.isoformat(), value, value + value * 1e-16, None, None, None] for m in months]
    d = drawing({"points": points, "total": 20, "target": None, "signals": []}, "count")
    assert 2 <= len(d.y_ticks) <= 12
    ys = [float(pair.split(",")[1]) for pair in d.line.split()]
    assert all(0 <= y <= d.height for y in ys)


def test_ticks_cover_the_range_in_round_steps():
    from hypothesis import given
    from hypothesis import strategies as st

    from reporting.charts import MOST_TICKS, _nice_ticks

    numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)

    @given(numbers, numbers)
    def check(a, b):
        low, high = min(a, b), max(a, b)
        ticks = _nice_ticks(low, high)
        assert 2 <= len(ticks) <= MOST_TICKS
        assert ticks == sorted(ticks)
        # Within a hair of the range (a billionth of a step), never short of it by more.
        hair = 1e-8 * (ticks[-1] - ticks[0])
        assert ticks[0] <= low + hair and ticks[-1] >= high - hair

    check()


def test_the_kept_figure_escapes_every_word_a_person_typed():
    """A kept figure is shown as it was drawn, on public pages too: the measure's name, its
    code, its unit and the signals' words are escaped when it is drawn."""
    hostile = '<script>alert("x")</script>'
    chart = chart_data(_shifted(), target=12)
    chart["signals"] = [hostile]
    drawn = figure(7, hostile, hostile, chart, hostile)
    assert "<script" not in drawn and "&lt;script&gt;" in drawn
    assert drawn.count("&lt;script&gt;") >= 4  # the caption, aria-label, title and words
    assert drawn.startswith('<figure class="spc-chart" id="chart-7">')
    assert figure(7, "Waits", "W1", {}, "count") == ""  # nothing to draw, nothing kept
