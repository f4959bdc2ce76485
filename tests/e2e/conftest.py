"""Browser journeys: Django's live server driven through Playwright in Debian's Chromium.

Playwright's own browser download does not work on our machines, so the tests launch
/usr/bin/chromium (installed by `make test`). If it is missing the tests fail; they never skip.
"""

import pytest
from playwright.sync_api import Page

from conftest import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(autouse=True)
def _e2e_database(transactional_db):
    """The live server runs in another thread, so test data must be committed."""


@pytest.fixture
def sign_in(live_server):
    def sign_in_as(page: Page, username: str, password: str = TEST_PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return sign_in_as


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(autouse=True)
def no_csp_violations(page: Page):
    """Every browser journey fails on any Content-Security-Policy violation."""
    violations: list[str] = []

    def watch(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    page.context.on("console", watch)
    page.on("console", watch)
    yield violations
    assert violations == [], violations


@pytest.fixture
def example(board_member, programme_lead, admin_user, make_user):
    """The seed strategies and the illustrative example, with its demo users."""
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from objectives.example_strategy import load_example
    from strategy_tracker.roles import PROGRAMME_LEAD

    call_command("load_seeds", stdout=StringIO())
    lead2 = make_user("lead2", PROGRAMME_LEAD, first_name="Lena", last_name="Second-Lead")
    users = {"admin": admin_user, "lead": programme_lead, "lead2": lead2}
    return load_example(timezone.localdate(), users)
