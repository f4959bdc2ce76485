"""The quarterly cycle checked for truth: what the board report, its charts, the as-at pages and
"what changed" say (found by a reporting-cycle pass)."""

import datetime as dt

import pytest
from django.utils import timezone

from reporting import changes, cycle, returns
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
Q1, Q2 = Quarter(2024, 1), Quarter(2024, 2)


def _at(day: dt.date, hour=12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_a_late_return_for_last_quarter_is_not_counted_as_this_quarters_update(
    admin_user, programme_lead, client
):
    """Q1's grace period is lengthened (as README invites), so Q1 is still open on Q2's
    opening day. The lead's only update, sent on 20 Sep as Q1's late return, is in Q1's
    report; it is not Q2's update, so Q2's report must list the milestone as without one."""
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    m = make_milestone(
        objective,
        title="Open the hub",
        owner=programme_lead,
        status="on_track",
        due_date=dt.date(2025, 12, 1),
        last_updated_at=_at(dt.date(2024, 5, 1)),
    )
    q1 = cycle.schedule(strategy, Q1, dt.date(2024, 6, 16), dt.date(2024, 9, 30), by=admin_user)
    cycle.open_period(q1, by=admin_user)
    ReportingPeriod.objects.filter(pk=q1.pk).update(opened_at=_at(dt.date(2024, 6, 16)))
    # Q1's late return, on 20 September.
    type(m).objects.filter(pk=m.pk).update(last_updated_at=_at(dt.date(2024, 9, 20)))
    q1 = cycle.close_period(q1, by=admin_user, today=dt.date(2024, 9, 30))
    ReportingPeriod.objects.filter(pk=q1.pk).update(closed_at=_at(dt.date(2024, 9, 30), 17))
    # Q2, with its usual window (opens 16 Sep), opens once Q1 has closed, on 30 Sep.
    q2 = cycle.schedule(strategy, Q2, *cycle.default_window(Q2), by=admin_user)
    cycle.open_period(q2, by=admin_user)
    ReportingPeriod.objects.filter(pk=q2.pk).update(opened_at=_at(dt.date(2024, 9, 30), 18))
    q2.refresh_from_db()
    m.refresh_from_db()
    assert returns.still_owed(m, q2, None)  # the return and the reminders owe Q2's update
    q2 = cycle.close_period(q2, by=admin_user, today=dt.date(2024, 10, 22))
    q1.refresh_from_db()
    assert [c.row.title for c in changes.compare(None, q1).found.get("no_update", [])] == []
    found = changes.compare(q1, q2).found
    assert [c.row.title for c in found.get("no_update", [])] == ["Open the hub"]
    assert q2.change_counts.get("no_update") == 1


def _close(strategy, quarter, by, today=None):
    period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=by)
    cycle.open_period(period, by=by)
    return cycle.close_period(period, by=by, today=today or quarter.end + dt.timedelta(days=3))


def test_the_reports_chart_names_a_years_figure_as_its_source_words_it_not_as_a_month(
    admin_user, client
):
    """README: a figure for a year is shown by its own wording everywhere ("its month end
    would read as a month's figure"). The report's table says "2012"; its chart, its
    tooltips and the chart in words must not say "Dec 2012"."""
    from measures.models import MeasureValue
    from tests.factories import make_measure

    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(objective, code="SAFE", name="Feel safe", unit="%")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2023, 12, 31), period_text="2023", value=83
    )
    period = _close(strategy, Q1, admin_user)
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{period.pk}/report/").content.decode()
    table = page.split('id="measures"')[1].split('id="charts"')[0]
    assert "2023" in table and "Dec 2023" not in table  # the table words it as its source
    charts = page.split('id="charts"')[1].split('id="due-next"')[0]
    assert "Dec 2023" not in charts  # "latest 83% in Dec 2023", "Dec 2023: 83 (…)"


