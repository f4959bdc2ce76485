"""The read API's documentation (/api/v1/docs/, Swagger UI) once it is used: an operation
opened with "Try it out", and the Authorize dialog (WCAG 2.2 AA, checked with axe)."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e


def test_an_opened_operation_and_the_authorize_dialog_have_no_serious_axe_findings(
    page: Page, live_server, sign_in, board_member
):
    make_objective(make_priority(make_strategy(), title="Healthy lives"))
    sign_in(page, "board")
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("Strategy Tracker read API").first).to_be_visible()
    problems = []
    page.locator(".opblock-summary-control").filter(has_text="/api/v1/values/").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    page.get_by_role("button", name="Try it out").first.click()
    expect(page.get_by_role("button", name="Cancel").first).to_be_visible()
    problems += [f"operation: {v}" for v in serious_accessibility_violations(page)]
    page.locator("button.authorize").first.click()
    expect(page.locator(".dialog-ux")).to_be_visible()
    cross = page.locator(".dialog-ux button.close-modal")
    expect(cross).to_have_accessible_name("Close")  # an icon alone, named by api_docs.js
    problems += [f"authorize: {v}" for v in serious_accessibility_violations(page)]
    assert problems == [], "\n".join(problems)
    cross.click()
    expect(page.locator(".dialog-ux")).to_have_count(0)
    # Opened again (Swagger UI draws the dialog anew), its cross is named again.
    page.locator("button.authorize").first.click()
    expect(cross).to_have_accessible_name("Close")
