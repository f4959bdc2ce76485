"""When a save is refused because someone else saved the item meanwhile, the page shows each
field where what is saved now differs from this person's form, the two side by side: saving
again puts this person's values in place of every one, so nobody replaces another's change
unseen.

The form is the person's data bound to the item as saved now, so Django's own
`changed_data` (each field's `has_changed`) finds the differences.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str
    yours: str


def differences(
    form: forms.BaseForm, label_prefix: str = "", skip: tuple[str, ...] = ()
) -> list[Difference]:
    """The form's visible fields whose data differs from what is saved now; `skip` names
    fields that say something about this save rather than hold part of the item (a reason
    for the change, a tick to record a reassessment)."""
    rows = []
    for name in form.changed_data:
        bound = form[name]
        if bound.is_hidden or name in skip:
            continue
        rows.append(
            Difference(
                f"{label_prefix}{bound.label}",
                _shown(bound.field, bound.initial),
                _shown(bound.field, bound.data),
            )
        )
    return rows


def _shown(field: forms.Field, value) -> str:
    """A value in words: a choice by its label, yes or no, a date as the form takes it."""
    if isinstance(field, forms.BooleanField):
        return "Yes" if field.to_python(value) else "No"
    if value is None or value == "" or value == []:
        return "—"
    if hasattr(field, "choices"):
        labels = {str(key): str(label) for key, label in _flat(field.choices)}
        many = value if isinstance(value, list | tuple) else [value]
        # In the form's own order on both sides, so two lists of many compare by eye or ear.
        order = {key: n for n, key in enumerate(labels)}
        many = sorted(many, key=lambda v: order.get(str(getattr(v, "pk", v)), len(order)))
        return "; ".join(labels.get(str(getattr(v, "pk", v))) or _named(field, v) for v in many)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):  # as stored, 60.0000: as typed, 60
        return f"{value.normalize():f}"
    return str(value)


def _named(field: forms.Field, value) -> str:
    """A saved choice the form no longer offers (an owner no longer eligible, say), by name
    rather than by its id."""
    queryset = getattr(field, "queryset", None)
    if queryset is not None and value and not hasattr(value, "pk"):
        try:
            value = queryset.model._base_manager.filter(pk=value).first() or value
        except (ValueError, TypeError, ValidationError):  # not an id at all: shown as sent
            pass
    return str(value) if value not in (None, "") else "—"


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            yield from _flat(label)
        else:
            yield key, label
