"""A board report's charts: kept at close, drawn as SVG with a shape for each meaning, and said
in words beside them."""

import datetime as dt

import pytest

from measures import spc
from measures.models import MeasureValue
from reporting import cycle
from reporting.charts import MAX_POINTS, chart_data, drawing, figure, summary
from reporting.quarters import Quarter
from tests.factories import make_measure, make_objective, make_priority, make_strategy


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


@pytest.mark.django_db
def test_a_years_figure_among_quarterly_ones_is_named_beside_the_chart_not_dropped(admin_user):
    """One period type per chart: a 2023/24 figure among quarterly ones is not drawn (nor are
    the quarters before it, a break in the run), and the chart's words, its text
    alternative, say so rather than leave it out without a word."""
    strategy = make_strategy(slug="s", period_start=dt.date(2022, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(objective, code="WAIT", unit="count")
    for end, value, text in [
        (dt.date(2023, 6, 30), 10, ""),
        (dt.date(2023, 9, 30), 11, ""),
        (dt.date(2023, 12, 31), 12, ""),
        (dt.date(2024, 3, 31), 50, "2023/24"),
        (dt.date(2024, 6, 30), 13, "2024/25 Q1"),
        (dt.date(2024, 9, 30), 14, ""),
        (dt.date(2024, 12, 31), 15, ""),
    ]:
        MeasureValue.objects.create(measure=measure, period_end=end, value=value, period_text=text)
    quarter = Quarter(2024, 3)
    period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=None)
    cycle.open_period(period, by=None)
    cycle.close_period(period, by=admin_user, today=quarter.end + dt.timedelta(days=3))
    row = period.snapshot.get(level="measure")
    assert [p[0] for p in row.chart["points"]] == ["2024-06-30", "2024-09-30", "2024-12-31"]
    assert row.chart["left_out"] == [
        ["2024-03-31", 50.0, "2023/24", "an annual figure, not quarterly"]
    ]
    words = (
        "1 value of another period type not drawn: 2023/24: 50 (an annual figure, not "
        "quarterly). 3 earlier values not drawn, before a break in the series: Jun 2023 to "
        "Dec 2023."
    )
    assert summary(row.chart, "count").endswith(words)
    assert words in row.chart_figure  # the words the SVG is labelled by


def test_values_of_another_period_type_past_the_few_named_are_counted():
    left_out = [
        ["2019-03-31", 1.0, "2018/19", "an annual figure, not quarterly"],
        ["2020-03-31", 2.0, "2019/20", "an annual figure, not quarterly"],
        ["2021-03-31", 3.0, "2020/21", "an annual figure, not quarterly"],
        ["2021-04-30", 4.0, "April 2021 onwards", "a one-off figure, not quarterly"],
    ]
    chart = {"points": [["2024-06-30", 5.0, None, None, None, None]], "left_out": left_out}
    chart["before_break"] = [1, "Mar 2018", "Mar 2018"]
    assert summary(chart, "%").endswith(
        "4 values of another period type not drawn: 2019/20: 2% (an annual figure, not "
        "quarterly); 2020/21: 3% (an annual figure, not quarterly); April 2021 onwards: 4% (a "
        "one-off figure, not quarterly); and 1 earlier, on the measure's page. 1 earlier value "
        "not drawn, before a break in the series: Mar 2018."
    )


def test_a_chart_with_every_value_drawn_says_nothing_of_values_left_out():
    chart = chart_data(_shifted(), target=12)
    assert "left_out" not in chart and "before_break" not in chart
    assert "not drawn" not in summary(chart, "%")
