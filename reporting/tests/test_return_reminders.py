from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from milestones.models import MilestoneDelegate
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from reporting.tests.helpers import strategy_reporting
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _open(quarter, slug="s"):
    return strategy_reporting(slug, quarter)


def test_reminders_name_the_period_and_its_deadline_and_go_to_owners_and_delegates(
    programme_lead, make_user
):
    quarter = Quarter.containing(timezone.localdate())
    period, objective = _open(quarter)
    deputy = make_user("deputy", PROGRAMME_LEAD, email="deputy@example.org")
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    owed = make_milestone(objective, title="Open the hub", owner=programme_lead)
    MilestoneDelegate.objects.create(milestone=owed, user=deputy)
    done = make_milestone(objective, title="Already sent", owner=programme_lead)
    done.record_update(
        by=programme_lead,
        expected_version=done.version,
        status="on_track",
        commentary="",
        forecast_date=None,
    )
    make_milestone(objective, title="Finished", owner=programme_lead, status="complete")
    out = StringIO()
    call_command("send_return_reminders", stdout=out)
    assert sorted(m.to[0] for m in mail.outbox) == ["deputy@example.org", "lead@example.org"]
    message = next(m for m in mail.outbox if m.to == ["lead@example.org"])
    deadline = f"{period.closes_on.day} {period.closes_on:%B %Y}"
    assert message.subject == f"Quarterly return for {quarter}: 1 milestone to update by {deadline}"
    assert f"Strategy s, {quarter} (due by {deadline})" in message.body
    assert "Open the hub" in message.body
    assert "Already sent" not in message.body and "Finished" not in message.body
    assert "/milestones/return/" in message.body
    assert "2 reminded." in out.getvalue()


def test_a_late_return_is_flagged_in_its_reminder(programme_lead):
    last = Quarter.containing(timezone.localdate()).previous()
    period, objective = _open(last)
    ReportingPeriod.objects.filter(pk=period.pk).update(closes_on=last.end)
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    make_milestone(objective, title="Overdue return", owner=programme_lead)
    call_command("send_return_reminders", stdout=StringIO())
    (message,) = mail.outbox
    assert message.subject.startswith(f"Late: quarterly return for {last}")
    assert "LATE: returns were due by" in message.body


def test_no_open_period_means_no_reminder(programme_lead):
    objective = make_objective(make_priority(make_strategy(), number=1), number=1)
    make_milestone(objective, owner=programme_lead)
    out = StringIO()
    call_command("send_return_reminders", "--list-only", stdout=out)
    assert mail.outbox == [] and "0 reminded." in out.getvalue()


def test_nobody_is_reminded_of_a_return_they_cannot_open(board_member):
    quarter = Quarter.containing(timezone.localdate())
    _, objective = _open(quarter)
    board_member.email = "board@example.org"
    board_member.save()
    make_milestone(objective, title="Owned by a board member", owner=board_member)
    call_command("send_return_reminders", stdout=StringIO())
    assert mail.outbox == []


def test_no_reminder_for_a_milestone_another_organisation_has_taken_on(programme_lead):
    from milestones.models import Milestone
    from objectives.models import Organisation, Partner
    from reporting.reminders import returns_due

    this = Quarter.containing(timezone.localdate())
    period, objective = strategy_reporting("taken", this)
    milestone = make_milestone(objective, title="Taken on", owner=programme_lead)
    assert programme_lead in returns_due()
    council = Organisation.objects.create(name="Council")
    council.memberships.filter(user=programme_lead).delete()
    Partner.objects.create(strategy=period.strategy, organisation=council)
    Milestone.objects.filter(pk=milestone.pk).update(responsible=council)
    assert programme_lead not in returns_due()
