"""RAG status: derived from milestones and measures, never typed in, always with its reason.

Pure functions, no Django: the pages, the exports and the tests all call these. The rules
are written out in the README ("How status is worked out").
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

DUE_SOON_DAYS = 30
STALE_AFTER_MONTHS = 6  # two quarters


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"
    GREY = "grey"

    @property
    def label(self) -> str:
        return {
            "red": "Red",
            "amber": "Amber",
            "green": "Green",
            "blue": "Complete",
            "grey": "No status",
        }[self.value]


# Worst first: a roll-up takes the first of these that any non-grey child has.
SEVERITY = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]
DISPLAY_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY]


@dataclass(frozen=True)
class Status:
    """The RAG of one milestone or measure, with why.

    `finding` is a short phrase that reads after a count ("overdue", "below target"), used
    when several children are summed up in a roll-up's reason.
    """

    rag: Rag
    reason: str
    kind: str  # "milestone" or "measure"
    finding: str
    stale: bool = False

    @property
    def text(self) -> str:
        return f"{self.rag.label}: {self.reason}"


@dataclass(frozen=True)
class RollUp:
    rag: Rag
    reason: str
    counts: dict[Rag, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.rag.label}: {self.reason}"

    @property
    def counts_in_order(self) -> list[tuple[Rag, int]]:
        return [(rag, self.counts.get(rag, 0)) for rag in DISPLAY_ORDER]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def time_in_words(days: int) -> str:
    """A span as a reader says it: "3 days", "5 weeks", "4 months", "over 13 years"."""
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 61:
        return f"{days // 7} weeks"
    if days < 365:
        return f"{round(days / 30.44)} months"
    years, rest = divmod(days, 365)
    count = "a year" if years == 1 else f"{years} years"
    return f"over {count}" if rest > 31 else f"about {count}" if rest else count


def milestone_status(
    *,
    status: str,
    due_date: dt.date | None,
    forecast_date: dt.date | None,
    last_updated_at: dt.datetime | None,
    today: dt.date,
) -> Status:
    def result(rag: Rag, reason: str, finding: str) -> Status:
        return Status(rag, reason, "milestone", finding)

    if status == "complete":
        return result(Rag.BLUE, "complete", "complete")
    if status == "cancelled":
        return result(Rag.GREY, "cancelled", "cancelled")
    if due_date is None and last_updated_at is None:
        return result(Rag.GREY, "no due date and no update yet", "with no date or update")
    if due_date is not None and due_date < today:
        late = time_in_words((today - due_date).days)
        return result(Rag.RED, f"overdue: was due {_day(due_date)} ({late} ago)", "overdue")
    if status == "off_track":
        return result(Rag.RED, "reported off track", "off track")
    if status == "at_risk":
        return result(Rag.AMBER, "reported at risk", "at risk")
    if due_date and forecast_date and forecast_date > due_date:
        return result(
            Rag.AMBER,
            f"forecast {_day(forecast_date)}, after its due date {_day(due_date)}",
            "forecast to finish late",
        )
    if due_date and status == "not_started" and (due_date - today).days <= DUE_SOON_DAYS:
        days = (due_date - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        return result(Rag.AMBER, f"due {when} and not started", "due soon and not started")
    if due_date is None:
        return result(Rag.GREEN, "no due date; updated, not reported at risk", "on track")
    return result(Rag.GREEN, f"due {_day(due_date)}, not reported at risk", "on track")


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


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _gap_phrase(
    value: Decimal, target: Decimal, unit: str, direction: str, against: str = "target"
) -> str:
    side = "below" if direction == "higher" else "above"
    gap = abs(target - value)
    if unit == "%":
        return f"{_number(gap)} percentage points {side} {against}"
    if target == 0:
        return f"{_number(gap)} {side} {against}"
    relative = gap / abs(target) * 100
    # Whole percentages read best, but a small miss must not read as "0% below".
    places = (
        Decimal("1")
        if relative >= 1
        else Decimal("0.1")
        if relative >= Decimal("0.1")
        else Decimal("0.01")
    )
    return f"{relative.quantize(places).normalize():f}% {side} {against}"


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
) -> Status:
    """The latest value against the target; or, while a dated target is still ahead, against
    `expected`, where the trajectory from the baseline says it should be by now."""
    stale = latest_period_end is not None and is_stale(latest_period_end, today)
    stale_note = (
        f"; latest value is stale (period ended {_day(latest_period_end)})" if stale else ""
    )

    def result(rag: Rag, reason: str, finding: str) -> Status:
        return Status(rag, reason + stale_note, "measure", finding, stale)

    if latest_value is None:
        return result(Rag.GREY, "no value reported yet", "with no value")
    if target is None:
        return result(Rag.GREY, "no target set", "with no target")
    if direction not in ("higher", "lower"):
        return result(Rag.GREY, "no direction, so no comparison with the target", "unjudged")
    by = f" by {_day(target_date)}" if target_date else ""
    if expected is not None:
        # Shown to one decimal place more than the value has (8.56 beside 8.4, 12345.3 beside
        # a count of 12320) and judged as shown, so the reason never contradicts itself. The
        # database keeps no trailing zeros' worth of precision, so a rate of 6 is read as 6.0.
        places = _places(latest_value) if unit == "count" else max(_places(latest_value), 1)
        expected = _to_places(expected, places + 1)
        shown = (
            f"latest {_number(latest_value)} against {_number(expected)} expected by "
            f"{_day(latest_period_end)} on the trajectory to {_number(target)}{by}"
        )
        if _meets(latest_value, expected, direction):
            return result(Rag.GREEN, f"on trajectory ({shown})", "on trajectory")
        gap = _gap_phrase(latest_value, expected, unit, direction, against="trajectory")
        if abs(expected - latest_value) <= tolerance:
            return result(
                Rag.AMBER,
                f"{gap}, within tolerance ({shown})",
                "behind trajectory within tolerance",
            )
        return result(Rag.RED, f"{gap} ({shown})", "behind trajectory")
    shown = f"latest {_number(latest_value)} against target {_number(target)}{by}"
    if _meets(latest_value, target, direction):
        return result(Rag.GREEN, f"meets its target ({shown})", "meeting target")
    gap = _gap_phrase(latest_value, target, unit, direction)
    side = "below target" if direction == "higher" else "above target"
    if abs(target - latest_value) <= tolerance:
        return result(Rag.AMBER, f"{gap}, within tolerance ({shown})", f"{side} within tolerance")
    return result(Rag.RED, f"{gap} ({shown})", side)


def _plural(kind: str, n: int) -> str:
    return f"{n} {kind}{'s' if n != 1 else ''}"


def _coverage(judged: int, total: int) -> str:
    """How much a roll-up rests on: "1 of 34 items has a status"."""
    return f"{judged} of {_plural('item', total)} {'has' if judged == 1 else 'have'} a status"


def roll_up(children: list[Status]) -> RollUp:
    """Blue when every judged child is complete; else the worst judged child; Grey if none.
    When some children have no status, the reason says how many do."""
    counts = Counter(child.rag for child in children)
    judged = [child for child in children if child.rag != Rag.GREY]
    if not judged:
        if len(children) == 1:
            reason = "its one item has no status yet"
        elif children:
            reason = f"none of its {len(children)} items has a status yet"
        else:
            reason = "no milestones or measures"
        return RollUp(Rag.GREY, reason, dict(counts))
    coverage = "" if len(judged) == len(children) else f"; {_coverage(len(judged), len(children))}"
    rag = next(r for r in SEVERITY if counts.get(r))
    if rag == Rag.BLUE:
        return RollUp(rag, f"all {_plural('item', len(judged))} complete{coverage}", dict(counts))

    matching = [child for child in judged if child.rag == rag]
    # "3 milestones overdue, 1 measure 12% below target": group by what was found.
    groups: dict[tuple[str, str], list[Status]] = {}
    for child in matching:
        groups.setdefault((child.kind, child.finding), []).append(child)
    parts = []
    for (kind, finding), members in groups.items():
        if kind == "measure" and len(members) == 1:
            parts.append(f"1 measure {members[0].reason.split(' (')[0]}")
        else:
            parts.append(f"{_plural(kind, len(members))} {finding}")
    return RollUp(rag, ", ".join(parts) + coverage, dict(counts))
