"""What the reminders send, to whom, and what one refused address or a second daily run
does to the rest (found by a pass over what the app sends by itself)."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from milestones import sign_off
from objectives.models import Membership
from reporting import cycle
from reporting.quarters import Quarter
from reporting.tests.helpers import strategy_reporting
from strategy_tracker.dates import long_day
from strategy_tracker.roles import APPROVER, BOARD_MEMBER, PROGRAMME_LEAD
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_user):
    return make_user("approver", [BOARD_MEMBER, APPROVER], email="approver@example.org")


def _waiting_for_approval(lead, approver):
    """A lead's update sent for approval in a strategy with an open period and sign-off on."""
    _, objective = strategy_reporting("s", Quarter.containing(timezone.localdate()))
    strategy = objective.priority.strategy
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.add(approver)
    lead.email = "lead@example.org"
    lead.save()
    milestone = make_milestone(objective, title="Open the hub", owner=lead)
    assert _submit(milestone, lead) == sign_off.SUBMITTED


def _submit(milestone, by):
    return sign_off.update(
        milestone,
        by=by,
        expected_version=milestone.version,
        status="on_track",
        commentary="All fine.",
        forecast_date=None,
        waiting=sign_off.ANY_WAITING,
    )


def test_a_return_sent_for_approval_is_not_chased_by_reminders(programme_lead, approver):
    """README: 'In the quarterly return an update sent for approval counts as this quarter's';
    the return page says nothing is owed, but the reminder still chases it."""
    _waiting_for_approval(programme_lead, approver)
    client = Client()
    client.force_login(programme_lead)
    page = client.get("/milestones/return/")
    assert [r.needs_update for r in page.context["rows"]] == [False]  # the return: nothing owed
    call_command("send_return_reminders", stdout=StringIO())
    assert mail.outbox == []


def test_the_monthly_update_reminder_skips_an_update_awaiting_approval(programme_lead, approver):
    """My milestones says 'Update awaiting approval' (the lead has nothing to do); the monthly
    e-mail still says it has not been updated."""
    _waiting_for_approval(programme_lead, approver)
    call_command("send_update_reminders", stdout=StringIO())
    assert mail.outbox == []


def test_the_monthly_update_reminder_skips_an_owner_who_left_the_organisation(
    make_member, programme_lead
):
    """An owner who left (their memberships removed, account still active for another
    organisation) can no longer update or even see the milestone, but is e-mailed its link."""
    from objectives.models import Organisation

    _, objective = strategy_reporting("s")
    org = objective.priority.strategy.organisation
    other = Organisation.objects.create(name="Elsewhere Council")
    leaver = make_member("leaver", {org: [PROGRAMME_LEAD]}, email="leaver@example.org")
    milestone = make_milestone(objective, title="Open the hub", owner=leaver)
    Membership.objects.filter(user=leaver, organisation=org).delete()
    Membership.objects.create(user=leaver, organisation=other, role=PROGRAMME_LEAD)
    assert not milestone.can_be_updated_by(leaver)
    client = Client()
    client.force_login(leaver)
    assert client.get(milestone.get_absolute_url()).status_code == 404
    call_command("send_update_reminders", stdout=StringIO())
    assert [m.to for m in mail.outbox] == []


class FlakyBackend(LocmemBackend):
    """The mail server refuses one recipient (a full mailbox, a relay error)."""

    def send_messages(self, messages):
        for message in messages:
            if "bad@example.org" in message.to:
                raise ConnectionRefusedError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_one_refused_recipient_does_not_cost_the_others_their_reminder(make_user, settings):
    from django_tasks_db.models import DBTaskResult

    from tests.task_worker import run_queued_tasks

    settings.EMAIL_BACKEND = "reporting.tests.test_reminder_delivery.FlakyBackend"
    quarter = Quarter.containing(timezone.localdate())
    _, objective = strategy_reporting("s")
    strategy = objective.priority.strategy
    today = timezone.localdate()
    cycle.schedule(strategy, quarter, today, quarter.end + dt.timedelta(days=21), None)
    for name in ("alice", "bad", "carol"):
        lead = make_user(name, PROGRAMME_LEAD, email=f"{name}@example.org")
        make_milestone(objective, title=f"{name}'s milestone", owner=lead)
    call_command("schedule_reporting_jobs", stdout=StringIO())
    run_queued_tasks()
    run = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert run.return_value["not_sent"] == ["bad: 550 mailbox unavailable"]
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "carol@example.org"]


def test_a_period_opened_after_its_day_still_tells_its_leads(programme_lead):
    """The worker was down on the opening day (or the previous period was closed late): the
    next daily run opens the period, but nobody is told it is open until a week before the
    deadline."""
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    today = timezone.localdate()
    quarter = Quarter.containing(today)
    _, objective = strategy_reporting("s")
    make_milestone(objective, title="Open the hub", owner=programme_lead)
    # opened on its day yesterday would have reminded; it opens today instead
    period = cycle.schedule(
        objective.priority.strategy,
        quarter,
        today - dt.timedelta(days=1),
        quarter.end + dt.timedelta(days=21),
        None,
    )
    from reporting.tasks import daily_reporting_jobs
    from tests.task_worker import run_queued_tasks

    daily_reporting_jobs.enqueue()
    run_queued_tasks()
    period.refresh_from_db()
    assert period.state == "open"
    assert len(mail.outbox) == 1


