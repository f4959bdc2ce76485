"""Board pages as at a closed quarter: which page a choice of quarter is about (an "item":
the dashboard, a priority, an objective or a measure), its address live and as at a quarter,
and its part of the quarter's snapshot."""

import re
from dataclasses import dataclass, replace

from django.urls import reverse

from measures.models import Measure
from milestones.models import Milestone
from objectives.converters import PriorityKeyConverter
from objectives.models import Objective, Priority
from reporting.models import Level, SnapshotItem
from reporting.report import ObjectivePart, PriorityPart, QuarterReport

DASHBOARD = ""


@dataclass(frozen=True)
class BoardItem:
    """One board page: kind "" (the dashboard), "priority", "objective", "milestone" (shown as
    at a quarter on its objective's page) or "measure"."""

    kind: str = DASHBOARD
    priority_key: str = ""
    objective_number: int | None = None
    code: str = ""
    milestone_id: int | None = None
    # A priority's, objective's or measure's own id: numbers move when an item is archived or
    # moved, and a code can be corrected, so the same item is found by this in another
    # quarter, or today (`as_at_quarter`, `live_url_of`).
    object_id: int | None = None

    def __str__(self) -> str:
        if self.kind == "priority":
            return f"priority:{self.priority_key}"
        if self.kind == "objective":
            return f"objective:{self.priority_key}.{self.objective_number}"
        if self.kind == "milestone":
            return f"milestone:{self.priority_key}.{self.objective_number}.{self.milestone_id}"
        if self.kind == "measure":
            return f"measure:{self.code}"
        return DASHBOARD

    def live_url(self, slug: str) -> str:
        if self.kind == "priority":
            return reverse("objectives:priority_detail", args=[slug, self.priority_key])
        if self.kind == "objective":
            args = [slug, self.priority_key, self.objective_number]
            return reverse("objectives:objective_detail", args=args)
        if self.kind == "milestone":
            args = [slug, self.priority_key, self.objective_number, self.milestone_id]
            return reverse("milestones:detail", args=args)
        if self.kind == "measure":
            return reverse("measures:detail", args=[self.code])
        return reverse("objectives:strategy_detail", args=[slug])

    def as_at_url(self, slug: str, period_pk: int) -> str:
        base = [slug, period_pk]
        if self.kind == "priority":
            return reverse("reporting:as_at_priority", args=[*base, self.priority_key])
        if self.kind in ("objective", "milestone"):
            args = [*base, self.priority_key, self.objective_number]
            url = reverse("reporting:as_at_objective", args=args)
            return url + (f"#milestone-{self.milestone_id}" if self.milestone_id else "")
        if self.kind == "measure":
            return reverse("reporting:as_at_measure", args=[*base, self.code])
        return reverse("reporting:as_at_dashboard", args=base)


def parse_item(text: str) -> BoardItem | None:
    """ "priority:2", "objective:2.3", "measure:WAIT" or "" (the dashboard); None if not one."""
    kind, _, rest = text.partition(":")
    if not text:
        return BoardItem()
    keys = PriorityKeyConverter.regex
    if kind == "priority" and _whole(keys, rest):
        return BoardItem("priority", rest)
    if kind == "objective":
        key, _, number = rest.rpartition(".")
        if _whole(keys, key) and _number(number, 6):
            return BoardItem("objective", key, int(number))
    if kind == "milestone":
        key, _, numbers = rest.partition(".")
        number, _, pk = numbers.partition(".")
        if _whole(keys, key) and _number(number, 6) and _number(pk, 19):
            return BoardItem("milestone", key, int(number), milestone_id=int(pk))
    if kind == "measure" and _whole(r"[-a-zA-Z0-9_]{1,50}", rest):
        return BoardItem("measure", code=rest)
    return None


def _number(text: str, most_digits: int) -> bool:
    return text.isascii() and text.isdigit() and len(text) < most_digits


def _whole(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text) is not None


def item_of(context) -> BoardItem:
    """The board page a template is rendering, from its context."""
    if context.get("board_item") is not None:
        return context["board_item"]
    if context.get("measure") is not None:
        measure = context["measure"]
        return BoardItem("measure", code=measure.code, object_id=measure.pk)
    if context.get("milestone") is not None:
        milestone = context["milestone"]
        objective = milestone.objective
        return BoardItem("milestone", objective.priority.key, objective.number, "", milestone.pk)
    if context.get("objective") is not None:
        objective = context["objective"]
        return BoardItem(
            "objective", objective.priority.key, objective.number, object_id=objective.pk
        )
    if context.get("priority") is not None:
        priority = context["priority"]
        return BoardItem("priority", priority.key, object_id=priority.pk)
    return BoardItem()


# A measure's row is a success measure's or a context indicator's, as it was then.
LEVELS = {
    "priority": [Level.PRIORITY],
    "objective": [Level.OBJECTIVE],
    "milestone": [Level.MILESTONE],
    "measure": [Level.MEASURE, Level.CONTEXT],
}


def item_id(item: BoardItem) -> int | None:
    return item.milestone_id if item.kind == "milestone" else item.object_id


def as_at_quarter(item: BoardItem, period) -> BoardItem | None:
    """The same priority, objective, milestone or measure as the quarter's snapshot numbered
    (or coded) it (None if it was not in the strategy then); any other page as it is."""
    if item.kind not in LEVELS or item_id(item) is None:
        return item
    row = period.snapshot.filter(level__in=LEVELS[item.kind], object_id=item_id(item)).first()
    if row is None:
        return None
    if item.kind == "measure":
        return replace(item, code=row.number)
    if item.kind == "priority":
        return replace(item, priority_key=row.priority_key)
    number = int(row.number.rpartition(".")[2])
    return replace(item, priority_key=row.priority_key, objective_number=number)


def live_url_of(item: BoardItem, strategy) -> str | None:
    """Today's page of the same priority, objective or milestone, found by its id (None if it
    is no longer in the strategy); any other page by its address."""
    if item.kind not in LEVELS or item_id(item) is None:
        return item.live_url(strategy.slug)
    if item.kind == "measure":
        live = Measure.objects.for_strategies([strategy.pk]).filter(pk=item_id(item)).first()
        return live.get_absolute_url() if live else None
    model = {"priority": Priority, "objective": Objective, "milestone": Milestone}[item.kind]
    strategy_of = {
        "priority": "strategy",
        "objective": "priority__strategy",
        "milestone": "objective__priority__strategy",
    }[item.kind]
    live = model.objects.filter(pk=item_id(item), **{strategy_of: strategy}).first()
    return live.get_absolute_url() if live else None


def priority_part(report: QuarterReport, key: str) -> PriorityPart | None:
    return next((p for p in report.priorities if p.row.priority_key == key), None)


def objective_part(part: PriorityPart, key: str, number: int) -> ObjectivePart | None:
    return next((o for o in part.objectives if o.row.number == f"{key}.{number}"), None)


def measure_row(report: QuarterReport, code: str) -> SnapshotItem | None:
    return next((r for r in report.measures + report.context if r.number == code), None)
