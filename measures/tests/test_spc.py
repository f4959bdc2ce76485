"""SPC worked examples: expected limits and signals are computed here from the published
formulae (mean ± 2.66 × mean moving range), not taken from the module under test."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measures.spc import Assurance, Rule, Variation, analyse
from tests.examples import examples


def quarters(n: int, start=dt.date(2019, 6, 30)) -> list[dt.date]:
    ends = []
    year, q = start.year, {3: 1, 6: 2, 9: 3, 12: 4}[start.month]
    month_day = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
    for _ in range(n):
        ends.append(dt.date(year, *month_day[q]))
        q += 1
        if q == 5:
            q, year = 1, year + 1
    return ends


def series(values):
    return list(zip(quarters(len(values)), values, strict=True))


# A calm baseline: 11, 9, 11, 9 … (16 points) mean 10, every moving range 2, so by hand:
# limits 10 ± 2.66 × 2 = 4.68 and 15.32; near limits 10 ± (2/3)(2.66)(2) = 6.4533 and 13.5467.
BASELINE = [11, 9] * 8  # ends below the mean, so a run above it starts afresh
B = len(BASELINE)


def test_the_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges():
    values = [12, 15, 11, 14, 13, 16, 12, 11, 15, 14, 13, 12, 16, 14, 13]
    mean = sum(values) / 15
    mean_mr = sum(abs(b - a) for a, b in zip(values, values[1:], strict=False)) / 14
    result = analyse(series(values), "higher")
    p = result.points[0]
    assert p.mean == pytest.approx(mean)
    assert p.upper == pytest.approx(mean + 2.66 * mean_mr)
    assert p.lower == pytest.approx(mean - 2.66 * mean_mr)
    assert p.near_upper == pytest.approx(mean + 2 / 3 * 2.66 * mean_mr)
    assert result.signals == []
    assert result.variation == Variation.COMMON_CAUSE


def test_a_single_point_beyond_the_upper_limit():
    result = analyse(series(BASELINE + [16]), "higher", baseline_points=B)
    assert result.points[0].upper == pytest.approx(15.32)
    last = result.points[-1]
    assert (last.rule, last.side, last.verdict) == (Rule.SINGLE_POINT, "high", "improvement")
    assert result.variation == Variation.IMPROVEMENT_HIGH
    assert [s.rule for s in result.signals] == [Rule.SINGLE_POINT]
    # 15.32 itself is on the limit, not beyond it.
    assert analyse(series(BASELINE + [15.32]), "higher", baseline_points=B).points[-1].rule is None


def test_a_shift_of_seven_points_above_the_mean():
    result = analyse(
        series(BASELINE + [10.5, 11, 10.5, 11, 10.5, 11, 10.5]), "lower", baseline_points=B
    )
    shifted = result.points[B:]
    assert {(p.rule, p.side, p.verdict) for p in shifted} == {(Rule.SHIFT, "high", "concern")}
    assert result.variation == Variation.CONCERN_HIGH
    text = [s.text for s in result.signals]
    assert text == ["Shift: 7 points above the mean, 30 Jun 2023 to 31 Dec 2024 — concern"]


def test_six_points_are_not_a_shift_unless_the_setting_says_so():
    six = BASELINE + [10.5, 11, 10.5, 11, 10.5, 11]
    assert analyse(series(six), "lower", baseline_points=B).signals == []
    result = analyse(series(six), "lower", baseline_points=B, shift_length=6)
    assert [s.rule for s in result.signals] == [Rule.SHIFT]
    with pytest.raises(ValueError):
        analyse(series(six), "lower", shift_length=5)


def test_a_trend_takes_precedence_over_the_shift_it_overlaps():
    # Seven rising points, all below the mean: a rising trend and a low shift at once.
    rising = [9.0, 9.1, 9.2, 9.3, 9.4, 9.5, 9.6]
    result = analyse(series(BASELINE + rising), "higher", baseline_points=B)
    tail = result.points[B:]
    assert {(p.rule, p.side, p.verdict) for p in tail} == {(Rule.TREND, "high", "improvement")}
    assert {s.rule for s in result.signals} == {Rule.TREND, Rule.SHIFT}
    assert result.variation == Variation.IMPROVEMENT_HIGH


def test_a_falling_trend_counts_its_endpoints():
    falling = [11, 10.9, 10.8, 10.7, 10.6, 10.5, 10.4]
    result = analyse(series(BASELINE[:-1] + falling), "higher", baseline_points=B - 1)
    trend = [s for s in result.signals if s.rule == Rule.TREND]
    # The baseline's last 11 starts the fall; 11 → 10.4 is 7 points, endpoints included.
    assert [(s.points, s.side, s.verdict) for s in trend] == [(7, "low", "concern")]


def test_two_of_three_points_beyond_the_near_limit():
    result = analyse(series(BASELINE + [14, 10, 14]), "higher", baseline_points=B)
    flagged = [(i, p.rule) for i, p in enumerate(result.points) if p.rule]
    assert flagged == [(B, Rule.TWO_IN_THREE), (B + 2, Rule.TWO_IN_THREE)]
    assert result.variation == Variation.IMPROVEMENT_HIGH
    # One point near the limit is not enough.
    assert analyse(series(BASELINE + [14, 10, 10]), "higher", baseline_points=B).signals == []


def test_a_point_beyond_the_limit_counts_towards_two_of_three_and_outranks_it():
    result = analyse(series(BASELINE + [16, 10, 14]), "higher", baseline_points=B)
    assert result.points[B].rule == Rule.SINGLE_POINT  # also part of 2-of-3, which it outranks
    assert result.points[B + 2].rule == Rule.TWO_IN_THREE
    assert {s.rule for s in result.signals} == {Rule.TWO_IN_THREE, Rule.SINGLE_POINT}


def test_a_signal_says_which_of_its_points_are_drawn_as_another_verdict():
    # Far below the limits, then rising: concern points beyond the limit, an improving trend
    # and a concern shift overlap. Each point is drawn by the rule that outranks the others,
    # and the text of every signal whose points are drawn otherwise says so.
    values = [10, 10.5, 9.5, 10, 11, 9, 10, 10.5, 9.5, 10, 10, 10.5, 9.5, 10, 10]
    values += [5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9]
    result = analyse(series(values), "higher", baseline_points=15)
    drawn = [(p.rule, p.verdict) for p in result.points[15:]]
    assert drawn[0] == (Rule.SINGLE_POINT, "concern")
    assert drawn[-1] == (Rule.TREND, "improvement")
    shift = next(s for s in result.signals if s.rule == Rule.SHIFT)
    assert shift.verdict == "concern"
    assert "shown as improvement on the chart, because a trend counts first" in shift.text
    for signal in result.signals:
        own = [p for p in result.points if signal.start <= p.period <= signal.end]
        differ = sum(1 for p in own if p.verdict != signal.verdict)
        assert signal.drawn_otherwise == differ
        assert ("on the chart, because" in signal.text) == bool(differ)


def test_with_no_direction_a_signal_is_neither_improvement_nor_concern():
    result = analyse(series(BASELINE + [16]), "none", target=12, baseline_points=B)
    assert result.points[-1].verdict == "neither"
    assert result.variation == Variation.NEITHER_HIGH
    assert result.assurance is None


@pytest.mark.parametrize(
    "direction,target,assurance",
    [
        ("higher", 4.68, Assurance.PASS),  # at the lower limit
        ("higher", 4, Assurance.PASS),
        ("higher", 15.32, Assurance.FAIL),  # at the upper limit
        ("higher", 12, Assurance.HIT_AND_MISS),
        ("lower", 16, Assurance.PASS),
        ("lower", 4, Assurance.FAIL),
        ("lower", 10, Assurance.HIT_AND_MISS),
    ],
)
def test_the_assurance_icon_compares_the_target_with_the_limits(direction, target, assurance):
    assert analyse(series(BASELINE), direction, target=target).assurance == assurance


@pytest.mark.parametrize(
    "direction,target,assurance",
    [
        ("higher", 5.632, Assurance.FAIL),  # the upper limit, worked out as 5.6320000000000014
        ("higher", 4.568, Assurance.PASS),
        ("lower", 5.632, Assurance.PASS),
        ("lower", 4.568, Assurance.FAIL),
    ],
)
def test_a_target_on_a_limit_is_on_it_whatever_the_limits_arithmetic(direction, target, assurance):
    # Mean 5.1, mean moving range 0.2: limits 5.1 ± 2.66 × 0.2, exactly 4.568 and 5.632.
    result = analyse(series([5.0, 5.2] * 8), direction, target=target)
    assert result.assurance == assurance


def test_no_target_no_assurance_icon():
    assert analyse(series(BASELINE), "higher").assurance is None


def test_fewer_than_fifteen_points_is_a_run_chart_only_and_says_why():
    result = analyse(series(BASELINE[:14]), "higher", target=10)
    assert result.run_chart_only
    assert result.message == "14 points: SPC limits need at least 15, so this is a run chart only."
    assert result.points[0].upper is None and result.variation is None and result.assurance is None


def test_limits_are_rebased_only_where_told_and_each_part_has_its_own():
    values = BASELINE + [19, 21] * 8
    rebase = quarters(len(values))[B]
    plain = analyse(series(values), "higher")
    rebased = analyse(series(values), "higher", rebase_from=rebase)
    assert plain.points[0].mean == plain.points[-1].mean  # never rebased by itself
    assert rebased.points[0].mean == pytest.approx(10)
    assert rebased.points[-1].mean == pytest.approx(20)
    assert rebased.points[-1].upper == pytest.approx(20 + 2.66 * 2)


values_strategy = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=15,
    max_size=60,
)


@settings(max_examples=examples(200), deadline=None)
@given(values=values_strategy)
def test_limits_are_symmetric_about_the_mean(values):
    for p in analyse(series(values), "higher").points:
        assert p.upper - p.mean == pytest.approx(p.mean - p.lower, rel=1e-9, abs=1e-6)
        assert p.near_upper - p.mean == pytest.approx(
            (p.upper - p.mean) * 2 / 3, rel=1e-9, abs=1e-6
        )


@settings(max_examples=examples(100), deadline=None)
@given(value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), n=st.integers(15, 60))
def test_a_constant_series_has_no_signals(value, n):
    result = analyse(series([value] * n), "higher", target=value)
    assert result.signals == []
    assert result.variation == Variation.COMMON_CAUSE


@settings(max_examples=examples(200), deadline=None)
@given(values=values_strategy)
def test_reversing_the_direction_swaps_improvement_and_concern(values):
    up = analyse(series(values), "higher")
    down = analyse(series(values), "lower")
    swap = {"improvement": "concern", "concern": "improvement", None: None}
    assert [swap[p.verdict] for p in up.points] == [p.verdict for p in down.points]
    assert [p.rule for p in up.points] == [p.rule for p in down.points]
