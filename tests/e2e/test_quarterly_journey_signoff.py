"""The quarterly journey of a lead and an approver on a strategy with sign-off:
what each page shows when an update is waiting, returned, or replaced from another tab."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from milestones import sign_off
from milestones.models import Milestone, MilestoneDelegate, Submission, SubmissionState
from reporting.quarters import Quarter
from reporting.tests.helpers import strategy_reporting
from strategy_tracker.roles import APPROVER, BOARD_MEMBER, PROGRAMME_LEAD
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_milestone

pytestmark = pytest.mark.e2e


def _signed_off_strategy(approver):
    _, objective = strategy_reporting("qj", Quarter.containing(timezone.localdate()))
    strategy = objective.priority.strategy
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.add(approver)
    return objective


@pytest.mark.parametrize("width", [390, 1280])
def test_a_return_refused_because_another_update_waits_shows_that_update(
    browser, live_server, sign_in, programme_lead, make_user, width
):
    """README, Sign-off: an update sent from a page opened before another was sent "is refused
    (409) with its words kept and the waiting update shown, so nobody's update is replaced
    unseen (on the milestone's page and in the quarterly return alike)". In the return, the
    refused row says "check both, then send again to replace it" but shows only the lead's
    words: the delegate's update now waiting (its words, who sent it) is nowhere on the page,
    and sending again replaces it."""
    approver = make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Abi", last_name="Prov")
    delegate = make_user("lead2", PROGRAMME_LEAD, first_name="Lena", last_name="Second")
    objective = _signed_off_strategy(approver)
    hub = make_milestone(
        objective, title="Open the hub", owner=programme_lead, due_date=dt.date(2027, 3, 31)
    )
    MilestoneDelegate.objects.create(milestone=hub, user=delegate)

    viewport = {"width": width, "height": 900}
    lead_page = browser.new_context(viewport=viewport).new_page()
    sign_in(lead_page, "lead")
    lead_page.goto(f"{live_server.url}/milestones/return/")

    # Meanwhile the delegate sends an update from their own return.
    other = browser.new_context(viewport=viewport).new_page()
    sign_in(other, "lead2")
    other.goto(f"{live_server.url}/milestones/return/")
    row = other.locator(f"#m{hub.pk}")
    row.get_by_label("Status").select_option("off_track")
    row.get_by_label("Commentary").fill("Contractor went into administration on Friday.")
    other.get_by_role("button", name="Save my return").click()
    expect(other.get_by_role("status")).to_contain_text("1 submitted for approval.")

    row = lead_page.locator(f"#m{hub.pk}")
    row.get_by_label("Status").select_option("at_risk")
    row.get_by_label("Commentary").fill("Builders a month late.")
    lead_page.get_by_role("button", name="Save my return").click()
    expect(row).to_contain_text("check both, then send again to replace it")
    expect(row.get_by_label("Commentary")).to_have_value("Builders a month late.")
    assert serious_accessibility_violations(lead_page) == []
    # "Check both": the update waiting now must be on the page to check.
    expect(row).to_contain_text("Contractor went into administration on Friday.")
    expect(row).to_contain_text("Lena Second")


def test_the_return_gives_a_due_date_in_the_documents_words(
    page: Page, live_server, sign_in, programme_lead, make_user
):
    """README, Due dates: "a day the app reads from vaguer words is shown with the words
    beside it" (My milestones does: 31 Mar 2024 ("in Year 1")). The quarterly return, where
    the lead updates it, says only "due 31 Mar 2024", a day no document gave."""
    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    objective = _signed_off_strategy(approver)
    m = make_milestone(
        objective,
        title="Agree the model",
        owner=programme_lead,
        due_date=dt.date(2024, 3, 31),
        due_text="in Year 1",
    )
    sign_in(page, "lead")
    expect(page.locator("tbody tr").filter(has_text="Agree the model")).to_contain_text("in Year 1")
    page.goto(f"{live_server.url}/milestones/return/")
    expect(page.locator(f"#m{m.pk}")).to_contain_text("in Year 1")


def test_updates_to_approve_does_not_call_an_unreported_milestone_not_started(
    page: Page, live_server, sign_in, programme_lead, make_user
):
    """README, Due dates: a milestone nobody has updated "says 'Nothing reported yet' ... not
    'Not started', which no document and no lead said". The approver's "Now" column beside
    the update sent says "Not started" for it."""
    approver = make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Abi", last_name="Prov")
    objective = _signed_off_strategy(approver)
    team = make_milestone(
        objective, title="Hire the team", owner=programme_lead, due_date=dt.date(2027, 6, 30)
    )
    sign_off.update(
        team,
        by=programme_lead,
        expected_version=team.version,
        status="on_track",
        commentary="Interviews booked.",
        forecast_date=None,
        waiting=None,
    )
    assert Submission.objects.get(milestone=team).state == SubmissionState.SUBMITTED
    assert Milestone.objects.get(pk=team.pk).nothing_reported
    sign_in(page, "approver")
    page.get_by_role("link", name="Updates to approve").click()
    now = page.locator("section.approval").filter(has_text="Hire the team").locator("tbody tr")
    expect(now.first).not_to_contain_text("Not started")


def test_saving_a_milestone_page_unchanged_does_not_replace_the_update_waiting(
    page: Page, live_server, sign_in, programme_lead, make_user
):
    """Save, reload, save again unchanged on the milestone's page of a signed-off strategy.
    The hint beside the button says saving unchanged "confirms the milestone as it is"; the
    form holds the waiting update's words, and the second save withdraws that update and sends
    an identical one ("Update submitted for approval"), so an approver returning the one they
    were reading is refused: "already dealt with: replaced by a later update". The quarterly
    return leaves a row sent as it was shown; the milestone's page should too (or at least
    not replace the waiting update with a copy of itself)."""
    approver = make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Abi", last_name="Prov")
    objective = _signed_off_strategy(approver)
    team = make_milestone(
        objective, title="Hire the team", owner=programme_lead, due_date=dt.date(2027, 6, 30)
    )
    sign_in(page, "lead")
    page.goto(f"{live_server.url}{team.get_absolute_url()}")
    page.get_by_label("Status").select_option("on_track")
    page.get_by_label("Commentary").fill("Interviews booked.")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_role("status")).to_contain_text("Update submitted for approval")
    first = Submission.objects.get(milestone=team)
    page.reload()
    expect(page.get_by_label("Commentary")).to_have_value("Interviews booked.")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_load_state()
    waiting = Submission.objects.filter(milestone=team, state=SubmissionState.SUBMITTED)
    assert list(waiting.values_list("pk", flat=True)) == [first.pk]
