"""Found by a second reading of the twenty-fourth session's change: a 500 from a stored
reading, a closed strategy's other paths, the reminders' gaps, Part Two's other places."""

import datetime as dt
from decimal import Decimal

import pytest

from measures.models import MeasureValue
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def _quarter_ends(n, last):
    ends, year, q = [], last.year, (last.month - 1) // 3
    for _ in range(n):
        month = q * 3 + 3
        ends.append(dt.date(year, month, 31 if month in (3, 12) else 30))
        q -= 1
        if q < 0:
            q, year = 3, year - 1
    return sorted(ends)


def test_objective_page_with_a_stored_reading_of_a_measure_with_no_target(signed_in, board_member):
    """A measure with 15+ figures and no target (or no direction): once the worker has stored
    its reading, the objective/priority page passes a StoredReading to _spc_icons, which now
    reads result.target -> AttributeError -> 500 (a829c6c)."""
    from measures.readings import refresh
    from objectives.models import Membership
    from strategy_tracker.roles import BOARD_MEMBER

    strategy = make_strategy()
    Membership.objects.get_or_create(
        user=board_member, organisation=strategy.organisation, role=BOARD_MEMBER
    )
    objective = make_objective(make_priority(strategy))
    measure = make_measure(objective, direction="higher", unit="%", target_value=None)
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measure, period_end=d, value=Decimal(50 + i % 3))
        for i, d in enumerate(_quarter_ends(16, dt.date(2025, 3, 31)))
    )
    assert signed_in.get(objective.get_absolute_url()).status_code == 200  # worked out live
    refresh()  # what the task worker does every day
    assert signed_in.get(objective.get_absolute_url()).status_code == 200


# --- 2affaba: a closed strategy "kept as it was everywhere" -------------------------------


@pytest.fixture
def closed_milestone(make_member):
    from objectives.models import Strategy
    from strategy_tracker.roles import PROGRAMME_LEAD
    from tests.factories import make_milestone

    strategy = make_strategy(status=Strategy.Status.CLOSED)
    objective = make_objective(make_priority(strategy))
    lead = make_member("closedlead", {strategy.organisation: [PROGRAMME_LEAD]})
    return make_milestone(objective, owner=lead, status="on_track", due_date=dt.date(2025, 3, 31))


def test_approving_an_update_left_waiting_when_its_strategy_closed_says_so(make_member, make_user):
    """Closing a strategy with an update awaiting approval: approving it is refused with
    '<lead> may no longer update this milestone ... return it instead', not that the
    strategy is closed."""
    from milestones import sign_off
    from milestones.models import Submission
    from objectives.models import Strategy
    from strategy_tracker.roles import APPROVER, BOARD_MEMBER, PROGRAMME_LEAD
    from tests.factories import make_milestone

    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    strategy = make_strategy(requires_approval=True)
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
        reason="",
    )
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.CLOSED)
    with pytest.raises(sign_off.SignOffRefused) as refused:
        sign_off.approve(Submission.objects.get(), by=approver)
    assert "closed" in str(refused.value)


def test_fingertips_for_a_closed_strategys_measure_says_it_is_closed(site_admin, closed_milestone):
    """imported_by now leaves out a closed strategy's measures, so a site administrator is
    told they 'may not import figures ... only Admins of the organisation responsible for it
    do'."""
    from measures import fingertips
    from measures.national_indicator_model import NationalIndicator

    measure = make_measure(closed_milestone.objective, code="SHUT-3", unit="%")
    link = NationalIndicator.objects.create(
        measure=measure,
        indicator_id=92443,
        area_type_id=502,
        area_code="E06000034",
        linked_by=site_admin,
    )
    proposal = fingertips.propose_import([link], by=site_admin)
    (fetched,) = proposal.fetched
    assert fetched.error == (
        "SHUT-3 is of a closed strategy, kept as it was when it closed: it takes no more figures."
    )


# --- 5a6fb2f: reminders ---------------------------------------------------------------------


