"""A person makes an API token in the browser, reads figures with it from the command line
(curl), and revoking it stops it."""

import json
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e


def _curl(url: str, key: str) -> tuple[int, str]:
    done = subprocess.run(
        ["curl", "-s", "-w", "\n%{http_code}", "-H", f"Authorization: Bearer {key}", url],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    body, _, status = done.stdout.rpartition("\n")
    return int(status), body


def test_a_token_made_in_the_browser_reads_values_with_curl_until_it_is_revoked(
    page: Page, live_server, sign_in, board_member
):
    import datetime as dt

    from measures.models import MeasureValue

    measure = make_measure(make_objective(make_priority(make_strategy())), code="M1")
    MeasureValue.objects.create(measure=measure, period_end=dt.date(2024, 6, 30), value=7)
    sign_in(page, "board")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Name").fill("Power BI")
    page.get_by_role("button", name="Make the token").click()
    key = page.locator("code.api-key").inner_text().strip()
    assert key.startswith("st_")

    status, body = _curl(f"{live_server.url}/api/v1/values/?measure=M1", key)
    assert status == 200
    assert [(v["measure"], v["period_end"]) for v in json.loads(body)["results"]] == [
        ("M1", "2024-06-30")
    ]

    # The same name again is refused; the list shows the one token, unchanged.
    page.goto(f"{live_server.url}/api/tokens/")
    expect(page.locator("code.api-key")).to_have_count(0)
    page.get_by_label("Name").fill("Power BI")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_text("You have a token called “Power BI” already.")).to_be_visible()
    page.goto(f"{live_server.url}/api/tokens/")
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the one token

    page.get_by_role("button", name="Revoke Power BI").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    status, _ = _curl(f"{live_server.url}/api/v1/values/", key)
    assert status == 401


def test_a_double_click_makes_one_token_and_shows_its_key(page: Page, sign_in, board_member):
    """The second click used to send the form again: the page then said "You have a token
    called … already" and the key, shown only once, was never seen."""
    from api.models import ApiToken

    sign_in(page, "board")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Power BI")
    # A second click 50 ms after the first: its request is on its way, the page still shown.
    page.evaluate(
        """() => {
            const button = [...document.querySelectorAll("button")]
                .find((b) => b.textContent.trim() === "Make the token");
            button.click();
            setTimeout(() => button.click(), 50);
        }"""
    )
    expect(page.locator("code.api-key")).to_have_count(1)
    assert page.locator("code.api-key").inner_text().strip().startswith("st_")
    expect(page.get_by_text("already")).to_have_count(0)
    assert ApiToken.objects.filter(name="Power BI").count() == 1


def test_a_new_password_says_the_token_still_works_and_leads_to_revoking_it(
    page: Page, sign_in, board_member
):
    """Changing a password ends every other sign-in, not a token: the page says so, and its
    link leads to the token's Revoke button."""
    from api.models import ApiToken
    from conftest import TEST_PASSWORD

    ApiToken.issue(board_member, "Power BI", days=30)
    sign_in(page, "board")
    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Current password").fill(TEST_PASSWORD)
    page.get_by_label("New password", exact=True).fill("A-new-board-password-7")
    page.get_by_label("New password again").fill("A-new-board-password-7")
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")
    expect(page.get_by_text("Your 1 read-API token still works")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Revoke any you no longer trust").click()
    page.get_by_role("button", name="Revoke Power BI").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    assert ApiToken.usable_count(board_member) == 0
