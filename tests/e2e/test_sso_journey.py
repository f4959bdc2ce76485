"""Signing in through the organisation's own accounts: a real OpenID Connect provider on this
machine (tests/oidc_provider), its sign-in page driven in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from objectives.models import Organisation
from sso.models import GroupRole
from strategy_tracker.roles import BOARD_MEMBER
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_strategy
from tests.oidc_provider import oidc_provider  # noqa: F401

pytestmark = pytest.mark.e2e


def test_a_board_member_signs_in_through_the_provider_lands_with_their_role_and_signs_out(
    page: Page,
    live_server,
    settings,
    oidc_provider,  # noqa: F811
):
    callback = f"{live_server.url}/accounts/sso/callback/"
    provider = oidc_provider(
        [
            {
                "client_id": "strategy-tracker",
                "client_secret": "local-test-secret",
                "redirect_uris": [callback],
                "post_logout_redirect_uris": [f"{live_server.url}/accounts/login/"],
            }
        ],
        {
            "bola": {
                "email": "bola.board@nhs.example",
                "email_verified": True,
                "name": "Bola Board",
                "groups": ["st-board"],
            }
        },
    )
    settings.OIDC_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_CLIENT_ID = "strategy-tracker"
    settings.OIDC_CLIENT_SECRET = "local-test-secret"
    settings.OIDC_PROVIDER_NAME = "the test provider"
    settings.OIDC_SCOPES = "openid email profile groups"
    settings.OIDC_ALLOWED_DOMAINS = ["nhs.example"]
    trust = Organisation.objects.create(name="Trust")
    GroupRole.objects.create(group="st-board", organisation=trust, role=BOARD_MEMBER)
    make_strategy(title="Published plan", organisation=trust)
    council = make_strategy(title="Council plan", slug="council-plan")

    page.goto(f"{live_server.url}/accounts/login/")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Sign in with the test provider").click()
    # The provider's own pages: its sign-in, then consent for this app.
    page.locator("input[name=login]").fill("bola")
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Strategies")
    expect(page.get_by_text("Bola Board (Board member)")).to_be_visible()
    expect(page.get_by_role("link", name="Published plan")).to_be_visible()
    # Another organisation's strategy is not there for her.
    expect(page.get_by_role("link", name="Council plan")).to_have_count(0)
    assert page.goto(f"{live_server.url}{council.get_absolute_url()}").status == 404
    # Where a board member's role does not reach, the app says so.
    assert page.goto(f"{live_server.url}/edit/new/").status == 403
    expect(page.get_by_text("Only Admins build and edit strategies")).to_be_visible()

    page.goto(f"{live_server.url}/strategies/")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # at the provider
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert page.goto(f"{live_server.url}/strategies/").url.startswith(
        f"{live_server.url}/accounts/login/"
    )
