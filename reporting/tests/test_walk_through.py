"""Found by a walk through the app in a browser as board members, leads and Admins: a
return's wrong date, waiting words shown to the board, a closed strategy's pages offering
what they refuse, "Not started" nobody reported."""

import datetime as dt

import pytest
from django.utils import timezone

from objectives.models import Strategy
from reporting.quarters import Quarter
from reporting.tests.helpers import strategy_reporting
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from strategy_tracker.templatetags.tracker import short_day
from tests.factories import make_measure, make_milestone

pytestmark = pytest.mark.django_db


def test_return_row_awaiting_approval_does_not_claim_an_earlier_update_for_this_quarter(
    client, programme_lead, make_user
):
    """A milestone last updated before this quarter's returns opened, whose update for the
    quarter is waiting for approval, is shown as "Updated <the earlier day> for <quarter>"."""
    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    period, objective = strategy_reporting("s", Quarter.containing(timezone.localdate()))
    strategy = period.strategy
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.add(approver)
    earlier = period.returns_from - dt.timedelta(days=6)
    m = make_milestone(
        objective,
        title="Open the hub",
        owner=programme_lead,
        status="on_track",
        commentary="On plan.",
        last_updated_at=earlier,
        due_date=timezone.localdate() + dt.timedelta(days=200),
    )
    client.force_login(programme_lead)
    sent = client.post(
        m.get_absolute_url() + "update/",
        {
            "status": "at_risk",
            "commentary": "Builders late.",
            "forecast_date": "",
            "version": m.version,
        },
    )
    assert sent.status_code == 302
    page = client.get("/milestones/return/").content.decode()
    assert "Sent for approval on" in page
    assert f"Sent for approval {short_day(timezone.localdate())} for {period.label}" in page
    assert f"Updated {short_day(earlier)} for {period.label}" not in page
    # A board member reads that an update waits, not its words, which count once approved.
    client.force_login(make_user("bola", BOARD_MEMBER))
    page = client.get(m.get_absolute_url()).content.decode()
    assert "An update is awaiting approval" in page and "Builders late." not in page
    client.force_login(approver)
    assert "Builders late." in client.get(m.get_absolute_url()).content.decode()


def test_milestone_table_does_not_say_not_started_for_a_milestone_nobody_reported(
    client, board_member
):
    """README: a milestone nobody has updated says "Nothing reported yet", not "Not
    started", which no lead said. Its page does; the milestone table does not."""
    _, objective = strategy_reporting("s")
    make_milestone(objective, title="Never touched", due_date=dt.date(2030, 3, 31))
    client.force_login(board_member)
    page = client.get(objective.get_absolute_url()).content.decode()
    assert 'data-label="Reported status">Nothing reported yet<' in page


def test_closed_strategy_periods_page_offers_no_schedule_form(client, admin_user):
    _, objective = strategy_reporting("s")
    strategy = objective.priority.strategy
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.CLOSED)
    client.force_login(admin_user)
    page = client.get(f"/strategies/{strategy.slug}/periods/").content.decode()
    assert "Schedule the next period" not in page and 'name="opens_on"' not in page


def test_closed_strategy_refusal_does_not_tell_an_admin_to_ask_for_access(client, admin_user):
    _, objective = strategy_reporting("s")
    strategy = objective.priority.strategy
    measure = make_measure(objective, code="WAIT", name="Waits")
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.CLOSED)
    client.force_login(admin_user)
    response = client.post(
        f"/measures/{measure.code}/spc/", {"spc_baseline_points": "12", "reason": "First year."}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "This strategy is closed" in page
    assert "to give your account access" not in page


def test_closed_strategy_editor_fields_cannot_be_typed_into(client, admin_user):
    """No Save button is offered, but every box still takes typing."""
    _, objective = strategy_reporting("s")
    strategy = objective.priority.strategy
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.CLOSED)
    client.force_login(admin_user)
    response = client.get(f"/edit/{strategy.slug}/")
    form = response.context["form"]
    assert form["vision"].field.disabled or 'id="id_vision" disabled' in response.content.decode()


def test_an_spc_limits_error_is_summarised_at_the_form(client, admin_user):
    """The only error was beside its field, far below, with nothing to take the focus."""
    _, objective = strategy_reporting("s")
    measure = make_measure(objective, code="WAIT", name="Waits")
    client.force_login(admin_user)
    page = client.post(
        f"/measures/{measure.code}/spc/",
        {"read_limits": "|", "spc_baseline_points": "3", "reason": "First year."},
    ).content.decode()
    form = page[page.index('id="spc-limits"') :]
    summary = form[form.index('<div class="error-summary" role="alert">') :]
    assert summary.index("Nothing was saved") < summary.index("Save SPC limits")
    assert 'href="#id_spc_baseline_points">Baseline points: ' in summary


def test_a_due_date_beside_words_that_only_name_its_month_shows_the_words():
    from strategy_tracker.templatetags.tracker import due_words

    assert due_words(dt.date(2013, 9, 30), "Sept 2013") == "Sept 2013"
    assert due_words(dt.date(2013, 4, 30), "April 2013") == "April 2013"
    assert due_words(dt.date(2024, 3, 31), "in Year 1") == "31 Mar 2024 (“in Year 1”)"
    assert due_words(dt.date(2013, 9, 30), "September 2014") == "30 Sep 2013 (“September 2014”)"
