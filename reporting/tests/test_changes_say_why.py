"""What a board report's "what changed" and summary say of an item: why one is now without a
status, the strategy named without a number, and an empty roll-up said once."""

import datetime as dt

import pytest
from django.urls import reverse

from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.django_db
Q1, Q2 = Quarter(2024, 1), Quarter(2024, 2)


def _strategy():
    strategy = make_strategy(slug="s", title="Better Care", period_start=dt.date(2023, 4, 1))
    return strategy, make_objective(make_priority(strategy, number=1), number=1)


def _report(client, period) -> str:
    return client.get(f"/strategies/s/periods/{period.pk}/report/").content.decode()


def _section(page: str, key: str) -> str:
    return page.split(f'id="changes-{key}"')[1].split("</ul>")[0]


def test_a_measure_made_a_context_indicator_is_said_to_be_one_not_to_lack_a_figure(
    client, board_member
):
    """Red in Q1 and made a context indicator before Q2 closed: it still has its figures and
    its target; it is no longer judged against them."""
    strategy, objective = _strategy()
    referrals = make_measure(
        objective, code="CTX", name="Referrals", direction="lower", target_value=10
    )
    make_value(referrals, dt.date(2024, 3, 31), 20)
    make_value(referrals, dt.date(2024, 6, 30), 21)
    close_quarter(strategy, Q1)
    referrals.kind = "context"
    referrals.save()
    q2 = close_quarter(strategy, Q2)
    client.force_login(board_member)
    page = _report(client, q2)
    unjudged = _section(page, "unjudged")
    referrals_line = unjudged.split("Referrals", 1)[1].split("</li>")[0]
    assert "Red → No status: made a context indicator (not judged)" in referrals_line
    # Its objective, priority and strategy, with nothing else to roll up, say why too.
    assert 'Better Care <span class="muted">(strategy' in unjudged
    assert "</span>: Red → No status: no milestones or measures</li>" in unjudged
    assert "no figure, target or date" not in page


def test_an_item_now_without_a_status_is_given_its_own_reason(client, board_member):
    """Not every item without a status lacks a figure, target or date: this measure has no
    target any more, and says so."""
    strategy, objective = _strategy()
    waits = make_measure(objective, code="W", name="Waits", direction="lower", target_value=10)
    make_value(waits, dt.date(2024, 3, 31), 20)
    close_quarter(strategy, Q1)
    waits.target_value = None
    waits.save()
    q2 = close_quarter(strategy, Q2)
    client.force_login(board_member)
    unjudged = _section(_report(client, q2), "unjudged")
    assert "Waits" in unjudged and "Red → No status: no target set" in unjudged


def test_a_change_of_the_strategy_as_a_whole_is_named_without_a_blank_number(client, board_member):
    strategy, objective = _strategy()
    make_milestone(
        objective, title="Open the hub", due_date=dt.date(2024, 9, 30), status="on_track"
    )
    close_quarter(strategy, Q1)
    make_milestone(objective, title="Late", due_date=dt.date(2024, 5, 1), status="on_track")
    q2 = close_quarter(strategy, Q2)
    client.force_login(board_member)
    worse = _section(_report(client, q2), "worse")
    assert 'Better Care <span class="muted">(strategy)</span>' in worse
    assert "(strategy )" not in worse


def test_an_empty_roll_up_says_it_has_no_milestones_or_measures_once(client, board_member):
    """A priority with nothing in it: its status's reason says so, and its counts add no
    second "No milestones or measures"."""
    strategy, objective = _strategy()
    make_milestone(objective, title="Open the hub", due_date=dt.date(2024, 9, 30))
    make_priority(strategy, number=2, title="Empty")
    q1 = close_quarter(strategy, Q1)
    client.force_login(board_member)
    page = _report(client, q1)
    row = page.split("2. Empty</th>")[1].split("</tr>")[0]
    assert "no milestones or measures" in row
    assert row.lower().count("no milestones or measures") == 1, row
    assert '<td data-label="Counts"><span class="rag-counts-empty">None</span></td>' in row
    # On the priority's own page as at the quarter, the counts under its status add nothing.
    page = client.get(reverse("reporting:as_at_priority", args=["s", q1.pk, "2"])).content
    body = page.decode().split("<main", 1)[1].split('id="objectives"')[0]
    assert body.lower().count("no milestones or measures") == 1, body
