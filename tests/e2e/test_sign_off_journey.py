"""Sign-off in the browser: an Admin switches approval on (save, reload, save again unchanged),
a lead sends a return, an approver returns one update with a reason and approves the other
(its title fixed by an Admin while it waited),
and the lead sees the reason beside their own words."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from milestones import sign_off
from milestones.models import Milestone, Submission
from reporting.quarters import Quarter
from reporting.tests.helpers import strategy_reporting
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.e2e.conftest import serious_accessibility_violations
from tests.e2e.test_forms_round_trip import differences, history_counts, stored_rows
from tests.factories import make_milestone

pytestmark = pytest.mark.e2e


def test_sign_off_from_setting_to_approval(
    page: Page, live_server, sign_in, admin_user, programme_lead, make_user
):
    make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")
    today = timezone.localdate()
    _, objective = strategy_reporting("s", Quarter.containing(today))
    hub = make_milestone(objective, title="Open the hub", owner=programme_lead, position=1)
    team = make_milestone(objective, title="Hire the team", owner=programme_lead, position=2)

    sign_in(page, "admin")
    page.goto(f"{live_server.url}/strategies/s/periods/")
    page.get_by_text("Change sign-off").click()
    page.get_by_label("Milestone updates need an approver's approval").check()
    page.get_by_label("Ann Prover").check()
    page.get_by_role("button", name="Save sign-off").click()
    expect(page.get_by_role("status")).to_contain_text("Sign-off saved.")
    page.reload()
    page.get_by_text("Change sign-off").click()
    expect(page.get_by_label("Milestone updates need an approver's approval")).to_be_checked()
    expect(page.get_by_label("Ann Prover")).to_be_checked()
    before, histories = stored_rows(), history_counts()
    page.get_by_role("button", name="Save sign-off").click()
    expect(page.get_by_role("status")).to_contain_text("Sign-off is as it was")
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "lead")
    page.goto(f"{live_server.url}/milestones/return/")
    for m, words in ((hub, "The builders are late."), (team, "Interviews booked.")):
        row = page.locator(f"#m{m.pk}")
        row.get_by_label("Status").select_option("at_risk")
        row.get_by_label("Commentary").fill(words)
    page.get_by_role("button", name="Save my return").click()
    expect(page.get_by_role("status")).to_contain_text("2 submitted for approval.")
    assert Milestone.objects.get(pk=hub.pk).commentary == ""
    page.get_by_role("button", name="Sign out").click()
    team = Milestone.objects.get(pk=team.pk)
    team.title = "Hire the clinical team"
    team.save()  # an Admin's title fix while the update waits: it can still be approved

    sign_in(page, "approver")
    page.goto(f"{live_server.url}/milestones/approvals/")
    assert serious_accessibility_violations(page) == []
    sections = page.locator("section.approval")
    expect(sections).to_have_count(2)
    hub_section = sections.filter(has_text="Open the hub")
    hub_section.get_by_label("Reason for returning it").fill("Which month will it open?")
    hub_section.get_by_role("button", name="Return it to the lead").click()
    expect(page.get_by_role("status")).to_contain_text("Returned to the lead")
    team_section = page.locator("section.approval").filter(has_text="Hire the clinical team")
    expect(team_section).to_contain_text("The milestone was edited since this update was sent")
    team_section.get_by_role("button", name="Approve this update").click()
    expect(page.get_by_role("status")).to_contain_text("Approved")
    assert Milestone.objects.get(pk=team.pk).commentary == "Interviews booked."
    assert Milestone.objects.get(pk=hub.pk).commentary == ""
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "lead")
    page.goto(f"{live_server.url}/milestones/return/")
    row = page.locator(f"#m{hub.pk}")
    expect(row).to_contain_text("“Which month will it open?”")
    expect(row.get_by_label("Commentary")).to_have_value("The builders are late.")


def test_a_reason_typed_for_one_update_survives_acting_on_another(
    page: Page, live_server, sign_in, programme_lead, make_user
):
    approver = make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")
    _, objective = strategy_reporting("s", Quarter.containing(timezone.localdate()))
    objective.priority.strategy.requires_approval = True
    objective.priority.strategy.save()
    objective.priority.strategy.approvers.add(approver)
    hub = make_milestone(objective, title="Open the hub", owner=programme_lead, position=1)
    team = make_milestone(objective, title="Hire the team", owner=programme_lead, position=2)
    for m, words in ((hub, "The builders are late."), (team, "Interviews booked.")):
        sign_off.update(
            m,
            by=programme_lead,
            expected_version=m.version,
            status="at_risk",
            commentary=words,
            forecast_date=None,
            waiting=None,
        )

    sign_in(page, "approver")
    page.goto(f"{live_server.url}/milestones/approvals/")
    sections = page.locator("section.approval")
    reason = "Which month will it open?\nThe forecast says June."
    sections.filter(has_text="Open the hub").get_by_label("Reason for returning it").fill(reason)
    sections.filter(has_text="Hire the team").get_by_role(
        "button", name="Approve this update"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Approved")
    assert Milestone.objects.get(pk=team.pk).commentary == "Interviews booked."
    expect(sections).to_have_count(1)
    hub_section = sections.filter(has_text="Open the hub")
    expect(hub_section.get_by_label("Reason for returning it")).to_have_value(reason)
    page.reload()
    expect(hub_section.get_by_label("Reason for returning it")).to_have_value(reason)
    assert serious_accessibility_violations(page) == []

    hub_section.get_by_role("button", name="Return it to the lead").click()
    expect(page.get_by_role("status")).to_contain_text("Returned to the lead")
    expect(page.get_by_text("No update is awaiting your approval.")).to_be_visible()
    (returned,) = Submission.objects.filter(milestone=hub)
    assert (returned.state, returned.return_reason) == ("returned", reason)
    assert Milestone.objects.get(pk=hub.pk).commentary == ""
