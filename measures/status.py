"""A measure's status: its latest value against its target, or against its trajectory while
a dated target is still ahead. Pure Python, no Django."""

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal

from measures import trajectory
from measures.periods import by_when, own_wording, period_words
from strategy_tracker.dates import long_day
from strategy_tracker.numbers import money_or_number, with_unit
from strategy_tracker.status import Rag, Status

STALE_AFTER_MONTHS = 6  # two quarters


# Remembered: a list of strategies judges a thousand measures against the same day.
@functools.lru_cache(maxsize=16)
def _months_before(date: dt.date, months: int) -> dt.date:
    month_index = date.year * 12 + date.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    # Clamp the day to the target month's length (31 Aug minus 6 months is 28/29 Feb).
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last_day))


def is_stale(period_end: dt.date, today: dt.date) -> bool:
    """A value is stale when its period ended more than two quarters before today."""
    return period_end < _months_before(today, STALE_AFTER_MONTHS)


def _figure(value: Decimal, unit: str) -> str:
    """A figure as a reason words it: in thousands (1,234,567), money with its £ (£1,234,567);
    strategy_tracker/numbers.py writes it as the pages do."""
    return money_or_number(value, unit)


def _gap_phrase(
    value: Decimal, target: Decimal, unit: str, direction: str, against: str = "target"
) -> str:
    side = "below" if direction == "higher" else "above"
    gap = abs(target - value)
    if unit == "%":
        return f"{_figure(gap, unit)} percentage points {side} {against}"
    if target == 0:
        return f"{_figure(gap, unit)} {side} {against}"
    relative = gap / abs(target) * 100
    # Whole percentages read best, but a small miss must not read as "0% below".
    places = (
        Decimal("1")
        if relative >= 1
        else Decimal("0.1")
        if relative >= Decimal("0.1")
        else Decimal("0.01")
    )
    # Halves up, as people round: 2.5% reads 3%, never 2% (Decimal's default rounds to even).
    shown = relative.quantize(places, rounding=ROUND_HALF_UP).normalize()
    return f"{shown:f}% {side} {against}"


def context_status() -> Status:
    """A context indicator describes the setting; it is never judged or rolled up."""
    return Status(Rag.GREY, "context indicator, not judged against a target", "measure", "context")


def _places(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)


def _to_places(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-min(places, 4)))


def _meets(value: Decimal, reference: Decimal, direction: str) -> bool:
    return value >= reference if direction == "higher" else value <= reference


def measure_status(
    *,
    direction: str,
    unit: str,
    target: Decimal | None,
    tolerance: Decimal,
    latest_value: Decimal | None,
    latest_period_end: dt.date | None,
    today: dt.date,
    target_date: dt.date | None = None,
    expected: Decimal | None = None,
    words: bool = True,
    latest_period_text: str = "",
    baseline: str = "",
    target_text: str = "",
) -> Status:
    """The latest value against the target; or, while a dated target is still ahead, against
    `expected`, where the trajectory from the baseline says it should be by now.

    With `words=False` the reason is only the finding: a list of strategies judges a thousand
    measures and words only the few its roll-ups quote (objectives/progress.py)."""
    stale = latest_period_end is not None and is_stale(latest_period_end, today)
    judged = latest_value is not None and target is not None and direction in ("higher", "lower")
    if judged and expected is not None:
        # Shown to one decimal place more than the value has (8.56 beside 8.4, 12345.3 beside
        # a count of 12320) and judged as shown, so the reason never contradicts itself. The
        # database keeps no trailing zeros' worth of precision, so a rate of 6 is read as 6.0.
        places = _places(latest_value) if unit == "count" else max(_places(latest_value), 1)
        expected = _to_places(expected, places + 1)
    rag, finding = _judgement(direction, target, tolerance, latest_value, expected)
    if not words:
        return Status(rag, finding, "measure", finding, stale)
    if finding == "with no value" and baseline:
        # The document's own figure, where it gives one: "no value" alone hid it (Thurrock's
        # "23.2% of adults smoke") from every page but the measure's own.
        return Status(rag, f"no value reported yet; {baseline}", "measure", finding, stale)
    reason = _reason(
        rag,
        finding,
        direction,
        unit,
        target,
        by_when(target_date, target_text),
        latest_value,
        latest_period_end,
        expected,
    )
    if stale:
        # A year or a one-off period in its source's words: "April 2021 onwards" has no end
        # date of its own, whatever day the figure is filed under.
        own = own_wording(latest_period_text)
        ended = f"for {own}" if own else f"period ended {long_day(latest_period_end)}"
        reason += f"; latest value is stale ({ended})"
    return Status(rag, reason, "measure", finding, stale)


def _judgement(
    direction: str,
    target: Decimal | None,
    tolerance: Decimal,
    latest_value: Decimal | None,
    expected: Decimal | None,
) -> tuple[Rag, str]:
    """The colour and the finding: the rule itself, without its words."""
    if latest_value is None:
        return Rag.GREY, "with no value"
    if target is None:
        return Rag.GREY, "with no target"
    if direction not in ("higher", "lower"):
        return Rag.GREY, "unjudged"
    if expected is not None:
        if _meets(latest_value, expected, direction):
            return Rag.GREEN, "on trajectory"
        if abs(expected - latest_value) <= tolerance:
            return Rag.AMBER, "behind trajectory within tolerance"
        return Rag.RED, "behind trajectory"
    if _meets(latest_value, target, direction):
        return Rag.GREEN, "meeting target"
    side = "below target" if direction == "higher" else "above target"
    if abs(target - latest_value) <= tolerance:
        return Rag.AMBER, f"{side} within tolerance"
    return Rag.RED, side


_UNJUDGED_REASONS = {
    "with no value": "no value reported yet",
    "with no target": "no target set",
    "unjudged": "no direction, so no comparison with the target",
}


def _reason(
    rag, finding, direction, unit, target, when, latest_value, latest_period_end, expected
) -> str:
    """The judgement in words, with the figures it was made on; `when` the target is due
    ("by 2027/28": by_when)."""
    if finding in _UNJUDGED_REASONS:
        return _UNJUDGED_REASONS[finding]
    by = f" {when}" if when else ""
    if expected is not None:
        shown = (
            f"latest {_figure(latest_value, unit)} against {_figure(expected, unit)} expected "
            f"by {long_day(latest_period_end)} on the trajectory to {_figure(target, unit)}{by}"
        )
        if rag == Rag.GREEN:
            return f"on trajectory ({shown})"
        gap = _gap_phrase(latest_value, expected, unit, direction, against="trajectory")
    else:
        shown = f"latest {_figure(latest_value, unit)} against target {_figure(target, unit)}{by}"
        if rag == Rag.GREEN:
            return f"meets its target ({shown})"
        gap = _gap_phrase(latest_value, target, unit, direction)
    return f"{gap}, within tolerance ({shown})" if rag == Rag.AMBER else f"{gap} ({shown})"


# The fields of a measure that its status reads, with `latest_value` and `latest_period_end`.
STATUS_FIELDS = (
    "kind",
    "direction",
    "unit",
    "baseline_value",
    "baseline_period",
    "baseline_period_text",  # in a reason's words for a measure with no value yet
    "target_value",
    "target_date",
    "target_period_text",  # in a reason's words for when the target is due
    "tolerance",
)


def status_of(
    measure, planned: list[trajectory.Point], today: dt.date, words: bool = True
) -> Status:
    """The status of a measure, from anything with its STATUS_FIELDS and latest value as
    attributes (a Measure, or a plain row) and its planned trajectory points; with
    `words=False`, its reason only the finding (measure_status)."""
    if measure.kind == "context":
        return context_status()
    path = trajectory.build(
        direction=measure.direction,
        baseline_value=measure.baseline_value,
        baseline_period=measure.baseline_period,
        target_value=measure.target_value,
        target_date=measure.target_date,
        planned=planned,
    )
    expected = None
    if path is not None and measure.latest_period_end is not None:
        expected = path.expected_at(measure.latest_period_end)
    return measure_status(
        direction=measure.direction,
        unit=measure.unit,
        target=measure.target_value,
        target_date=measure.target_date,
        expected=expected,
        tolerance=measure.tolerance,
        latest_value=measure.latest_value,
        latest_period_end=measure.latest_period_end,
        today=today,
        words=words,
        latest_period_text=getattr(measure, "latest_period_text", ""),
        baseline=baseline_words(measure) if words else "",
        target_text=measure.target_period_text,
    )


def baseline_words(measure) -> str:
    """ "the baseline is 23.2% (2012)", or "" without a baseline."""
    value = measure.baseline_value
    if value is None:
        return ""
    shown = with_unit(value, "%") if measure.unit == "%" else _figure(value, measure.unit)
    # The document's own wording where the Admin gave it, as the measure's page shows it.
    period = measure.baseline_period_text or period_words(measure.baseline_period)
    if not period:
        period = "period not stated"
    return f"the baseline is {shown} ({period})"
