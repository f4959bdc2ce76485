"""Two Admins editing the same item: the second save is refused, never laid over the first.

A form carries a fingerprint of the item as it was read (`seen`); the save locks the row,
takes the fingerprint again, and goes ahead only if the two match. Items have no version
column of their own, and a fingerprint of the fields the form shows catches exactly the
changes the form would overwrite.
"""

import hashlib

from django.db import models


class ChangedMeanwhile(Exception):
    """Someone saved the item after this form was read; nothing was written."""


class ArchivedMeanwhile(ChangedMeanwhile):
    """Someone archived the item after this form was read; nothing was written."""


def fingerprint(values: dict) -> str:
    text = "\n".join(f"{name}={value!r}" for name, value in sorted(values.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def lock_unchanged(obj: models.Model, values_of, seen: str) -> models.Model:
    """The item locked and read afresh, if the fingerprint of `values_of(item)` is still
    `seen`; call inside a transaction. Raises ChangedMeanwhile otherwise."""
    fresh = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    if getattr(fresh, "archived_at", None):
        raise ArchivedMeanwhile(
            "Someone archived this while you had it open, so nothing was saved. Restore it "
            "from its parent's screen (under Archived) to change it."
        )
    if fingerprint(values_of(fresh)) != seen:
        raise ChangedMeanwhile(
            "Someone else saved this while you had it open, so nothing was saved. Your "
            "changes are still in the form: check what is saved now on the item's own page, "
            "then save again to put yours in its place."
        )
    return fresh
