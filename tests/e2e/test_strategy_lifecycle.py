"""An Admin publishes a draft from its dashboard and later closes it; a board member sees it
only once it is published."""

import pytest
from playwright.sync_api import Page, expect

from objectives.models import Strategy
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e


def test_an_admin_publishes_then_closes_a_strategy_and_the_board_sees_it(
    page: Page, live_server, sign_in, admin_user, board_member
):
    strategy = make_strategy(status="draft", slug="new-plan", title="New plan")
    make_milestone(make_objective(make_priority(strategy, number=1)), title="Open the hub")
    dashboard = live_server.url + strategy.get_absolute_url()

    sign_in(page, "board")
    assert page.goto(dashboard).status == 404  # a draft is for Admins only

    sign_in(page, "admin")
    page.goto(dashboard)
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Publish this strategy").click()
    expect(page.get_by_role("status")).to_contain_text("New plan is published.")
    page.reload()
    expect(page.locator("#strategy-status")).to_contain_text("by Ada Admin")
    expect(page.get_by_role("button", name="Publish this strategy")).to_have_count(0)

    sign_in(page, "board")
    assert page.goto(dashboard).status == 200
    expect(page.locator("#strategy-status")).to_contain_text("Published; published")
    expect(page.get_by_role("button", name="Close this strategy")).to_have_count(0)

    sign_in(page, "admin")
    page.goto(dashboard)
    page.get_by_role("button", name="Close this strategy").click()  # without the tick
    expect(page.get_by_role("alert").or_(page.get_by_role("status"))).to_contain_text(
        "Closing is final"
    )
    assert Strategy.objects.get(pk=strategy.pk).status == "published"
    page.get_by_label("Closing is final").check()
    page.get_by_role("button", name="Close this strategy").click()
    expect(page.get_by_role("status")).to_contain_text("New plan is closed.")
    assert Strategy.objects.get(pk=strategy.pk).status == "closed"
    expect(page.get_by_role("button", name="Close this strategy")).to_have_count(0)