def test_a_period_opened_by_hand_after_the_days_run_still_gets_its_opening_reminder():
    """README: 'A period opened later than its day (the worker was stopped, or the quarter
    before was closed late) reminds on the day it does open.' When the quarter before is
    closed late, the Admin opens the next by hand (reporting:open) - after that day's 06:00
    run, which has already sent (ReminderDay) - and reminder_day is true only on the opening
    day itself, so no run ever sends the opening reminder: the first comes a week before the
    deadline."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reporting import reminders
    from reporting.models import ReportingPeriod

    admin = get_user_model().objects.create_user("opener")
    by_hand = ReportingPeriod(
        opens_on=dt.date(2024, 7, 1),
        closes_on=dt.date(2024, 10, 21),
        opened_at=timezone.make_aware(dt.datetime(2024, 7, 15, 11, 0)),
        opened_by=admin,
    )
    runs = [dt.date(2024, 7, 15) + dt.timedelta(days=n) for n in range(0, 100)]
    days = [day for day in runs if reminders.reminder_day(by_hand, day)]
    assert days[:2] == [dt.date(2024, 7, 16), dt.date(2024, 10, 14)]
    # Opened by hand before that day's run: that run tells its leads, and no later one.
    early = ReportingPeriod(
        opens_on=dt.date(2024, 7, 1),
        closes_on=dt.date(2024, 10, 21),
        opened_at=timezone.make_aware(dt.datetime(2024, 7, 15, 5, 0)),
        opened_by=admin,
    )
    days = [day for day in runs if reminders.reminder_day(early, day)]
    assert days[:2] == [dt.date(2024, 7, 15), dt.date(2024, 10, 14)]
    # Opened by the daily run itself (no opener): that day.
    by_run = ReportingPeriod(
        opens_on=dt.date(2024, 7, 1),
        closes_on=dt.date(2024, 10, 21),
        opened_at=timezone.make_aware(dt.datetime(2024, 7, 15, 6, 0, 5)),
    )
    days = [day for day in runs if reminders.reminder_day(by_run, day)]
    assert days[:2] == [dt.date(2024, 7, 15), dt.date(2024, 10, 14)]


def test_list_only_names_someone_with_no_address_as_the_real_run_does(programme_lead):
    """send_return_reminders --list-only prints 'lead <>: …' and counts them as reminded;
    the real run says 'lead: not reminded, no e-mail address' (it printed 'no email')."""
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from reporting.quarters import Quarter
    from reporting.tests.helpers import strategy_reporting
    from tests.factories import make_milestone

    _, objective = strategy_reporting("s", Quarter.containing(timezone.localdate()))
    programme_lead.email = ""
    programme_lead.save()
    make_milestone(objective, title="Open the hub", owner=programme_lead)
    listed, sent = StringIO(), StringIO()
    call_command("send_return_reminders", "--list-only", stdout=listed)
    call_command("send_return_reminders", stdout=sent)
    assert "<>" not in listed.getvalue()
    assert ("0 reminded." in listed.getvalue()) == ("0 reminded." in sent.getvalue()), (
        listed.getvalue(),
        sent.getvalue(),
    )


def test_a_failing_readings_refresh_no_longer_stops_periods_opening_and_reminders(
    programme_lead, monkeypatch
):
    """5a6fb2f moved measure_readings.refresh() before cycle.open_due_periods and the
    reminders: a measure whose reading cannot be worked out now stops every scheduled period
    opening and every reminder, each day, until it is fixed (before, they went first)."""
    from django.core import mail
    from django.utils import timezone

    from measures import readings
    from reporting import cycle
    from reporting.quarters import Quarter
    from reporting.tasks import daily_reporting_jobs
    from reporting.tests.helpers import strategy_reporting
    from tests.factories import make_milestone
    from tests.task_worker import run_queued_tasks

    today = timezone.localdate()
    quarter = Quarter.containing(today)
    _, objective = strategy_reporting("due")
    scheduled = cycle.schedule(
        objective.priority.strategy, quarter, today, quarter.end + dt.timedelta(days=21), None
    )
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    make_milestone(objective, title="Open the hub", owner=programme_lead)

    def broken(*args, **kwargs):
        raise ValueError("one odd measure")

    monkeypatch.setattr(readings, "refresh", broken)
    daily_reporting_jobs.enqueue()
    run_queued_tasks()
    scheduled.refresh_from_db()
    assert scheduled.state == "open"
    assert len(mail.outbox) == 1


def test_my_milestones_does_not_ask_for_an_update_a_closed_strategy_refuses(
    client, closed_milestone
):
    """2affaba refuses every update to a closed strategy's milestone, but the lead's
    My milestones still flags it '▲ Needs an update' (milestones/views.py my_milestones:
    m.needs_update(now) knows nothing of the strategy's status)."""
    from milestones.models import Milestone

    Milestone.objects.filter(pk=closed_milestone.pk).update(last_updated_at=None)
    client.force_login(closed_milestone.owner)
    page = client.get("/milestones/mine/").content.decode()
    assert closed_milestone.title in page
    assert "Needs an update" not in page


# --- 426e5e5 / 259d089: Part Two numbered as printed -------------------------------------


def test_part_two_is_numbered_as_printed_in_the_editor_outline_and_the_risk_form(
    client, site_admin
):
    """README: 'a priority outside Part One is numbered as printed under its part ...
    "Objective Part 2, 1.2"'. The editor's item heading now says 'Objective Part 2, 1.1' but
    the outline beside it (editor/outline.py) still lists 'part2-1.1 …'; the risk form's
    choices (risks/forms.py) say 'Priority part2-1: …' / 'Objective part2-1.1: …', as do the
    risk's page (risks/templates/risks/detail.html), My milestones
    (milestones/templatetags/milestone_parts.py), editor messages (editor/views.py _name)
    and the dashboard timeline's legend (objectives/views.py 'P' + key)."""
    strategy = make_strategy(slug="two-parts")
    make_priority(strategy, number=1)
    p2 = make_priority(strategy, part=2, number=1, title="Outstanding services")
    objective = make_objective(p2, number=1, title="Raise attainment")
    client.force_login(site_admin)
    editor = client.get(f"/edit/{strategy.slug}/objective/{objective.pk}/").content.decode()
    assert "Objective Part 2, 1.1" in editor
    assert "part2-1.1 Raise attainment" not in editor
    form = client.get(f"/strategies/{strategy.slug}/risks/new/").content.decode()
    assert "Objective part2-1.1" not in form and "Priority part2-1" not in form
