"""Numbering follows the order: priorities (within their part), objectives and milestones are
numbered 1, 2, 3… in the order an Admin puts them, and moving or archiving one renumbers the
rest. Each item whose number changes is saved, so the history shows the old and new number.
"""

from django.db import models
from django.db.models import F

from milestones.models import Milestone
from objectives.models import Objective, Priority

# Numbers are unique among live siblings, so a renumbering first moves the ones that change
# out of the way (past any number a strategy has), then saves each at its new number.
OUT_OF_THE_WAY = 10_000


def number_field(item: models.Model) -> str:
    return "position" if isinstance(item, Milestone) else "number"


def siblings(item: models.Model) -> models.QuerySet:
    """The live items numbered alongside this one, in order, locked until the transaction
    ends (so two Admins' moves cannot interleave)."""
    if isinstance(item, Priority):
        rows = Priority.objects.filter(strategy_id=item.strategy_id, part=item.part)
    elif isinstance(item, Objective):
        rows = Objective.objects.filter(priority_id=item.priority_id)
    else:
        rows = Milestone.objects.filter(objective_id=item.objective_id)
    field = number_field(item)
    return rows.select_for_update().order_by(field, "id")


def next_number(item: models.Model) -> int:
    """The number a new item takes: after the last of its siblings."""
    field = number_field(item)
    last = siblings(item).aggregate(last=models.Max(field))["last"]
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
            item.save(update_fields=[field, "version"] if field == "position" else [field])
    return len(changing)


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
