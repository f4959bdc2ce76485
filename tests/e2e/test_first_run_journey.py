"""The first run as a new team meets it: the illustrative strategy, a lead's update, and the
board seeing it among the exceptions."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from milestones.models import Milestone
from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.e2e
LABEL = "Illustrative data — not from a published document"


def test_an_update_on_the_example_reaches_the_board(
    browser: Browser, live_server, example, programme_lead, sign_in
):
    today = timezone.localdate()
    milestone = (
        Milestone.objects.for_strategy(example)
        .filter(owner=programme_lead, status="on_track", due_date__gt=today + dt.timedelta(60))
        .order_by("due_date")
        .first()
    )
    forecast = milestone.due_date + dt.timedelta(days=61)

    # An Admin finds the example on the list, labelled as made up.
    admin = browser.new_context().new_page()
    sign_in(admin, "admin")
    admin.get_by_role("link", name=example.title).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(example.title)
    expect(admin.get_by_role("note").first).to_contain_text(LABEL)
    admin.context.close()

    # The lead finds it among their milestones and updates it twice.
    lead = browser.new_context().new_page()
    sign_in(lead, "lead")
    expect(lead.get_by_role("heading", level=1)).to_have_text("My milestones")
    expect(lead.locator("main")).to_contain_text(LABEL)
    lead.get_by_role("link", name=milestone.title).click()
    lead.get_by_label("Status").select_option(label="At risk")
    lead.get_by_label("Commentary").fill("The supplier has not confirmed a start date.")
    lead.get_by_label("Forecast date").fill(forecast.isoformat())
    lead.get_by_role("button", name="Save update").click()
    expect(lead.get_by_role("status")).to_contain_text("Milestone updated.")
    # A week on: only the commentary changes; the forecast shown is the one saved.
    expect(lead.get_by_label("Forecast date")).to_have_value(forecast.isoformat())
    lead.get_by_label("Commentary").fill("Start date confirmed for next month; still late.")
    lead.get_by_role("button", name="Save update").click()
    expect(lead.get_by_role("status")).to_contain_text("Milestone updated.")
    milestone.refresh_from_db()
    assert (milestone.status, milestone.forecast_date) == ("at_risk", forecast)
    lead.context.close()

    # The board member sees the new status, the owner and the lead's words on the dashboard.
    board = browser.new_context().new_page()
    sign_in(board, "board")
    board.get_by_role("link", name=example.title).click()
    row = board.locator("table.exceptions tbody tr").filter(has_text=milestone.title)
    expect(row).to_contain_text("Lee Lead")
    expect(row).to_contain_text("Amber")
    expect(row).to_contain_text("Reported at risk")
    expect(row).to_contain_text(f"forecast {forecast.day} {forecast:%b %Y}")
    expect(row).to_contain_text("Start date confirmed for next month; still late.")
    assert serious_accessibility_violations(board) == []
    board.context.close()
