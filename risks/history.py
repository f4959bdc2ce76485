"""A risk's change log: its own edits and its actions', newest first, with names not ids."""

from django.contrib.auth import get_user_model

from risks.models import Risk, RiskAction
from strategy_tracker.history import Entry, change_log

FIELDS = [
    "title",
    "cause",
    "event",
    "effect",
    "owner_id",
    "inherent_likelihood",
    "inherent_impact",
    "current_likelihood",
    "current_impact",
    "target_likelihood",
    "target_impact",
    "appetite",
    "controls",
    "gaps_in_control",
    "assurance_first_line",
    "assurance_second_line",
    "assurance_third_line",
    "gaps_in_assurance",
    "review_date",
    "status",
]
LABELS = {name: name.replace("_id", "").replace("_", " ") for name in FIELDS}
ACTION_FIELDS = ["description", "owner_id", "due_date", "done"]
ACTION_LABELS = {"owner_id": "owner", "due_date": "due date"}


def risk_change_log(risk: Risk) -> list[Entry]:
    records = list(risk.history.select_related("history_user"))
    actions = list(RiskAction.history.filter(risk_id=risk.pk).select_related("history_user"))
    entries = change_log(records, FIELDS, LABELS) + change_log(
        actions,
        ACTION_FIELDS,
        ACTION_LABELS,
        subject=lambda record: f"Action: {record.description[:80]}",
    )
    _name_people(entries)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _name_people(entries: list[Entry]) -> None:
    ids = {
        value
        for entry in entries
        for change in entry.changes
        if change.field == "owner"
        for value in (change.old, change.new)
        if value
    }
    names = {
        user.id: user.get_full_name() or user.username
        for user in get_user_model().objects.filter(id__in=ids)
    }
    for entry in entries:
        for change in entry.changes:
            if change.field == "owner":
                change.old = names.get(change.old, change.old or "nobody")
                change.new = names.get(change.new, change.new or "nobody")
