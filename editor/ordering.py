"""Numbering follows the order: priorities (within their part), objectives and milestones are
numbered 1, 2, 3… in the order an Admin puts them, and moving or archiving one renumbers the
rest. Each item whose number changes is saved, so the history shows the old and new number.
Measures are named by their codes, not numbered, but keep an order the same way (`position`).
"""

from django.db import models
from django.db.models import F

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Priority, Strategy

# Numbers are unique among live siblings, so a renumbering first moves the ones that change
# out of the way (past any number a strategy has), then saves each at its new number.
OUT_OF_THE_WAY = 10_000


def number_field(item: models.Model) -> str:
    return "position" if isinstance(item, Milestone | Measure) else "number"


def _live_siblings(item: models.Model) -> models.QuerySet:
    if isinstance(item, Priority):
        return Priority.objects.filter(strategy_id=item.strategy_id, part=item.part)
    if isinstance(item, Objective):
        return Objective.objects.filter(priority_id=item.priority_id)
    if isinstance(item, Measure):
        return Measure.objects.filter(priority_id=item.priority_id, objective_id=item.objective_id)
    return Milestone.objects.filter(objective_id=item.objective_id)


def siblings(item: models.Model) -> models.QuerySet:
    """The live items numbered alongside this one, in order, locked until the transaction
    ends (so two Admins' moves cannot interleave)."""
    return _live_siblings(item).select_for_update().order_by(number_field(item), "id")


class ParentArchived(Exception):
    """The item's parent was archived while the Admin had the page open; nothing was added."""

    def __init__(self, strategy_slug: str):
        super().__init__(
            "What you were adding to was archived while you had the page open, so nothing "
            "was added."
        )
        self.strategy_slug = strategy_slug


def lock_parent(item: models.Model) -> None:
    """Lock the row the item's siblings hang from, until the transaction ends: two Admins
    adding or restoring items under it take their numbers one after the other. (Locking the
    siblings would not do: a new row is not locked, and there may be no siblings yet.)
    Refused if the parent has been archived meanwhile."""
    if isinstance(item, Priority):
        parent, pk = Strategy, item.strategy_id
    elif isinstance(item, Objective) or isinstance(item, Measure) and item.priority_id:
        parent, pk = Priority, item.priority_id
    else:
        parent, pk = Objective, item.objective_id
    row = parent._base_manager.select_for_update().get(pk=pk)
    if getattr(row, "archived_at", None):
        strategy = row.strategy if isinstance(row, Priority) else row.priority.strategy
        raise ParentArchived(strategy.slug)


def next_number(item: models.Model) -> int:
    """The number a new item takes: after the last of its siblings."""
    lock_parent(item)
    field = number_field(item)
    last = _live_siblings(item).aggregate(last=models.Max(field))["last"]
    return (last or 0) + 1


def renumber(items: list[models.Model]) -> int:
    """Number `items` 1, 2, 3… in the order given; returns how many changed."""
    if not items:
        return 0
    field = number_field(items[0])
    changing = [item for i, item in enumerate(items, 1) if getattr(item, field) != i]
    if field == "number":
        type(items[0]).everything.filter(pk__in=[i.pk for i in changing]).update(
            number=F("number") + OUT_OF_THE_WAY
        )
    for i, item in enumerate(items, 1):
        if getattr(item, field) != i:
            setattr(item, field, i)
            # A milestone's save bumps its version (Milestone.save): write that too.
            item.save(update_fields=[field, "version"] if isinstance(item, Milestone) else [field])
    return len(changing)


def listed_with(item: models.Model) -> models.QuerySet:
    """The list the editor shows the item in: a strategy's priorities are listed part by
    part; objectives and milestones with their siblings."""
    if isinstance(item, Priority):
        return Priority.objects.filter(strategy_id=item.strategy_id).order_by("part", "number")
    return siblings(item)


def order_seen(items) -> str:
    """The order a page showed, as its move buttons carry it: a move is refused unless the
    order is still this (another Admin's move would make it land somewhere unintended)."""
    return ",".join(str(item.pk) for item in items)


def move(item: models.Model, step: int) -> bool:
    """Move the item one place up (step -1) or down (+1) among its siblings; False if it is
    already first or last."""
    items = list(siblings(item))
    at = next(i for i, each in enumerate(items) if each.pk == item.pk)
    to = at + step
    if not 0 <= to < len(items):
        return False
    items[at], items[to] = items[to], items[at]
    renumber(items)
    return True
