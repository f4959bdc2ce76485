"""An accessibility (WCAG 2.2 AA) and 390 px pass over the pages the twenty-fifth session
changed or added, in headless Chromium with axe."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from milestones.models import Submission
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
# What leads paste into a commentary: a link to the evidence, one long word to a browser.
LINK = (
    "https://nhsexample.sharepoint.com/sites/CommunityServices/Shared%20Documents/"
    "UrgentCommunityResponse/2026-27/Q2/falls-pickup-pilot-evaluation-final-v3.docx"
)


def test_updates_to_approve_fits_a_phone_when_a_commentary_holds_a_link(
    page: Page, live_server, sign_in, programme_lead, make_user
):
    """WCAG 1.4.10 (reflow): the "Now / Update sent" table of each waiting update grows as
    wide as the longest word in it, so one pasted link makes the whole page scroll sideways
    on a phone (1,063 px wide at 390 px): every other word, button and box beside it too."""
    approver = make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")
    strategy = make_strategy(slug="s", requires_approval=True)
    strategy.approvers.add(approver)
    objective = make_objective(make_priority(strategy, number=1), number=1)
    milestone = make_milestone(
        objective, title="Open the hub", owner=programme_lead, due_date=dt.date(2030, 1, 1)
    )
    Submission.objects.create(
        milestone=milestone,
        status="at_risk",
        commentary=f"Evidence: {LINK}",
        base_version=milestone.version,
        submitted_by=programme_lead,
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "approver")
    page.goto(f"{live_server.url}/milestones/approvals/")
    expect(page.get_by_role("heading", name="Open the hub")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a 390 px phone"


def test_the_read_apis_browsable_pages_and_docs_have_no_serious_axe_findings(
    page: Page, live_server, sign_in, board_member
):
    """The pages the session's journey now visits (test_api_pages.py) without axe: no page
    language (3.1.1), an unnamed "format" button (4.1.2), a JSON box that scrolls but cannot
    be reached by keyboard (2.1.1), contrast, nested controls and 24 px targets in Swagger UI."""
    make_objective(make_priority(make_strategy(), title="Healthy lives"))
    page.set_viewport_size(PHONE)
    sign_in(page, "board")
    problems = []
    for url in ("/api/v1/priorities/", "/api/v1/docs/"):
        page.goto(f"{live_server.url}{url}")
        if url.endswith("docs/"):
            expect(page.get_by_text("Strategy Tracker read API").first).to_be_visible()
        problems += [f"{url}: {v}" for v in serious_accessibility_violations(page)]
    assert problems == [], "\n".join(problems)


def _headings(page: Page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
        ".map(h => h.tagName + ' ' + h.textContent.trim())"
    )


def test_an_editor_screens_error_summary_heading_follows_its_h1(
    page: Page, live_server, sign_in, admin_user
):
    """editor/_form_errors.html always writes an h3. On New strategy (no outline) the page's
    headings go h1 then h3 (axe heading-order); on Add a measure, now that the h1 comes before
    the outline, "Nothing was saved" is an h3 under the outline's h2 "Outline", so a screen
    reader's list of headings files the errors under the outline."""
    strategy = make_strategy(slug="s", status="draft")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    sign_in(page, "admin")
    problems = []
    for url in ("/edit/new/", f"/edit/s/objective/{objective.pk}/measures/add/"):
        page.goto(f"{live_server.url}{url}")
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator(".error-summary")).to_be_focused()
        headings = _headings(page)
        levels = [int(h[1]) for h in headings]
        for i, heading in enumerate(headings):
            if "Nothing was saved" not in heading:
                continue
            # The heading just above the errors is the page's own (h1), or a section of the
            # form; never a level skipped, never the outline.
            if levels[i] > levels[i - 1] + 1 or headings[i - 1] == "H2 Outline":
                problems.append(f"{url}: {headings}")
    assert problems == [], "\n".join(problems)
