"""A lead sends a quarterly return in the browser: two milestones updated, one confirmed, one
left; the page then shows what was saved, and sending it again untouched changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from milestones.models import Milestone
from reporting.quarters import Quarter
from reporting.tests.helpers import strategy_reporting
from tests.e2e.conftest import serious_accessibility_violations
from tests.e2e.test_forms_round_trip import differences, history_counts, stored_rows
from tests.factories import make_milestone

pytestmark = pytest.mark.e2e


def test_a_lead_sends_a_return_and_sending_it_again_untouched_changes_nothing(
    page: Page, live_server, sign_in, programme_lead
):
    today = timezone.localdate()
    _, objective = strategy_reporting("s", Quarter.containing(today))
    titles = ["Open the hub", "Hire the team", "Agree the plan", "Train the staff"]
    ms = [
        make_milestone(objective, title=t, owner=programme_lead, position=n, due_date=today)
        for n, t in enumerate(titles, 1)
    ]
    sign_in(page, "lead")
    page.get_by_role("link", name="Quarterly return").click()
    expect(page.locator("#still-to-update")).to_contain_text("4 of 4")
    assert serious_accessibility_violations(page) == []

    hub, team, plan, _ = (page.locator(f"#m{m.pk}") for m in ms)
    hub.get_by_label("Status").select_option("at_risk")
    hub.get_by_label("Commentary").fill("The builders are a month late.\nWe expect June.")
    hub.get_by_label("Forecast").fill((today + dt.timedelta(days=30)).isoformat())
    team.get_by_label("Status").select_option("on_track")
    team.get_by_label("Commentary").fill("Interviews booked.")
    plan.get_by_label("No change this quarter").check()
    page.get_by_role("button", name="Save my return").click()
    expect(page.get_by_role("status")).to_contain_text(
        "2 milestones updated and 1 confirmed as it was."
    )
    saved = {m.title: m for m in Milestone.objects.all()}
    assert saved["Open the hub"].commentary == "The builders are a month late.\nWe expect June."
    assert saved["Agree the plan"].last_updated_by == programme_lead
    assert saved["Train the staff"].last_updated_at is None
    expect(page.locator("#still-to-update")).to_contain_text("1 of 4")

    page.reload()
    expect(hub.get_by_label("Status")).to_have_value("at_risk")
    expect(hub.get_by_label("Commentary")).to_have_value(
        "The builders are a month late.\nWe expect June."
    )
    expect(hub.get_by_label("Forecast")).to_have_value((today + dt.timedelta(days=30)).isoformat())
    before, histories = stored_rows(), history_counts()
    page.get_by_role("button", name="Save my return").click()
    expect(page.get_by_role("status")).to_contain_text("Nothing was changed")
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories
