"""A milestone's status, worked out from what its owner reported and its dates. Pure Python,
no Django; `Milestone.objects.with_rag()` holds the same rule in SQL (a test keeps the two
the same)."""

import datetime as dt

from strategy_tracker.dates import long_day, names_the_month_of
from strategy_tracker.status import Rag, Status, time_in_words

DUE_SOON_DAYS = 30
# A milestone in one of these states is finished with: it needs no update and no reminder.
CLOSED = ("complete", "cancelled")

# What was found, as it reads after a count in a roll-up ("3 milestones overdue"), and the
# colour it gives. The rule below and its SQL twin (Milestone.objects.with_rag) give these.
COMPLETE, CANCELLED, UNDATED = "complete", "cancelled", "with no date or update"
OVERDUE, OFF_TRACK, AT_RISK = "overdue", "off track", "at risk"
LATE, DUE_SOON, ON_TRACK = "forecast to finish late", "due soon and not started", "on track"
# Dated, and nobody has reported on it (nothing_reported): no colour of progress is anyone's
# word, so none is given; only a date near or past is a fact a board needs flagged.
DUE_SOON_UNREPORTED, UNREPORTED = "due soon with nothing reported", "with nothing reported yet"
FINDING_RAG = {
    COMPLETE: Rag.BLUE,
    CANCELLED: Rag.GREY,
    UNDATED: Rag.GREY,
    OVERDUE: Rag.RED,
    OFF_TRACK: Rag.RED,
    AT_RISK: Rag.AMBER,
    LATE: Rag.AMBER,
    DUE_SOON: Rag.AMBER,
    DUE_SOON_UNREPORTED: Rag.AMBER,
    UNREPORTED: Rag.GREY,
    ON_TRACK: Rag.GREEN,
}


def nothing_reported(status: str, last_updated_at: dt.datetime | None) -> bool:
    """No update was ever saved and the status is still the one every milestone starts
    with: "Not started" is then nobody's report (a seed's document gives none), and pages
    say that nothing has been reported."""
    return last_updated_at is None and status == "not_started"


def milestone_status(
    *,
    status: str,
    due_date: dt.date | None,
    forecast_date: dt.date | None,
    last_updated_at: dt.datetime | None,
    today: dt.date,
    at_close: bool = False,
    due_text: str = "",
) -> Status:
    """`at_close`: judged at the end of `today`, as a quarter's close judges its last day, so
    a milestone due that day and not done is overdue (during the day it is only due today).
    `due_text`: the document's own words for the due date, which the reason gives."""

    def result(finding: str, reason: str) -> Status:
        return Status(FINDING_RAG[finding], reason, "milestone", finding)

    if status == "complete":
        return result(COMPLETE, "complete")
    if status == "cancelled":
        return result(CANCELLED, "cancelled")
    if due_date is None and last_updated_at is None:
        return result(UNDATED, "no due date and no update yet")
    if due_date is not None and at_close and due_date == today:
        return result(
            OVERDUE, f"overdue: was due {due_in_words(due_date, due_text)}, the quarter's last day"
        )
    if due_date is not None and due_date < today:
        late = time_in_words((today - due_date).days)
        return result(OVERDUE, f"overdue: was due {due_in_words(due_date, due_text)} ({late} ago)")
    if status == "off_track":
        return result(OFF_TRACK, "reported off track")
    if status == "at_risk":
        return result(AT_RISK, "reported at risk")
    if due_date and forecast_date and forecast_date > due_date:
        due = due_in_words(due_date, due_text)
        return result(LATE, f"forecast {long_day(forecast_date)}, after its due date {due}")
    if due_date and status == "not_started" and (due_date - today).days <= DUE_SOON_DAYS:
        days = (due_date - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        if nothing_reported(status, last_updated_at):
            return result(DUE_SOON_UNREPORTED, f"due {when} and nothing reported yet")
        return result(DUE_SOON, f"due {when} and not started")
    if due_date and nothing_reported(status, last_updated_at):
        return result(UNREPORTED, f"due {due_in_words(due_date, due_text)}; nothing reported yet")
    if due_date is None:
        return result(ON_TRACK, "no due date; updated, not reported at risk")
    return result(ON_TRACK, f"due {due_in_words(due_date, due_text)}, not reported at risk")


def due_in_words(due_date: dt.date, due_text: str = "") -> str:
    """The due date as a reason gives it: the document's words where they name just its month
    ("April 2014", which 30 April 2014 would make more exact than the document), else the day
    with any words beside it ("31 March 2024, “in Year 1”")."""
    words = due_text.strip() if due_text else ""
    if not words:
        return long_day(due_date)
    if names_the_month_of(words, due_date):
        return words
    return f"{long_day(due_date)}, “{words}”"
