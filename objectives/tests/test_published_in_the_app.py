"""A strategy's dashboard says when it was published (and closed) in Strategy Tracker, not
"published <a date>": a seed strategy's read as if its document came out the day the seeds
were loaded. The board report's "Changed since publication" says the same."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from objectives import lifecycle
from objectives.models import Strategy
from reporting import snapshots
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from reporting.tests.test_structure_changes import _closed_period
from strategy_tracker.dates import long_day
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _status(client, strategy: Strategy) -> str:
    page = client.get(strategy.get_absolute_url()).content.decode()
    return page.split('<dd id="strategy-status">')[1].split("</dd>")[0]


def test_a_seed_strategy_says_it_was_published_in_the_app_the_day_it_was_loaded(
    client, board_member
):
    call_command("load_seeds", stdout=StringIO())
    thurrock = Strategy.objects.get(slug="thurrock-hwbs-2013")
    loaded = long_day(timezone.localdate(thurrock.published_at))  # today: the day of loading
    client.force_login(board_member)
    status = _status(client, thurrock)
    assert status == f"Published; published in Strategy Tracker on {loaded}"
    assert f"published {loaded}" not in status  # as if the document came out today


def test_a_closed_strategy_says_who_published_and_closed_it_in_the_app(client, admin_user):
    strategy = make_strategy(status="draft", slug="plan")
    noon = timezone.make_aware(dt.datetime(2026, 12, 1, 12))
    lifecycle.take_step(strategy.pk, to="published", seen="draft", by=admin_user, now=noon)
    next_day = noon + dt.timedelta(days=1)
    lifecycle.take_step(strategy.pk, to="closed", seen="published", by=admin_user, now=next_day)
    client.force_login(admin_user)
    assert _status(client, Strategy.objects.get(pk=strategy.pk)) == (
        "Closed; published in Strategy Tracker on 1 December 2026 by Ada Admin; "
        "closed in Strategy Tracker on 2 December 2026 by Ada Admin"
    )


def test_the_reports_changed_since_publication_says_edits_made_in_the_app(client, admin_user):
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy), title="Before publication")
    make_milestone(objective, due_date=dt.date(2025, 3, 31))
    strategy.published_at = timezone.now()
    strategy.save()
    objective.title = "Reworded after publication"
    objective.save()
    period: ReportingPeriod = _closed_period(strategy, Quarter(2024, 2), timezone.now())
    snapshots.take(period)
    client.force_login(admin_user)
    page = client.get(reverse("reporting:period_report", args=["s", period.pk])).content.decode()
    section = page.split('id="changed-since-publication"')[1].split("</p>")[0]
    assert "Edits made in Strategy Tracker to the strategy itself" in section
    assert "since it was published in Strategy Tracker or since the previous report closed" in (
        section
    )
