import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from strategy_tracker.roles import PROGRAMME_LEAD
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e


@pytest.fixture
def milestone(programme_lead, make_user, admin_user):
    strategy = make_strategy(slug="eput", title="EPUT plan")
    objective = make_objective(make_priority(strategy, number=1), number=1, title="Eradicate waits")
    milestone = make_milestone(
        objective,
        title="Clear the Lighthouse backlog",
        due_date=timezone.localdate() + dt.timedelta(days=120),
        owner=programme_lead,
    )
    deputy = make_user("deputy", PROGRAMME_LEAD, first_name="Dee", last_name="Deputy")
    milestone.assign(by=admin_user, add_delegates=[deputy])
    return milestone


def test_a_lead_updates_a_milestone_and_a_concurrent_edit_is_shown_the_conflict(
    page: Page, browser: Browser, live_server, milestone, sign_in
):
    # The delegate opens the same milestone in another browser first, and starts typing.
    other = browser.new_context().new_page()
    sign_in(other, "deputy")
    other.goto(live_server.url + milestone.get_absolute_url())
    other.get_by_label("Status").select_option(label="Off track")
    other.get_by_label("Commentary").fill("Deputy's note, typed at the same time.")

    sign_in(page, "lead")
    expect(page.get_by_role("heading", level=1)).to_have_text("My milestones")
    page.get_by_role("link", name="Clear the Lighthouse backlog").click()
    assert serious_accessibility_violations(page) == []
    forecast = milestone.due_date + dt.timedelta(days=45)
    page.get_by_label("Status").select_option(label="At risk")
    page.get_by_label("Commentary").fill("Recruitment is slower than planned.")
    page.get_by_label("Forecast date").fill(forecast.isoformat())
    page.get_by_role("button", name="Save update").click()

    expect(page.get_by_role("status")).to_contain_text("Milestone updated.")
    status = page.locator("#milestone-status")
    expect(status).to_contain_text("Amber")
    expect(status).to_contain_text("reported at risk")
    history = page.get_by_role("table", name="Changes, newest first")
    expect(history.locator("tbody tr").first).to_contain_text("Lee Lead")
    expect(history.locator("tbody tr").first).to_contain_text("Not started → At risk")

    # Now the delegate saves what they typed: they see the conflict and keep their text.
    other.get_by_role("button", name="Save update").click()
    expect(other.get_by_role("alert")).to_contain_text(
        "This milestone changed while you were editing it"
    )
    expect(other.get_by_role("alert")).to_contain_text("Recruitment is slower than planned.")
    expect(other.get_by_label("Commentary")).to_have_value("Deputy's note, typed at the same time.")
    milestone.refresh_from_db()
    assert milestone.commentary == "Recruitment is slower than planned."
    other.context.close()


def test_a_long_pasted_commentary_is_refused_whole_not_cut(
    page: Page, live_server, milestone, sign_in
):
    """The box's maxlength cut 10,000 pasted characters to 2,000 and the page said
    "Milestone updated"."""
    sign_in(page, "lead")
    page.goto(live_server.url + milestone.get_absolute_url())
    assert page.locator("textarea[maxlength], input[maxlength]").count() == 0
    long = "Why it slipped. " * 200  # 3,200 characters
    page.get_by_label("Status").select_option(label="At risk")
    page.get_by_label("Commentary").fill(long)
    page.get_by_role("button", name="Save update").click()
    expect(page.locator("#id_commentary-error-1")).to_contain_text("2000 characters or fewer")
    assert page.get_by_label("Commentary").input_value().strip() == long.strip()
    milestone.refresh_from_db()
    assert milestone.commentary == ""
