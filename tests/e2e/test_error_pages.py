import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_strategy

pytestmark = pytest.mark.e2e


def test_a_lead_opening_the_import_page_is_told_why_and_can_go_back(
    page: Page, live_server, programme_lead, sign_in
):
    make_strategy()  # an organisation they are a programme lead of
    sign_in(page, "lead")
    expect(page.get_by_role("heading", level=1)).to_have_text("My milestones")
    came_from = page.url

    # As if following a link or bookmark to the Admins' import page from here.
    response = page.goto(f"{live_server.url}/measures/import/", referer=came_from)

    assert response is not None and response.status == 403
    expect(page).to_have_title("You cannot do this · Strategy Tracker")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    expect(page.get_by_role("banner")).to_contain_text("Lee Lead (Programme lead)")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    expect(page.get_by_role("main")).to_contain_text(
        "Your account has the role Programme lead, which does not allow you"
    )
    expect(page.get_by_role("main")).to_contain_text(
        "ask an Admin of your organisation, or your site administrator, to give your account access"
    )
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Go back to the page you were on").click()
    expect(page).to_have_url(came_from)
    expect(page.get_by_role("heading", level=1)).to_have_text("My milestones")
