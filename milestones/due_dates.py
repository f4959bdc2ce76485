"""A milestone due outside its strategy's period: said, never refused.

A plan for 2023/24–2027/28 that dates a milestone 2031 is most often a slip of the keyboard,
but a real document can date one after its period ("by 2030" in a five-year plan), and the
seeds must load as their documents say. So every path that sets a due date (the editor, a
workbook, strategy JSON, the Django admin) saves it as given and says so, in these words, and
the milestone's pages keep saying it.
"""

import datetime as dt
from collections.abc import Iterable

from strategy_tracker.dates import long_day
from strategy_tracker.numbering import shown


def outside_period(due: dt.date | None, start: dt.date | None, end: dt.date | None) -> str:
    """Words saying `due` falls outside the period `start`–`end`, or "" if it does not (or
    any of them is not known yet)."""
    if not (isinstance(due, dt.date) and isinstance(start, dt.date) and isinstance(end, dt.date)):
        return ""
    if due > end:
        return (
            f"Its due date, {long_day(due)}, is after the strategy's period, which ends on "
            f"{long_day(end)}."
        )
    if due < start:
        return (
            f"Its due date, {long_day(due)}, is before the strategy's period, which starts on "
            f"{long_day(start)}."
        )
    return ""


SAVED_AS_GIVEN = "It is saved as given: correct it if the document says otherwise."


def outside_period_notes(milestones: Iterable, start: dt.date, end: dt.date) -> list[str]:
    """One line for each of `milestones` due outside `start`–`end`, naming it by its number
    (1.2.3) and title: what a strategy's import or a change of its period tells its Admin."""
    notes = []
    for milestone in milestones:
        note = outside_period(milestone.due_date, start, end)
        if note:
            objective = milestone.objective
            number = shown(f"{objective.priority.key}.{objective.number}.{milestone.position}")
            title = milestone.title if len(milestone.title) <= 60 else milestone.title[:59] + "…"
            notes.append(f"Milestone {number} “{title}”: {note}")
    return notes


def in_brief(notes: list[str], listed: int = 5) -> str:
    """Several notes as one message: the first `listed`, and how many more."""
    more = len(notes) - listed
    return " ".join(notes[:listed]) + (f" (and {more} more)" if more > 0 else "")
