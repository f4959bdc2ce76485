"""The shared vocabulary of status: the colours, their severity, one item's status with its
reason, and the roll-up of many. Pure Python, no Django.

The rules that give a milestone or a measure its status live beside them
(milestones/status.py, measures/status.py); objectives/ rolls them up. The rules are written
out in the README ("How status is worked out").
"""

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


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


def _plural(kind: str, n: int) -> str:
    return f"{n} {kind}{'s' if n != 1 else ''}"


def _coverage(judged: int, total: int) -> str:
    """How much a roll-up rests on: "1 of 34 items has a status"."""
    return f"{judged} of {_plural('item', total)} {'has' if judged == 1 else 'have'} a status"


def roll_up(children: list[Status]) -> RollUp:
    """Blue when every judged child is complete; else the worst judged child; Grey if none.
    When some children have no status, the reason says how many do."""
    return roll_up_counted([(child, 1) for child in children])


def roll_up_counted(children: list[tuple[Status, int]]) -> RollUp:
    """roll_up of children given as (status, how many have it): a strategy's thousands of
    milestones are counted in SQL by what was found, and rolled up without a Status each."""
    counts: Counter = Counter()
    for child, n in children:
        counts[child.rag] += n
    total = sum(counts.values())
    judged = total - counts.get(Rag.GREY, 0)
    counts = Counter({rag: n for rag, n in counts.items() if n})
    if not judged:
        if total == 1:
            reason = "its one item has no status yet"
        elif total:
            reason = f"none of its {total} items has a status yet"
        else:
            reason = "no milestones or measures"
        return RollUp(Rag.GREY, reason, dict(counts))
    coverage = "" if judged == total else f"; {_coverage(judged, total)}"
    rag = next(r for r in SEVERITY if counts.get(r))
    if rag == Rag.BLUE:
        return RollUp(rag, f"all {_plural('item', judged)} complete{coverage}", dict(counts))

    # "3 milestones overdue, 1 measure 12% below target": group by what was found.
    groups: dict[tuple[str, str], list] = {}
    for child, n in children:
        if child.rag == rag and n:
            group = groups.setdefault((child.kind, child.finding), [0, child])
            group[0] += n
    parts = []
    # The same order on every page, however the children came: the strategy list counts
    # them in SQL, the dashboard walks its tree. Milestones first, then the most common.
    in_order = sorted(groups.items(), key=lambda g: (g[0][0] != "milestone", -g[1][0], g[0][1]))
    for (kind, finding), (n, first) in in_order:
        if kind == "measure" and n == 1:
            parts.append(f"1 measure {first.reason.split(' (')[0]}")
        else:
            parts.append(f"{_plural(kind, n)} {finding}")
    return RollUp(rag, ", ".join(parts) + coverage, dict(counts))