def test_the_subject_counts_only_what_is_due_by_the_date_it_names(programme_lead):
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    quarter = Quarter.containing(timezone.localdate())
    p1, o1 = strategy_reporting("a", quarter)
    p2, o2 = strategy_reporting("b", quarter)
    from reporting.models import ReportingPeriod

    ReportingPeriod.objects.filter(pk=p2.pk).update(closes_on=p1.closes_on + dt.timedelta(days=30))
    make_milestone(o1, title="A1", owner=programme_lead)
    for n in range(4):
        make_milestone(o2, title=f"B{n}", owner=programme_lead)
    call_command("send_return_reminders", stdout=StringIO())
    (message,) = mail.outbox
    assert message.subject.endswith(
        "1 milestone to update by " + long_day(p1.closes_on) + ", 4 more later"
    )


@pytest.mark.slow  # a Python process
def test_a_site_url_ending_in_a_slash_makes_links_that_work(programme_lead, settings):
    """SITE_URL=https://…/ made every reminder's link "…//milestones/return/", a 404."""
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {**__import__("os").environ, "SITE_URL": "https://tracker.example.nhs.uk/"}
    read = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.SITE_URL)",
        ],
        env=env | {"DJANGO_SETTINGS_MODULE": django_settings.SETTINGS_MODULE},
        capture_output=True,
        text=True,
        check=True,
    )
    assert read.stdout.strip() == "https://tracker.example.nhs.uk"
    settings.SITE_URL = read.stdout.strip()
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    quarter = Quarter.containing(timezone.localdate())
    _, objective = strategy_reporting("s", quarter)
    make_milestone(objective, title="A1", owner=programme_lead)
    call_command("send_return_reminders", stdout=StringIO())
    call_command("send_update_reminders", stdout=StringIO())
    links = [w for m in mail.outbox for w in m.body.split() if w.startswith("https://")]
    assert len(links) == 2
    client = Client()
    client.force_login(programme_lead)
    for link in links:
        path = link.removeprefix("https://tracker.example.nhs.uk")
        assert client.get(path).status_code == 200, link


def test_someone_without_an_email_address_is_not_counted_as_reminded(make_user):
    lead = make_user("noaddress", PROGRAMME_LEAD, email="")
    quarter = Quarter.containing(timezone.localdate())
    _, objective = strategy_reporting("s", quarter)
    make_milestone(objective, title="A1", owner=lead)
    out = StringIO()
    call_command("send_return_reminders", stdout=out)
    assert mail.outbox == []
    assert "0 reminded." in out.getvalue()
    assert "noaddress: not reminded, no e-mail address." in out.getvalue()


def test_two_workers_running_the_daily_jobs_at_once_do_not_remind_twice_or_book_twice(
    programme_lead,
):
    """Two daily runs booked (two workers' `make worker` starting together each booked one:
    schedule_daily_jobs checks, then inserts, with no lock) and taken by two workers at once."""
    from django_tasks_db.models import DBTaskResult

    from reporting.tasks import daily_reporting_jobs
    from tests.task_worker import worker

    programme_lead.email = "lead@example.org"
    programme_lead.save()
    today = timezone.localdate()
    quarter = Quarter.containing(today)
    _, objective = strategy_reporting("s")
    cycle.schedule(
        objective.priority.strategy, quarter, today, quarter.end + dt.timedelta(days=21), None
    )
    make_milestone(objective, title="Open the hub", owner=programme_lead)
    daily_reporting_jobs.enqueue()
    daily_reporting_jobs.enqueue()
    workers = []
    for n in (1, 2):
        runner = worker(f"w{n}")
        result = DBTaskResult.objects.ready().first()
        result.claim(runner.worker_id)  # both claimed before either runs: side by side
        workers.append((runner, result))
    for runner, result in workers:
        runner.run_task(result)
    booked = DBTaskResult.objects.filter(
        task_path=daily_reporting_jobs.module_path, status="READY"
    ).count()
    assert len(mail.outbox) == 1 and booked == 1


def test_one_refused_recipient_does_not_stop_the_monthly_update_reminders(make_user, settings):
    settings.EMAIL_BACKEND = "reporting.tests.test_reminder_delivery.FlakyBackend"
    _, objective = strategy_reporting("s")
    for name in ("alice", "bad", "carol"):
        lead = make_user(name, PROGRAMME_LEAD, email=f"{name}@example.org")
        make_milestone(objective, title=f"{name}'s milestone", owner=lead)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of those e-mails not sent; the rest were"):
        call_command("send_update_reminders", stdout=out, stderr=err)
    assert "not sent to bad@example.org (550 mailbox unavailable)" in err.getvalue()
    assert "2 owners reminded." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "carol@example.org"]
