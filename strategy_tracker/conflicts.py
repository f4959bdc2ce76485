"""When a save is refused because someone else saved the item meanwhile, the page shows each
field where what is saved now differs from this person's form, the two side by side: saving
again puts theirs in place of every one, so nobody replaces another's change unseen.

The form is the person's data bound to the item as saved now, so Django's own
`changed_data` (each field's `has_changed`) finds the differences.
"""

import datetime as dt
from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str
    yours: str


def differences(form: forms.BaseForm, label_prefix: str = "") -> list[Difference]:
    """The form's visible fields whose data differs from what is saved now."""
    rows = []
    for name in form.changed_data:
        bound = form[name]
        if bound.is_hidden:
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
        return "; ".join(labels.get(str(getattr(v, "pk", v)), str(v)) for v in many)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            yield from _flat(label)
        else:
            yield key, label