def test_a_milestone_completed_years_ago_and_restored_is_not_completed_this_quarter(
    admin_user, client
):
    """An objective archived by mistake before Q1 closed and restored in Q2: its milestone,
    completed in 2023, is back in the strategy, but it was not completed in Q2."""
    from editor import archiving

    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    other = make_objective(objective.priority, number=2)
    make_milestone(other, title="Still going", status="on_track", due_date=dt.date(2027, 1, 1))
    make_milestone(
        objective,
        title="Agree the plan",
        status="complete",
        due_date=dt.date(2023, 6, 1),
        last_updated_at=_at(dt.date(2023, 5, 20)),
    )
    archiving.archive(objective)
    _close(strategy, Q1, admin_user)
    objective.refresh_from_db()
    archiving.restore(type(objective).everything.get(pk=objective.pk))
    q2 = _close(strategy, Q2, admin_user)
    completed = [
        c.row.title
        for c in changes.compare(changes.previous_closed(q2), q2).found.get("completed", [])
    ]
    assert completed == []
    assert "completed" not in q2.change_counts


def test_a_completed_milestone_is_not_said_to_have_slipped(admin_user, programme_lead):
    """Last quarter it was expected early (forecast 1 Nov, due 1 Dec); this quarter it is
    complete and its forecast cleared. It did not slip."""
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    m = make_milestone(
        objective,
        title="Open the hub",
        owner=programme_lead,
        status="on_track",
        due_date=dt.date(2024, 12, 1),
        forecast_date=dt.date(2024, 11, 1),
        last_updated_at=_at(dt.date(2024, 6, 20)),
    )
    _close(strategy, Q1, admin_user)
    type(m).objects.filter(pk=m.pk).update(
        status="complete", forecast_date=None, last_updated_at=_at(dt.date(2024, 9, 20))
    )
    q2 = _close(strategy, Q2, admin_user)
    found = changes.compare(changes.previous_closed(q2), q2).found
    assert [c.row.title for c in found.get("completed", [])] == ["Open the hub"]
    assert [c.row.title for c in found.get("slipped", [])] == []


def test_the_exception_and_the_appendix_agree_on_whether_its_owner_reported(admin_user, client):
    """A milestone loaded at risk (a strategy JSON's status) with no update: the appendix says
    "reported at risk"; the exception for the same milestone says "No update reported"."""
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    make_milestone(objective, title="Open the hub", status="at_risk", due_date=dt.date(2026, 1, 1))
    period = _close(strategy, Q1, admin_user)
    client.force_login(admin_user)
    page = client.get(f"/strategies/s/periods/{period.pk}/report/").content.decode()
    exceptions = page.split('id="exceptions"')[1].split('id="changes"')[0]
    appendix = page.split('id="appendix"')[1]
    said_reported = "reported at risk" in appendix
    said_not = "No update reported" in exceptions
    assert not (said_reported and said_not)


def test_a_measures_page_as_at_a_quarter_finds_it_after_its_code_is_corrected(admin_user, client):
    """A site administrator corrects a measure's code in the Django admin after Q1 closed.
    From the measure's page, "as at the end of 2024/25 Q1" says it "was not part of this
    strategy" then, which is untrue: it was, under its old code."""
    from measures.models import Measure
    from tests.factories import make_measure, make_value

    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    measure = make_measure(objective, code="WIAT", name="Waits", unit="count")
    make_value(measure, dt.date(2024, 6, 30), 12)
    period = _close(strategy, Q1, admin_user)
    Measure.objects.filter(pk=measure.pk).update(code="WAIT")
    client.force_login(admin_user)
    live = client.get("/measures/WAIT/").content.decode()
    # What the page's quarter selector sends: the measure's code now, and its id.
    assert f'name="item_id" value="{measure.pk}"' in live
    chosen = client.get(
        "/strategies/s/as-at/",
        {"item": "measure:WAIT", "item_id": measure.pk, "period": period.pk},
        follow=True,
    )
    assert chosen.status_code == 200
    assert chosen.redirect_chain[-1][0].endswith("/measures/WIAT/")  # as it was coded then
    page = chosen.content.decode()
    assert "Waits" in page
    # Today's position is the measure's page under its code now.
    assert 'href="/measures/WAIT/"' in page
