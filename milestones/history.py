"""A milestone's change log: every update and edit, newest first, with names not ids."""

from django.contrib.auth import get_user_model

from milestones.models import Milestone
from strategy_tracker.history import Entry, change_log

FIELDS = [
    "title",
    "heading",
    "position",
    "source_ref",
    "due_date",
    "due_text",
    "owner_id",
    "status",
    "forecast_date",
    "commentary",
    "archived_at",
]
LABELS = {
    "archived_at": "archived",
    "owner_id": "owner",
    "due_date": "due date",
    "due_text": "due (document wording)",
    "forecast_date": "forecast date",
}


def milestone_change_log(milestone: Milestone) -> list[Entry]:
    records = list(milestone.history.select_related("history_user"))
    owner_ids = {r.owner_id for r in records if r.owner_id}
    names = {
        user.id: user.get_full_name() or user.username
        for user in get_user_model().objects.filter(id__in=owner_ids)
    }
    entries = change_log(records, FIELDS, LABELS)
    for entry in entries:
        for change in entry.changes:
            if change.field == "owner":
                change.old = names.get(change.old, change.old)
                change.new = names.get(change.new, change.new)
    return entries
