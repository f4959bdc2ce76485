"""Readable change logs from django-simple-history records: who changed what, from what to what."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from strategy_tracker.dates import short_day
from strategy_tracker.numbers import money_or_number

IGNORED_FIELDS = {
    "id",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
    "version",
    "last_updated_at",
    "last_updated_by",
    "last_updated_by_id",
}


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class Entry:
    when: datetime
    who: str
    action: str  # "created", "changed", "deleted"
    subject: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    import_batch_id: int | None = None


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "System (data load)"
    return user.get_full_name() or user.username


def _display(record, name: str, unit: str = "") -> Any:
    display = getattr(record, f"get_{name}_display", None)
    value = display() if display else getattr(record, name)
    if isinstance(value, Decimal):
        # As the pages and the board report write a figure: 1,987,000, money £1,987,000.
        return money_or_number(value, unit)
    if isinstance(value, datetime):  # the day in London, not in UTC (archived at 00:30 BST)
        value = timezone.localdate(value)
    if isinstance(value, date):
        return short_day(value)
    return value


def _changes(old, new, fields: list[str], labels: dict[str, str], unit: str) -> list[Change]:
    """What differs between two history records of one object, in the order of `fields`.

    diff_against names a foreign key by its field ("owner"); callers may list its column
    ("owner_id"), which is what they label and what is shown, so both names are kept.
    """
    names = {new._meta.get_field(name).name: name for name in fields if name not in IGNORED_FIELDS}
    # diff_against reads only the fields a form could edit; the others (when an item was
    # archived, say) are compared here.
    fixed = {f for f in names if not new._meta.get_field(f).editable}
    delta = new.diff_against(old, included_fields=[f for f in names if f not in fixed])
    changed = {names[field] for field in delta.changed_fields}
    changed |= {names[f] for f in fixed if getattr(old, f) != getattr(new, f)}
    return [
        Change(labels.get(name, name), _display(old, name, unit), _display(new, name, unit))
        for name in fields
        if name in changed
    ]


def change_log(
    records: Iterable,
    fields: list[str],
    labels: dict[str, str],
    subject=lambda record: "",
    unit: str = "",
) -> list[Entry]:
    """Entries newest first, from the history records of any number of objects.

    Consecutive records of the same object are compared in memory (diff_against, on fields
    that are not many-to-many), so this makes no queries beyond fetching `records` (fetch
    them with select_related("history_user")).
    """
    by_object = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    entries = []
    for object_records in by_object.values():
        object_records.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in object_records:
            action = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
            changes = []
            if previous is not None and action == "changed":
                changes = _changes(previous, record, fields, labels, unit)
            if (
                action == "changed"
                and previous is not None
                and not changes
                and not record.history_change_reason
            ):
                # Saved as it was: a lead confirming a milestone, say. Nothing to claim.
                action = "confirmed, with no change"
            entries.append(
                Entry(
                    record.history_date,
                    _who(record),
                    action,
                    subject(record),
                    changes,
                    record.history_change_reason or "",
                    getattr(record, "import_batch_id", None),
                )
            )
            previous = record
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
