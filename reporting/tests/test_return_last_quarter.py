"""The return's "Last quarter" line says what the board saw at last quarter's close: for a
milestone nobody had reported on, "nothing reported", as the board report says, never that
its lead reported it not started."""

import datetime as dt

import pytest
from django.utils import timezone

from reporting import cycle
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from reporting.tests.helpers import strategy_reporting
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db
URL = "/milestones/return/"


def _last_quarter_line(client, lead) -> str:
    client.force_login(lead)
    html = client.get(URL).content.decode()
    return html[html.index('class="last-quarter"') :].split("</p>")[0]


def _close_last_and_open_this(strategy, admin_user) -> None:
    this = Quarter.containing(timezone.localdate())
    cycle.close_period(ReportingPeriod.objects.get(strategy=strategy), by=admin_user)
    cycle.open_period(cycle.schedule(strategy, this, *cycle.default_window(this), None), None)


@pytest.fixture
def reporting_last_quarter():
    return strategy_reporting("two", Quarter.containing(timezone.localdate()).previous())


def test_a_milestone_nobody_reported_on_reads_nothing_reported(
    client, programme_lead, admin_user, reporting_last_quarter
):
    period, objective = reporting_last_quarter
    due = timezone.localdate() + dt.timedelta(days=400)
    make_milestone(objective, title="Hub", owner=programme_lead, due_date=due)
    _close_last_and_open_this(period.strategy, admin_user)
    line = _last_quarter_line(client, programme_lead)
    assert "nothing reported" in line
    assert "reported not started" not in line, line


def test_a_milestone_its_lead_reported_not_started_reads_so(
    client, programme_lead, admin_user, reporting_last_quarter
):
    period, objective = reporting_last_quarter
    due = timezone.localdate() + dt.timedelta(days=400)
    m = make_milestone(objective, title="Hub", owner=programme_lead, due_date=due)
    m.record_update(
        by=programme_lead,
        expected_version=m.version,
        status="not_started",
        commentary="Starts in the spring.",
        forecast_date=None,
    )
    _close_last_and_open_this(period.strategy, admin_user)
    line = _last_quarter_line(client, programme_lead)
    assert "reported not started" in line and "Starts in the spring." in line
    assert "nothing reported" not in line
