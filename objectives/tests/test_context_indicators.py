"""Context indicators describe the setting; they are shown apart and never judged or counted.

Each indicator here would be Red (or a grey "no status") if it were judged as a success
measure, so a roll-up or count that took it in would say so.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from measures.models import Kind
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)

pytestmark = pytest.mark.django_db

GREEN_ONLY = "Status counts of 2 items"  # the milestone and the success measure


@pytest.fixture
def strategy():
    today = timezone.localdate()
    strategy = make_strategy(slug="ctx", title="Context plan")
    priority = make_priority(strategy, number=1, title="Deliver safe care")
    objective = make_objective(priority, number=1, title="Cut waits")
    make_milestone(
        objective,
        title="Open the hub",
        status="on_track",
        due_date=today + dt.timedelta(days=200),
        last_updated_at=timezone.now(),
    )
    waits = make_measure(
        objective,
        code="WAITS",
        name="Long waits",
        unit="count",
        direction="lower",
        target_value=Decimal(100),
    )
    make_value(waits, today - dt.timedelta(days=40), 90)
    # Far above a target it would miss: Red, if it were judged.
    referrals = make_measure(
        objective,
        code="REFERRALS",
        name="Average monthly referrals",
        kind=Kind.CONTEXT,
        unit="count",
        direction="lower",
        target_value=Decimal(100),
    )
    make_value(referrals, today - dt.timedelta(days=40), 588)
    # No target: a grey "no status" that a roll-up would count, if it were judged.
    make_measure(
        priority=priority,
        code="CONTACTS",
        name="Contacts per referral",
        kind=Kind.CONTEXT,
        unit="ratio",
    )
    return strategy


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _between(html: str, start: str, end: str | None = None) -> str:
    html = html[html.index(start) :]
    return html[: html.index(end)] if end else html


def _assert_judges_only_success_measures(html: str) -> None:
    assert GREEN_ONLY in html
    assert "rag-count-red" not in html
    assert "rag-count-grey" not in html
    assert "items has a status" not in html and "items have a status" not in html


def test_the_strategy_list_leaves_context_indicators_out_of_the_status_and_counts(
    signed_in, strategy
):
    html = signed_in.get("/strategies/").content.decode()
    assert 'class="rag rag-green"' in html
    assert "rag rag-red" not in html
    _assert_judges_only_success_measures(html)


def test_the_dashboard_leaves_them_out_and_lists_them_in_their_own_section(signed_in, strategy):
    response = signed_in.get("/strategies/ctx/")
    html = response.content.decode()

    judged = _between(html, "<h1>", 'id="attention"')
    assert "rag rag-red" not in judged
    _assert_judges_only_success_measures(judged)
    spc_rows = [row["name"] for row in response.context["spc_summary"].rows]
    assert spc_rows == ["Long waits"]

    context = _between(html, 'id="context">Context indicators</h2>')
    assert "Average monthly referrals" in context and "588" in context
    assert "Contacts per referral" in context
    assert "Long waits" not in context


def test_the_priority_page_leaves_them_out_and_shows_them_apart(signed_in, strategy):
    html = signed_in.get("/strategies/ctx/priorities/1/").content.decode()

    judged = _between(html, "<h1>", 'id="milestones"')
    assert "rag rag-red" not in judged
    _assert_judges_only_success_measures(judged)
    success = _between(html, 'id="measures"', 'id="context"')
    assert "Long waits" in success
    assert "Average monthly referrals" not in success and "Contacts per referral" not in success
    context = _between(html, 'id="context">Context indicators</h2>')
    assert "Average monthly referrals" in context and "Contacts per referral" in context
    card = _between(context, 'aria-labelledby="chart-REFERRALS-title"', "</section>")
    assert "Context indicator: describes the setting" in card
    assert "rag rag-" not in card


def test_the_objective_page_leaves_them_out_and_shows_them_apart(signed_in, strategy):
    html = signed_in.get("/strategies/ctx/priorities/1/objectives/1/").content.decode()

    judged = _between(html, "<h1>", 'id="milestones"')
    assert "rag rag-red" not in judged
    _assert_judges_only_success_measures(judged)
    success = _between(html, 'id="measures"', 'id="context"')
    assert "Long waits" in success and "Average monthly referrals" not in success
    context = _between(html, 'id="context">Context indicators</h2>')
    assert "Average monthly referrals" in context
    assert "Contacts per referral" not in context  # it is the priority's, not this objective's


def test_a_strategy_with_only_context_indicators_has_nothing_to_judge(signed_in):
    strategy = make_strategy(slug="only-ctx")
    measure = make_measure(
        priority=make_priority(strategy, number=1),
        code="ONLY",
        kind=Kind.CONTEXT,
        direction="lower",
        target_value=Decimal(1),
    )
    make_value(measure, timezone.localdate() - dt.timedelta(days=40), 50)
    html = signed_in.get("/strategies/only-ctx/").content.decode()
    overall = _between(html, "<dt>Overall status</dt>", "</dd>")
    assert "No status" in overall and "no milestones or measures" in overall


def test_the_measure_page_says_context_indicator_and_shows_no_rag(signed_in, strategy):
    html = signed_in.get("/measures/REFERRALS/").content.decode()
    assert "Context indicator. It describes the setting" in _text(html)
    assert "Kind Context indicator" in _text(html)
    assert "rag rag-" not in html

    success = signed_in.get("/measures/WAITS/").content.decode()
    assert 'class="rag rag-green"' in success  # a success measure's page does show its RAG
    assert "Context indicator." not in _text(success)
    assert "Kind Success measure" in _text(success)


def test_a_context_indicator_is_never_judged_whatever_its_target(strategy):
    from measures.models import Measure
    from strategy_tracker.status import Rag

    referrals = Measure.objects.with_latest_value().get(code="REFERRALS")
    status = referrals.rag(timezone.localdate())
    assert status.rag == Rag.GREY
    assert status.reason == "context indicator, not judged against a target"
