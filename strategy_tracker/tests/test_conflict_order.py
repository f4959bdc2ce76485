"""A conflict's two lists of many choices are shown in the form's own order."""

from django import forms

from strategy_tracker.conflicts import differences


class _Choices(forms.Form):
    private = forms.MultipleChoiceField(
        required=False, choices=[("p:1", "Priority 1"), ("o:2", "Objective 1.1"), ("m:3", "Hub")]
    )


def test_both_sides_of_a_many_choice_difference_are_in_the_forms_order():
    """Saved now came in the database's order and yours in the order posted: two lists a
    reader had to compare item by item."""
    form = _Choices({"private": ["m:3", "p:1"]}, initial={"private": ["m:3", "o:2"]})
    (row,) = differences(form)
    assert row.saved == "Objective 1.1; Hub"
    assert row.yours == "Priority 1; Hub"
