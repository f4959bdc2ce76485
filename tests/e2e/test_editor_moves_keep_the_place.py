"""Move up / Move down in the editor, by keyboard on a phone: the page comes back at the moved
item, not at its top with the header, the outline and the Details form to get through again."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_moving_a_milestone_leaves_the_keyboard_user_at_the_list_not_the_top(
    page: Page, live_server, sign_in, admin_user
):
    page.set_viewport_size(PHONE)
    strategy = make_strategy(status="draft")
    objective = make_objective(make_priority(strategy))
    first = make_milestone(
        objective, title="First milestone", position=1, due_date=dt.date(2027, 3, 31)
    )
    make_milestone(objective, title="Second milestone", position=2, due_date=dt.date(2027, 6, 30))
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/edit/{strategy.slug}/objective/{objective.pk}/")
    page.get_by_role("button", name=re.compile(r"Move down\W+First milestone")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("down")
    assert page.url.endswith(f"#milestone-{first.pk}")
    moved = page.locator(f"#milestone-{first.pk}")
    expect(
        moved.get_by_role("button", name=re.compile(r"Move up\W+First milestone"))
    ).to_be_in_viewport()
    # The next Tab goes on from the moved milestone, not from the top of the page.
    page.keyboard.press("Tab")
    expect(moved.get_by_role("link", name=re.compile(r"^First milestone"))).to_be_focused()
