"""Found by a third reading of the session's change: a closed strategy's own admin page,
the daily jobs, the risk 403, a waiting update's promise, Part Two in the milestone table."""

import datetime as dt

import pytest
from django.urls import reverse

from milestones.tests.posted_forms import form_as_posted
from objectives.models import Priority, Strategy
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


def _posted(client, url, form_id):
    page = client.get(url)
    assert page.status_code == 200
    return form_as_posted(page.content.decode(), form_id=form_id) | {"_save": ["Save"]}


def test_the_django_admin_adds_no_priority_to_a_closed_strategy_from_the_strategys_page(
    client, site_admin
):
    """README: 'In the Django admin ... nothing is added under it'. The strategy's own page
    (StrategyAdmin, not KeptWhenClosedMixin) still offers its priorities inline, editable."""
    strategy = make_strategy(status=Strategy.Status.CLOSED)
    make_priority(strategy, number=1, title="As it closed")
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _posted(client, url, "strategy_form")
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "priorit" in k).removesuffix(
        "-TOTAL_FORMS"
    )
    data[f"{prefix}-0-title"] = ["Renamed after close"]
    data[f"{prefix}-TOTAL_FORMS"] = ["2"]
    data |= {
        f"{prefix}-1-part": ["1"],
        f"{prefix}-1-number": ["2"],
        f"{prefix}-1-title": ["Added after close"],
        f"{prefix}-1-part_title": [""],
    }
    client.post(url, data)
    titles = set(Priority.objects.filter(strategy=strategy).values_list("title", flat=True))
    assert titles == {"As it closed"}, titles


