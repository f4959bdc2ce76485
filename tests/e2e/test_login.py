import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_strategy

pytestmark = pytest.mark.e2e


def test_a_board_member_signs_in_and_sees_the_strategies(page: Page, live_server, board_member):
    make_strategy(title="Stronger Together: Thurrock Health and Well-Being Strategy")

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Username").fill("board")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Strategies")
    expect(
        page.get_by_role("link", name="Stronger Together: Thurrock Health and Well-Being Strategy")
    ).to_be_visible()
    expect(page.get_by_text("Bola Board (Board member)")).to_be_visible()


def test_a_wrong_password_gets_a_clear_message(page: Page, live_server, board_member, sign_in):
    sign_in(page, "board", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text(
        "Please enter a correct username and password"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("Username")).to_have_value("board")


def test_signing_out_returns_to_the_sign_in_page(page: Page, live_server, board_member, sign_in):
    sign_in(page, "board")
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto(f"{live_server.url}/strategies/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/strategies/")
