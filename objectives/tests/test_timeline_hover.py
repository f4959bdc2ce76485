"""The dashboard timeline's hover label fits a phone's screen: Plotly does not wrap it, so a
long title or reason is broken into lines here."""

import datetime as dt
from types import SimpleNamespace

from objectives.charts import HOVER_LINE, milestone_timeline
from objectives.progress import Item
from strategy_tracker.status import Rag, Status

TITLE = (
    "We will be committing to clearing the backlog for the Children's Lighthouse Centre in "
    "Year 1, with partners across Mid and South Essex"
)


def _item(title: str, reason: str) -> Item:
    milestone = SimpleNamespace(title=title, due_date=dt.date(2024, 3, 31), due_text="")
    return Item(milestone, Status(Rag.RED, reason, "milestone", "overdue"))


def test_no_line_of_a_hover_label_runs_much_past_a_phones_width():
    reason = "overdue: was due 31 March 2024 (over 2 years ago), and nothing reported since"
    figure = milestone_timeline([("1. Start well", _item(TITLE, reason))], "2026-12-02")
    (text,) = figure["data"][0]["text"]
    lines = text.split("<br>")
    assert len(lines) >= 3
    assert all(len(line) <= HOVER_LINE for line in lines), lines
    assert " ".join(lines).startswith("We will be committing to clearing the backlog")


def test_a_short_title_and_reason_stay_on_one_line_each():
    figure = milestone_timeline(
        [("1. Start well", _item("Open the hub", "on track"))], "2026-12-02"
    )
    assert figure["data"][0]["text"] == ["Open the hub<br>Red: on track"]
