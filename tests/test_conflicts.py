"""The table of what is saved now beside a refused form (strategy_tracker/conflicts.py):
values in words, as a person typed or would read them."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms

from objectives.models import Organisation
from strategy_tracker.conflicts import differences


class ItemForm(forms.Form):
    target = forms.DecimalField(required=False)
    due = forms.DateField(required=False)
    done = forms.BooleanField(required=False)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False)
    reason = forms.CharField(required=False)
    read_state = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.mark.django_db
def test_each_difference_is_in_words_and_hidden_or_skipped_fields_are_left_out():
    gone = Organisation.objects.create(name="Former partner")
    saved = {
        "target": Decimal("60.0000"),
        "due": dt.date(2027, 3, 31),
        "done": True,
        "organisation": gone.pk,
        "read_state": "a",
    }
    typed = {
        "target": "61",
        "due": "2027-03-31",
        "organisation": "",
        "reason": "x",
        "read_state": "b",
    }
    rows = differences(ItemForm(typed, initial=saved), skip=("reason",))
    assert [(d.label, d.saved, d.yours) for d in rows] == [
        ("Target", "60", "61"),
        ("Done", "Yes", "No"),
        ("Organisation", "Former partner", "—"),  # no longer offered: named, not its id
    ]
    same = ItemForm({"target": "60", "due": "2027-03-31", "done": "on"}, initial=saved)
    assert differences(same, skip=("organisation",)) == []
