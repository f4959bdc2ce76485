"""A measure's trajectory: the path from its baseline to its dated target, and where it
should be on the way. Pure Python, no Django: the RAG rule and the chart both read it.

The path starts at the baseline (value and period), passes through any planned points the
measure sets, and ends at the target on its date; between two points it is a straight line.
There is no trajectory unless the baseline is dated before the target date and lies on the
far side of the target from the direction of improvement: a path that ran away from the
target, or from a point that is not the baseline, would say nothing true.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

Point = tuple[dt.date, Decimal]


@dataclass(frozen=True)
class Trajectory:
    points: list[Point]  # baseline first, target last, oldest first

    @property
    def start(self) -> Point:
        return self.points[0]

    @property
    def end(self) -> Point:
        return self.points[-1]

    def expected_at(self, date: dt.date) -> Decimal | None:
        """The value the path expects at `date`: the baseline itself at the baseline's date;
        None before it, or on or after the target date, where the target itself applies."""
        if not self.start[0] <= date < self.end[0]:
            return None
        for (d0, v0), (d1, v1) in zip(self.points, self.points[1:], strict=False):
            if d0 <= date <= d1:
                share = Decimal((date - d0).days) / Decimal((d1 - d0).days)
                return v0 + (v1 - v0) * share
        return None  # unreachable: the dates are in order and cover the range


def improves_towards(start: Decimal, target: Decimal, direction: str) -> bool:
    """Whether moving from `start` to `target` is an improvement in this direction."""
    if direction == "higher":
        return start < target
    if direction == "lower":
        return start > target
    return False


def build(
    *,
    direction: str,
    baseline_value: Decimal | None,
    baseline_period: dt.date | None,
    target_value: Decimal | None,
    target_date: dt.date | None,
    planned: list[Point] = (),
) -> Trajectory | None:
    """The measure's trajectory, or None when it has none (see the module's docstring).
    Planned points outside the baseline-to-target window are ignored."""
    if None in (baseline_value, baseline_period, target_value, target_date):
        return None
    if baseline_period >= target_date:
        return None
    if not improves_towards(baseline_value, target_value, direction):
        return None
    inside = sorted(p for p in planned if baseline_period < p[0] < target_date)
    return Trajectory([(baseline_period, baseline_value), *inside, (target_date, target_value)])
