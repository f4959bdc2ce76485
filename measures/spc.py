"""Statistical process control (XmR charts) as NHS England's "Making Data Count" reads them.

Pure Python, no Django. The rules follow NHS England's SPC SQL v2.6 and NHSRplotthedots:
centre line = mean of the baseline points; process limits = mean ± 2.66 × mean moving range;
near limits (2σ) = mean ± (2/3 × 2.66) × mean moving range; special cause = a point beyond a
process limit, a shift of N points on one side of the mean, a trend of N points rising or
falling, or 2 of 3 points beyond the near limits on the same side. Precedence where rules
overlap: single point, then trend, then two-in-three, then shift; the signals text says when
a point of one signal is drawn as another's.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from strategy_tracker.dates import short_day

LIMIT_FACTOR = 2.66
NEAR_FACTOR = 2 / 3 * 2.66
MIN_POINTS = 15
# Limits fixed to fewer points than two years of quarters rest on too little to judge by.
MIN_BASELINE_POINTS = 8
DEFAULT_RUN_LENGTH = 7
ALLOWED_RUN_LENGTHS = range(6, 9)


class Rule(StrEnum):
    TREND = "trend"
    SHIFT = "shift"
    TWO_IN_THREE = "two_in_three"
    SINGLE_POINT = "single_point"


# Where rules overlap on a point, the first of these names it (as NHSRplotthedots 0.2 does):
# a point beyond a limit is the strongest signal, a shift the weakest.
PRECEDENCE = [Rule.SINGLE_POINT, Rule.TREND, Rule.TWO_IN_THREE, Rule.SHIFT]
RULE_NAMES = {
    Rule.TREND: "Trend",
    Rule.SHIFT: "Shift",
    Rule.TWO_IN_THREE: "Two of three near the limit",
    Rule.SINGLE_POINT: "Point beyond a limit",
}

# Each rule as the reason a point is coloured by it: "because a trend counts first".
PRECEDENCE_NAMES = {
    Rule.TREND: "a trend",
    Rule.SHIFT: "a shift",
    Rule.TWO_IN_THREE: "the rule of two of three points near a limit",
    Rule.SINGLE_POINT: "a point beyond a limit",
}


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEITHER_HIGH = "neither_high"
    NEITHER_LOW = "neither_low"

    @property
    def label(self) -> str:
        return {
            "common_cause": "Common cause variation",
            "improvement_high": "Special cause improvement (high)",
            "improvement_low": "Special cause improvement (low)",
            "concern_high": "Special cause concern (high)",
            "concern_low": "Special cause concern (low)",
            "neither_high": "Special cause, neither improvement nor concern (high)",
            "neither_low": "Special cause, neither improvement nor concern (low)",
        }[self.value]


class Assurance(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    HIT_AND_MISS = "hit_and_miss"

    @property
    def label(self) -> str:
        return {
            "pass": "Consistently passing the target",
            "fail": "Consistently failing the target",
            "hit_and_miss": "Hit and miss: the target may or may not be met",
        }[self.value]


@dataclass
class Point:
    period: dt.date
    value: float
    mean: float | None = None
    upper: float | None = None
    lower: float | None = None
    near_upper: float | None = None
    near_lower: float | None = None
    rule: Rule | None = None
    side: str | None = None  # "high" or "low"
    verdict: str | None = None  # "improvement", "concern" or "neither"


@dataclass
class Signal:
    rule: Rule
    start: dt.date
    end: dt.date
    points: int
    side: str
    verdict: str
    # Points of this signal that a rule of higher precedence classifies otherwise, so the
    # chart draws them that way: the text says so, and colours never contradict it.
    drawn_otherwise: int = 0
    drawn_as: str = ""
    drawn_because: "Rule | None" = None
    # Its first and last points' own wordings, where a day would misstate them (a year's:
    # Measure.spc_reading sets them from the values), else "".
    start_words: str = ""
    end_words: str = ""

    @property
    def text(self) -> str:
        where = {
            Rule.TREND: "rising" if self.side == "high" else "falling",
            Rule.SHIFT: "above the mean" if self.side == "high" else "below the mean",
            Rule.TWO_IN_THREE: "near the upper limit"
            if self.side == "high"
            else "near the lower limit",
            Rule.SINGLE_POINT: "above the upper limit"
            if self.side == "high"
            else "below the lower limit",
        }[self.rule]
        verdict = {"improvement": "improvement", "concern": "concern"}.get(
            self.verdict, "neither improvement nor concern"
        )
        points = f"{self.points} point{'s' if self.points != 1 else ''}"
        first = self.start_words or short_day(self.start)
        period = (
            first
            if self.start == self.end
            else f"{first} to {self.end_words or short_day(self.end)}"
        )
        text = f"{RULE_NAMES[self.rule]}: {points} {where}, {period} — {verdict}"
        if self.drawn_otherwise:
            some = "all" if self.drawn_otherwise == self.points else self.drawn_otherwise
            drawn = {"improvement": "improvement", "concern": "concern"}.get(
                self.drawn_as, "neither improvement nor concern"
            )
            # In words a board reads: which colour the chart gives them, and why.
            text += (
                f" ({some} of these points shown as {drawn} on the chart, because "
                f"{PRECEDENCE_NAMES[self.drawn_because]} counts first where signals overlap)"
            )
        return text


@dataclass
class SpcResult:
    points: list[Point]
    direction: str
    target: float | None
    run_chart_only: bool
    message: str = ""
    signals: list[Signal] = field(default_factory=list)
    variation: Variation | None = None
    assurance: Assurance | None = None
    # Values shown beside the chart but kept out of it (measures.periods), and the period
    # type of the charted run.
    left_out: list = field(default_factory=list)
    kind: str | None = None
    # A charted period's own wording where its end day would misstate it (a year's, a
    # one-off's: measures.periods.own_wording), by its end: the table and hover name it so.
    wordings: dict = field(default_factory=dict)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def limits(values: Sequence[float]) -> tuple[float, float, float, float, float]:
    """(mean, lower, upper, near_lower, near_upper) of the given baseline values."""
    mean = _mean(values)
    moving_ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    mr = _mean(moving_ranges) if moving_ranges else 0.0
    return (
        mean,
        mean - LIMIT_FACTOR * mr,
        mean + LIMIT_FACTOR * mr,
        mean - NEAR_FACTOR * mr,
        mean + NEAR_FACTOR * mr,
    )


def _verdict(side: str, direction: str) -> str:
    if direction not in ("higher", "lower"):
        return "neither"
    good_side = "high" if direction == "higher" else "low"
    return "improvement" if side == good_side else "concern"


def _runs(flags: list[str | None], length: int) -> list[tuple[int, int, str]]:
    """Maximal runs (start, end inclusive, label) of one non-None label at least `length` long."""
    runs, start, current = [], 0, None
    for i, flag in enumerate(flags):
        if flag != current:
            if current is not None and i - start >= length:
                runs.append((start, i - 1, current))
            start, current = i, flag
    if current is not None and len(flags) - start >= length:
        runs.append((start, len(flags) - 1, current))
    return runs


def _two_of_three(hits: list[int]) -> list[int]:
    """Of the points beyond a near limit (indexes, in order), those with another one at most
    two away: the two then lie in one window of three consecutive points."""
    # Only the nearest neighbours need checking, on either side.
    return [
        j
        for k, j in enumerate(hits)
        if (k > 0 and j - hits[k - 1] <= 2) or (k + 1 < len(hits) and hits[k + 1] - j <= 2)
    ]


def _segment_rules(
    values: list[float],
    segment_limits: tuple[float, float, float, float, float],
    shift: int,
    trend: int,
) -> dict[Rule, list[tuple[int, int, str]]]:
    """The signals (start, end inclusive, side) each rule finds among one segment's values,
    oldest first: runs of one side that overlap or touch are joined into one signal."""
    mean, lower, upper, near_lower, near_upper = segment_limits
    n = len(values)
    # Floating-point sums put a constant series' mean a hair off its values: within this
    # distance a value counts as on the line, not beyond it. The limits are the same for
    # every point of the segment, so widen them once.
    eps = 1e-9 * max(1.0, abs(mean))
    above, below = mean + eps, mean - eps
    high, low = upper + eps, lower - eps
    near_high, near_low = near_upper + eps, near_lower - eps
    found: dict[Rule, list[tuple[int, int, str]]] = {}
    # Single point beyond a process limit; neighbours beyond the same limit are one signal.
    beyond = ["high" if v > high else "low" if v < low else None for v in values]
    found[Rule.SINGLE_POINT] = _runs(beyond, 1)
    # Shift: consecutive points on one side of the mean; a point on the mean breaks the run.
    sides = ["high" if v > above else "low" if v < below else None for v in values]
    found[Rule.SHIFT] = _runs(sides, shift)
    # Trend: consecutive points each above (or below) the one before, endpoints included.
    # steps[i] compares values[i + 1] with values[i]. Two rises either side of one level or
    # falling step touch, and are one signal.
    steps = [
        "high" if b > a else "low" if b < a else None
        for a, b in zip(values, values[1:], strict=False)
    ]
    found[Rule.TREND] = _merge(
        [(start, end + 1, side) for start, end, side in _runs(steps, trend - 1)]
    )
    # Two of three consecutive points beyond the near limit on the same side (a point is
    # never beyond both near limits); fewer than three points make no window of three.
    near: list[str | None] = [None] * n
    if n >= 3:
        for j in _two_of_three([i for i, v in enumerate(values) if v > near_high]):
            near[j] = "high"
        for j in _two_of_three([i for i, v in enumerate(values) if v < near_low]):
            near[j] = "low"
    found[Rule.TWO_IN_THREE] = _runs(near, 1)
    return found


def _merge(runs: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Runs (oldest first) that overlap or touch on the same side, joined."""
    merged: list[tuple[int, int, str]] = []
    for start, end, side in runs:
        if merged and merged[-1][2] == side and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), side)
        else:
            merged.append((start, end, side))
    return merged