def test_an_admin_still_adds_a_milestone_inline_on_an_open_objective(client, site_admin):
    """No regression: a published strategy's objective page still takes a new milestone row."""
    strategy = make_strategy(status=Strategy.Status.PUBLISHED)
    objective = make_objective(make_priority(strategy))
    make_milestone(objective, title="First", due_date=dt.date(2027, 3, 31))
    client.force_login(site_admin)
    url = reverse("admin:objectives_objective_change", args=[objective.pk])
    data = _posted(client, url, "objective_form")
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "milestone" in k).removesuffix(
        "-TOTAL_FORMS"
    )
    data[f"{prefix}-TOTAL_FORMS"] = ["2"]
    data |= {
        f"{prefix}-1-position": ["2"],
        f"{prefix}-1-heading": [""],
        f"{prefix}-1-title": ["Second"],
        f"{prefix}-1-due_text": [""],
        f"{prefix}-1-due_date": ["2027-06-30"],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert objective.milestones.filter(title="Second").exists()


def test_an_admin_still_changes_a_measure_of_an_open_strategy(client, site_admin):
    strategy = make_strategy(status=Strategy.Status.PUBLISHED)
    measure = make_measure(make_objective(make_priority(strategy)), code="OPEN-1")
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = _posted(client, url, "measure_form") | {"name": ["Renamed"]}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    measure.refresh_from_db()
    assert measure.name == "Renamed"


def test_a_closed_strategys_risk_edit_refusal_does_not_tell_an_admin_to_ask_for_access(
    client, make_member
):
    """README: 'A refusal a closed strategy gives (its milestones, measures, sign-off, risks)
    says so and no more: the 403 page does not tell an Admin to ask for access'. risks/views.py
    edit still raises a plain PermissionDenied."""
    from strategy_tracker.roles import ADMIN
    from tests.factories import make_risk

    strategy = make_strategy(status=Strategy.Status.CLOSED)
    risk = make_risk(make_objective(make_priority(strategy)))
    admin = make_member("closedadmin", {strategy.organisation: [ADMIN]})
    client.force_login(admin)
    response = client.get(f"/strategies/{strategy.slug}/risks/{risk.number}/edit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "closed" in page
    assert "to give your account access" not in page


def test_the_strategys_milestone_table_numbers_part_two_as_printed(client, site_admin):
    """README: 'a priority outside Part One is numbered as printed under its part ...
    "Objective Part 2, 1.2"'. The milestone table's Objective column
    (milestone_parts._row: o.priority.number) shows '1.1' for Part 1's objective 1.1 and
    Part 2's alike."""
    strategy = make_strategy(slug="two-parts", status=Strategy.Status.PUBLISHED)
    one = make_objective(make_priority(strategy, number=1), number=1)
    two = make_objective(make_priority(strategy, part=2, number=1), number=1)
    make_milestone(one, title="Adults' milestone", due_date=dt.date(2027, 3, 31))
    make_milestone(two, title="Children's milestone", due_date=dt.date(2027, 3, 31))
    client.force_login(site_admin)
    page = client.get(f"/strategies/{strategy.slug}/milestones/").content.decode()
    cell = f'<a href="{two.get_absolute_url()}">'
    shown = page[page.index(cell) + len(cell) :].split("<", 1)[0]
    assert shown != "1.1", shown


def test_a_failing_period_opening_does_not_stop_the_days_reminders_and_readings(
    programme_lead, monkeypatch
):
    """README: 'each of its jobs runs whether or not another failed ... and the run then
    fails naming each that did'. cycle.open_due_periods is outside the try blocks in
    reporting/tasks.py daily_reporting_jobs: one period that cannot open stops every
    reminder and every reading that day."""
    from django.utils import timezone

    from reporting import cycle
    from reporting.models import ReminderDay
    from reporting.quarters import Quarter
    from reporting.tasks import daily_reporting_jobs
    from reporting.tests.helpers import strategy_reporting
    from tests.task_worker import run_queued_tasks

    _, objective = strategy_reporting("due", Quarter.containing(timezone.localdate()))
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    make_milestone(objective, title="Open the hub", owner=programme_lead)

    def broken(*args, **kwargs):
        raise ValueError("one period will not open")

    monkeypatch.setattr(cycle, "open_due_periods", broken)
    daily_reporting_jobs.enqueue()
    run_queued_tasks()
    assert ReminderDay.objects.filter(day=timezone.localdate()).exists()


def test_a_closed_strategys_waiting_update_is_not_promised_to_count_once_approved(
    client, make_member, make_user
):
    """b5d3d4b: approving an update left waiting when its strategy closed is refused. The
    milestone page still tells the approver (and everyone else) 'It counts ... once one of
    this strategy's approvers approves it', which can no longer happen."""
    from milestones import sign_off
    from strategy_tracker.roles import APPROVER, BOARD_MEMBER, PROGRAMME_LEAD

    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    strategy = make_strategy(requires_approval=True, status=Strategy.Status.PUBLISHED)
    strategy.approvers.add(approver)
    lead = make_member("lead9", {strategy.organisation: [PROGRAMME_LEAD]})
    milestone = make_milestone(make_objective(make_priority(strategy)), owner=lead)
    sign_off.update(
        milestone,
        by=lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Late.",
        forecast_date=None,
        waiting=sign_off.ANY_WAITING,
    )
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.CLOSED)
    for who in (approver, lead):
        client.force_login(who)
        page = client.get(milestone.get_absolute_url()).content.decode()
        assert "An update was waiting for approval when this strategy closed" in page
        assert "once one of this strategy's approvers approves it" not in page, who.username
    client.force_login(approver)
    page = client.get("/milestones/approvals/").content.decode()
    assert "Approve this update" not in page and "the update cannot count" in page


def test_a_period_opened_early_by_hand_reminds_once_on_opening():
    """open_period opens a scheduled period 'ahead of its date if need be'. Opened by hand on
    25 Sep for a period whose day is 1 Oct, reminder_day is now true on 26 Sep (first run
    after opening) and again on 1 Oct (its scheduled day): two 'period open' reminders five
    days apart. Before 3540d70 it was true on 25 Sep, whose 06:00 run had already sent the
    day's reminders, and 1 Oct: in effect one reminder."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reporting import reminders
    from reporting.models import ReportingPeriod

    admin = get_user_model().objects.create_user("opener")
    early = ReportingPeriod(
        opens_on=dt.date(2026, 10, 1),
        closes_on=dt.date(2026, 10, 21),
        opened_at=timezone.make_aware(dt.datetime(2026, 9, 25, 10, 0)),
        opened_by=admin,
    )
    days = [
        d
        for d in (dt.date(2026, 9, 25) + dt.timedelta(days=n) for n in range(10))
        if reminders.reminder_day(early, d)
    ]
    assert len(days) == 1, days
