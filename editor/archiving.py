"""Nothing is hard-deleted: an item added by mistake is archived. It leaves every page and
roll-up (the models' default managers skip it) but keeps its row and its history. Archiving a
priority or objective archives what sits under it, with the same time, so restoring it brings
back exactly those.
"""

import datetime as dt

from django.db import models
from django.utils import timezone

from editor import ordering
from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Priority


def under(item: models.Model, archived_at=None, lock: bool = False) -> list[models.Model]:
    """What sits under the item: live ones, or those archived at `archived_at`; with `lock`
    (in a transaction, to save them), locked until it ends."""
    state = {"archived_at": archived_at} if archived_at else {"archived_at__isnull": True}

    def rows(model, **parent):
        found = model.everything.filter(**parent, **state)
        return list(found.select_for_update() if lock else found)

    if isinstance(item, Priority):
        objectives = rows(Objective, priority=item)
        return (
            objectives
            + [m for o in objectives for m in under(o, archived_at, lock)]
            + rows(Measure, priority=item)
        )
    if isinstance(item, Objective):
        return rows(Milestone, objective=item) + rows(Measure, objective=item)
    return []


def archive(item: models.Model, now: dt.datetime | None = None) -> int:
    """Archive the item and what sits under it; its siblings close up. Call in a
    transaction. Returns how many items were archived."""
    now = now or timezone.now()
    item = _locked(item)
    if item.archived_at:
        return 0
    rest = [s for s in ordering.siblings(item) if s.pk != item.pk]
    archived = [item, *under(item, lock=True)]
    for each in archived:
        each.archived_at = now
        _save_archived(each)
    ordering.renumber(rest)
    return len(archived)


def restore(item: models.Model) -> int:
    """Bring back an archived item, last among its siblings, with what was archived with it."""
    item = _locked(item)
    if not item.archived_at:
        return 0
    brought_back = [item, *under(item, item.archived_at, lock=True)]
    setattr(item, ordering.number_field(item), ordering.next_number(item))
    for each in brought_back:
        each.archived_at = None
    item.save()
    for each in brought_back[1:]:
        _save_archived(each)
    return len(brought_back)


def _locked(item: models.Model) -> models.Model:
    """The item read afresh and locked until the transaction ends, so what is saved is what
    is stored now (a lead's update saved a moment ago included)."""
    return type(item).everything.select_for_update().get(pk=item.pk)


def _save_archived(item: models.Model) -> None:
    # A milestone's save bumps its version (Milestone.save), which an open update form names.
    fields = ["archived_at", "version"] if isinstance(item, Milestone) else ["archived_at"]
    item.save(update_fields=fields)


def archive_quietly(items: list[models.Model], now: dt.datetime) -> None:
    """Archive these items and what sits under them without renumbering their siblings: a
    workbook re-imported into a draft says every number itself."""
    for item in items:
        if item.archived_at:
            continue
        for each in [item, *under(item, lock=True)]:
            each.archived_at = now
            _save_archived(each)
