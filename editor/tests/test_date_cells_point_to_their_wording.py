"""A workbook's date cell that holds words asks for them in the column for the
document's wording, where the Items sheet has one: a milestone's Due date, a measure's
Baseline period end, and (since it exists) its Target date."""

from editor.columns import ITEM_COLUMNS
from editor.workbook_files import WORDING


def _heading(key):
    return next(c.heading for c in ITEM_COLUMNS if c.key == key)


def test_each_date_with_a_wording_column_points_to_it():
    assert WORDING["due_date"].key == "due_text"
    assert WORDING["baseline_period"].key == "baseline_period_text"
    # "Target date: "Mar 2028" is not a date; type it as 31/03/2014" names no column for
    # the words, though "Target date (document wording)" is beside it.
    assert WORDING.get("target_date") is not None
    assert WORDING["target_date"].heading == _heading("target_period_text")
