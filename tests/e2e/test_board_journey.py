from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeds():
    call_command("load_seeds", stdout=StringIO())


def test_a_board_member_goes_from_the_strategy_down_to_a_measure_chart(
    page: Page, live_server, board_member, seeds, sign_in
):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    sign_in(page, "board")

    page.get_by_role("link", name="Mid and South Essex Community Care Unit Strategic Plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mid and South Essex Community Care Unit Strategic Plan"
    )
    expect(page.get_by_text("Status as at")).to_be_visible()
    # Every priority carries its status in words, not only in colour.
    priorities = page.get_by_role("table").first
    expect(priorities.locator(".rag-reason")).to_have_count(4)
    expect(priorities.locator(".rag-reason").first).not_to_be_empty()
    assert serious_accessibility_violations(page) == []

    page.get_by_role(
        "link", name="1. We will deliver safe, high quality integrated care services"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priority 1")
    page.get_by_role(
        "link", name="Dementia Intensive Support – average monthly referrals"
    ).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dementia Intensive Support – average monthly referrals"
    )
    expect(page.locator("#trend-chart svg.main-svg").first).to_be_attached()
    expect(page.locator("#trend-chart")).to_have_attribute("data-rendered", "true")
    values = page.get_by_role("table", name="Values of Dementia Intensive Support")
    expect(values).to_contain_text("1,182")
    expect(values).to_contain_text("588")
    assert serious_accessibility_violations(page) == []
    assert console_errors == []
