"""The read API's browsable pages and its documentation in the browser: drawn by libraries
(Django REST framework, Swagger UI) that write inline styles, which the policy allows there
and nowhere else but the chart pages (found by an attacker's pass: Chromium logged a
Content-Security-Policy violation for each, and no journey visited them)."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e


def test_the_browsable_api_and_its_documentation_break_no_policy(
    page: Page, live_server, sign_in, board_member
):
    # no_csp_violations (conftest) fails the test on any violation the pages cause.
    make_objective(make_priority(make_strategy(), title="Healthy lives"))
    sign_in(page, "board")
    page.goto(f"{live_server.url}/api/v1/priorities/")
    expect(page.get_by_text("Healthy lives")).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("Strategy Tracker read API").first).to_be_visible()