def _drawn_as(
    found: dict[Rule, list[tuple[int, int, str]]], n: int, verdicts: dict[str, str]
) -> list[tuple[Rule | None, str | None, str | None]]:
    """Each point's (rule, side, verdict) as the chart draws it: where rules overlap, the one
    of highest precedence. Joined runs draw as their parts would: the only runs of one rule
    that overlap on different sides are a rise and a fall sharing their turning point, and
    those are never joined."""
    drawn: list[tuple[Rule | None, str | None, str | None]] = [(None, None, None)] * n
    # Lowest precedence first, so a higher rule overwrites a point's classification.
    for rule in reversed(PRECEDENCE):
        for start, end, side in found[rule]:
            drawn[start : end + 1] = [(rule, side, verdicts[side])] * (end - start + 1)
    return drawn


def analyse(
    series: Sequence[tuple[dt.date, float]],
    direction: str,
    target: float | None = None,
    *,
    baseline_points: int | None = None,
    rebase_from: dt.date | None = None,
    shift_length: int = DEFAULT_RUN_LENGTH,
    trend_length: int = DEFAULT_RUN_LENGTH,
) -> SpcResult:
    """Classify every point of `series` (oldest first) and give the two icons.

    Limits come from the first `baseline_points` of each segment (all of them if None); a
    new segment starts at `rebase_from`. Limits are never rebased automatically.
    """
    if shift_length not in ALLOWED_RUN_LENGTHS or trend_length not in ALLOWED_RUN_LENGTHS:
        raise ValueError("Shift and trend lengths must be 6, 7 or 8.")
    series = sorted(series)
    target = None if target is None else float(target)
    if len(series) < MIN_POINTS:
        points = [Point(period, float(value)) for period, value in series]
        message = (
            f"{len(points)} point{'s' if len(points) != 1 else ''}: SPC limits need at least "
            f"{MIN_POINTS}, so this is a run chart only."
        )
        return SpcResult(points, direction, target, run_chart_only=True, message=message)

    values = [float(value) for _, value in series]
    # Segments as (first, last + 1) indexes; the series is sorted, so the points before
    # `rebase_from` come first.
    segments = [(0, len(series))]
    if rebase_from is not None:
        cut = sum(1 for period, _ in series if period < rebase_from)
        segments = [(a, b) for a, b in ((0, cut), (cut, len(series))) if a < b]
    verdicts = {side: _verdict(side, direction) for side in ("high", "low")}
    points: list[Point] = []
    signals = []
    for first, stop in segments:
        segment_values = values[first:stop]
        base = segment_values[:baseline_points] if baseline_points else segment_values
        if len(base) < 2:
            base = segment_values
        mean, lower, upper, near_lower, near_upper = segment_limits = limits(base)
        found = _segment_rules(segment_values, segment_limits, shift_length, trend_length)
        drawn = _drawn_as(found, len(segment_values), verdicts)
        segment = [
            Point(period, value, mean, upper, lower, near_upper, near_lower, rule, side, verdict)
            for (period, _), value, (rule, side, verdict) in zip(
                series[first:stop], segment_values, drawn, strict=True
            )
        ]
        for rule in PRECEDENCE:
            for start, end, side in found[rule]:
                run, verdict = segment[start : end + 1], verdicts[side]
                signal = Signal(rule, run[0].period, run[-1].period, len(run), side, verdict)
                other = [p for p in run if p.verdict != verdict]
                if other:
                    signal.drawn_otherwise = len(other)
                    signal.drawn_as, signal.drawn_because = other[0].verdict, other[0].rule
                signals.append(signal)
        points += segment
    signals.sort(key=lambda s: (s.start, PRECEDENCE.index(s.rule)))
    latest = points[-1]
    return SpcResult(
        points,
        direction,
        target,
        run_chart_only=False,
        signals=signals,
        variation=_variation(latest, direction),
        assurance=_assurance(latest, direction, target),
    )


def _variation(latest: Point, direction: str) -> Variation:
    if latest.rule is None:
        return Variation.COMMON_CAUSE
    return Variation(f"{latest.verdict}_{latest.side}")


def _assurance(latest: Point, direction: str, target: float | None) -> Assurance | None:
    if target is None or direction not in ("higher", "lower"):
        return None
    # A target on a limit is on it, though the limit's arithmetic left 5.6320000000000014:
    # the same allowance as the rules' comparisons with the limits (_segment_rules).
    eps = 1e-9 * max(1.0, abs(latest.mean))
    if abs(target - latest.lower) <= eps:
        target = latest.lower
    elif abs(target - latest.upper) <= eps:
        target = latest.upper
    if direction == "higher":
        if target <= latest.lower:
            return Assurance.PASS
        if target >= latest.upper:
            return Assurance.FAIL
    else:
        if target >= latest.upper:
            return Assurance.PASS
        if target <= latest.lower:
            return Assurance.FAIL
    return Assurance.HIT_AND_MISS
