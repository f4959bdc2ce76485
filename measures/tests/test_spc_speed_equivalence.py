"""The SPC reading and the choice of a series' period type give exactly what the first,
plainer (and slower) versions gave: those are kept here, point by point and window by
window, as the reference the faster code in measures/spc.py and measures/periods.py must
match on every classification, signal and left-out value."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from measures import periods, spc
from measures.spc import PRECEDENCE, Rule
from tests.examples import examples


def reference_runs(flags, length):
    runs, start = [], 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            if flags[start] is not None and i - start >= length:
                runs.append((start, i - 1, flags[start]))
            start = i
    return runs


def reference_merge(runs):
    merged = []
    for start, end, side in sorted(set(runs)):
        if merged and merged[-1][2] == side and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), side)
        else:
            merged.append((start, end, side))
    return merged


def reference_rules(points, shift, trend):
    values = [p.value for p in points]
    eps = 1e-9 * max(1.0, abs(points[0].mean))
    found = {rule: [] for rule in PRECEDENCE}
    for i, p in enumerate(points):
        if p.value > p.upper + eps:
            found[Rule.SINGLE_POINT].append((i, i, "high"))
        elif p.value < p.lower - eps:
            found[Rule.SINGLE_POINT].append((i, i, "low"))
    sides = [
        "high" if p.value > p.mean + eps else "low" if p.value < p.mean - eps else None
        for p in points
    ]
    found[Rule.SHIFT] = reference_runs(sides, shift)
    steps = [None] + [
        "high" if b > a else "low" if b < a else None
        for a, b in zip(values, values[1:], strict=False)
    ]
    for start, end, side in reference_runs(steps[1:], trend - 1):
        found[Rule.TREND].append((start, end + 1, side))
    beyond = {
        "high": [p.value > p.near_upper + eps for p in points],
        "low": [p.value < p.near_lower - eps for p in points],
    }
    two_in_three = set()
    for i in range(len(points) - 2):
        for side, flags in beyond.items():
            hits = [j for j in (i, i + 1, i + 2) if flags[j]]
            if len(hits) >= 2:
                two_in_three.update((j, j, side) for j in hits)
    found[Rule.TWO_IN_THREE] = sorted(two_in_three)
    return found


def reference_analyse(series, direction, baseline_points, rebase_from, shift, trend):
    """Points and signals as the first version read them (enough of analyse to compare)."""
    points = [spc.Point(period, float(value)) for period, value in sorted(series)]
    if len(points) < spc.MIN_POINTS:
        return points, []
    segments = [points]
    if rebase_from is not None:
        before = [p for p in points if p.period < rebase_from]
        after = [p for p in points if p.period >= rebase_from]
        segments = [s for s in (before, after) if s]
    signals = []
    for segment in segments:
        base = segment[:baseline_points] if baseline_points else segment
        if len(base) < 2:
            base = segment
        mean, lower, upper, near_lower, near_upper = spc.limits([p.value for p in base])
        for p in segment:
            p.mean, p.lower, p.upper = mean, lower, upper
            p.near_lower, p.near_upper = near_lower, near_upper
        found = reference_rules(segment, shift, trend)
        for rule in reversed(PRECEDENCE):
            for start, end, side in found[rule]:
                verdict = spc._verdict(side, direction)
                for p in segment[start : end + 1]:
                    p.rule, p.side, p.verdict = rule, side, verdict
        for rule in PRECEDENCE:
            for start, end, side in reference_merge(found[rule]):
                signal = spc.Signal(
                    rule,
                    segment[start].period,
                    segment[end].period,
                    end - start + 1,
                    side,
                    spc._verdict(side, direction),
                )
                other = [p for p in segment[start : end + 1] if p.verdict != signal.verdict]
                if other:
                    signal.drawn_otherwise = len(other)
                    signal.drawn_as, signal.drawn_because = other[0].verdict, other[0].rule
                signals.append(signal)
    signals.sort(key=lambda s: (s.start, PRECEDENCE.index(s.rule)))
    return points, signals


def reference_one_period_type(values):
    values = sorted(values)
    everything = periods.Series(None, [(d, v) for d, v, _ in values])
    days = [(b[0] - a[0]).days for a, b in zip(values, values[1:], strict=False)]
    gaps = [next((k for k, step in periods.STEPS.items() if d in step), None) for d in days]
    counts = Counter(kind for kind in gaps if kind)
    if not counts:
        return everything
    kind = max(counts, key=lambda k: (counts[k], max(i for i, g in enumerate(gaps) if g == k)))
    # The latest run of three or more values one period apart sets the kind, if there is one
    # (a measure whose figures went from quarterly to monthly: twenty-fourth session).
    for i in range(len(gaps) - 1, 0, -1):
        if gaps[i] is not None and gaps[i] == gaps[i - 1]:
            kind = gaps[i]
            break

    def fits(i):
        return periods.kind_of_text(values[i][2]) in (None, kind)

    end = max((i for i in range(len(values)) if fits(i)), default=None)
    if end is None:
        return everything
    start = end
    while start > 0 and gaps[start - 1] == kind and fits(start - 1):
        start -= 1
    run = values[start : end + 1]  # one value alone after a break is the run
    left_out = [
        periods.LeftOut(d, v, text, periods._why(text, kind, i < start, run[0][0]))
        for i, (d, v, text) in enumerate(values)
        if not start <= i <= end
    ]
    return periods.Series(kind, [(d, v) for d, v, _ in run], left_out)


START = dt.date(2015, 1, 31)
# Few distinct values, so that ties, level steps, constant stretches and values on the
# mean or a limit all come up.
small_values = st.lists(st.integers(0, 6), min_size=0, max_size=60)
wide_values = st.lists(st.integers(-1000, 1000), min_size=15, max_size=60)


MONTHLY = [30] * 60
RISES_EITHER_SIDE_OF_A_LEVEL_STEP = [0, 1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12, 5, 5]
RISE_THEN_FALL = [0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0, 3, 3, 3]


@settings(max_examples=examples(400), deadline=None)
@example(RISES_EITHER_SIDE_OF_A_LEVEL_STEP, MONTHLY, "higher", None, None, 8, 7)
@example(RISE_THEN_FALL, MONTHLY, "lower", None, None, 8, 7)
@given(
    values=st.one_of(small_values, wide_values),
    gaps=st.lists(st.sampled_from([7, 30, 31, 61, 91, 365]), min_size=60, max_size=60),
    direction=st.sampled_from(["higher", "lower", "none"]),
    baseline_points=st.sampled_from([None, 0, 1, 2, 12, 20]),
    rebase_at=st.one_of(st.none(), st.integers(0, 60)),
    shift=st.sampled_from([6, 7, 8]),
    trend=st.sampled_from([6, 7, 8]),
)
def test_analyse_reads_every_point_and_signal_as_the_reference_does(
    values, gaps, direction, baseline_points, rebase_at, shift, trend
):
    dates = [START + dt.timedelta(days=sum(gaps[:i])) for i in range(len(values))]
    series = [(d, Decimal(v) / 4) for d, v in zip(dates, values, strict=True)]
    rebase_from = None if rebase_at is None else START + dt.timedelta(days=sum(gaps[:rebase_at]))
    result = spc.analyse(
        series,
        direction,
        baseline_points=baseline_points,
        rebase_from=rebase_from,
        shift_length=shift,
        trend_length=trend,
    )
    points, signals = reference_analyse(
        series, direction, baseline_points, rebase_from, shift, trend
    )
    assert result.points == points
    assert [vars(s) for s in result.signals] == [vars(s) for s in signals]
    assert [s.text for s in result.signals] == [s.text for s in signals]


TEXTS = ["", "2024/25 Q1", "2019/20", "March 2024", "2024-03", "April 2021 onwards", "Q3"]


@settings(max_examples=examples(400), deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([1, 7, 14, 28, 30, 31, 61, 89, 91, 92, 365, 366, 700]),
            st.integers(0, 9),
            st.sampled_from(TEXTS),
        ),
        max_size=40,
    )
)
def test_one_period_type_keeps_and_leaves_out_what_the_reference_does(rows):
    values, day = [], START
    for gap, value, text in rows:
        day += dt.timedelta(days=gap)
        values.append((day, Decimal(value), text))
    values.reverse()  # it sorts them itself
    assert periods.one_period_type(values) == reference_one_period_type(values)


def test_kind_of_gap_names_the_kind_whose_steps_hold_the_days():
    for days in range(0, 800):
        expected = next((k for k, step in periods.STEPS.items() if days in step), None)
        assert periods.kind_of_gap(START, START + dt.timedelta(days=days)) == expected
