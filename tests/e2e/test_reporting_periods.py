"""An Admin runs a strategy's reporting periods in the browser: schedules the next quarter,
changes its dates (save, reload, save again unchanged), opens it, closes it; a second close
is refused in words."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from reporting.models import ReportingPeriod
from tests.e2e.conftest import serious_accessibility_violations
from tests.e2e.test_forms_round_trip import differences, history_counts, stored_rows
from tests.factories import make_strategy

pytestmark = pytest.mark.e2e


def test_an_admin_schedules_dates_opens_and_closes_a_quarter(
    page: Page, live_server, sign_in, admin_user
):
    make_strategy(slug="s", title="Better Health", period_start=dt.date(2023, 4, 1))
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/strategies/s/")
    page.get_by_role("link", name="Reporting periods").click()
    expect(page.get_by_role("heading", name="Reporting periods")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Quarter").fill("2024/25 Q2")
    page.get_by_label("Opens on").fill("2024-09-16")
    page.get_by_label("Closes on").fill("2024-10-21")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("status")).to_contain_text(
        "2024/25 Q2 is scheduled. Its opening day, 16 September 2024, has passed"
    )
    period = ReportingPeriod.objects.get()

    row = page.locator(f"#period-{period.pk}")
    row.get_by_text("Change the dates of 2024/25 Q2").click()
    row.get_by_label("Closes on").fill("2024-10-31")
    row.get_by_role("button", name="Save the dates of 2024/25 Q2").click()
    expect(page.get_by_role("status")).to_contain_text("The dates of 2024/25 Q2 are saved.")
    period.refresh_from_db()
    assert period.closes_on == dt.date(2024, 10, 31)

    page.reload()
    row.get_by_text("Change the dates of 2024/25 Q2").click()
    expect(row.get_by_label("Opens on")).to_have_value("2024-09-16")
    expect(row.get_by_label("Closes on")).to_have_value("2024-10-31")
    before, histories = stored_rows(), history_counts()
    row.get_by_role("button", name="Save the dates of 2024/25 Q2").click()
    expect(page.get_by_role("status")).to_contain_text("The dates of 2024/25 Q2 are as they were.")
    assert differences(before, stored_rows()) == set()
    assert history_counts() == histories

    # Another Admin's tab, opened before this one saves again: its dates are refused, shown
    # beside what was saved, and saved only when sent again.
    other = page.context.new_page()
    other.goto(page.url)
    row.get_by_text("Change the dates of 2024/25 Q2").click()
    row.get_by_label("Closes on").fill("2024-11-15")
    row.get_by_role("button", name="Save the dates of 2024/25 Q2").click()
    expect(page.get_by_role("status")).to_contain_text("The dates of 2024/25 Q2 are saved.")
    other_row = other.locator(f"#period-{period.pk}")
    other_row.get_by_text("Change the dates of 2024/25 Q2").click()
    other_row.get_by_label("Opens on").fill("2024-09-20")
    other_row.get_by_role("button", name="Save the dates of 2024/25 Q2").click()
    other_row = other.locator(f"#period-{period.pk}")
    expect(other.get_by_role("alert")).to_contain_text("someone changed the dates of 2024/25 Q2")
    compare = other_row.get_by_role("table", name="Each field that differs")
    expect(compare).to_contain_text("2024-11-15")
    expect(other_row.get_by_label("Opens on")).to_have_value("2024-09-20")
    period.refresh_from_db()
    assert (period.opens_on, period.closes_on) == (dt.date(2024, 9, 16), dt.date(2024, 11, 15))
    assert serious_accessibility_violations(other) == []
    other_row.get_by_label("Closes on").fill("2024-11-15")  # keeps the first Admin's date
    other_row.get_by_role("button", name="Save the dates of 2024/25 Q2").click()
    expect(other.get_by_role("status")).to_contain_text("The dates of 2024/25 Q2 are saved.")
    period.refresh_from_db()
    assert (period.opens_on, period.closes_on) == (dt.date(2024, 9, 20), dt.date(2024, 11, 15))
    other.close()
    page.reload()

    row.get_by_role("button", name="Open 2024/25 Q2 now").click()
    expect(page.get_by_role("status")).to_contain_text("2024/25 Q2 is open")
    expect(row).to_contain_text("Open")
    # A second tab still shows the Close button after the first has closed the quarter.
    second = page.context.new_page()
    second.goto(page.url)
    row.get_by_label("Closing is final").check()
    row.get_by_role("button", name="Close 2024/25 Q2").click()
    expect(page.get_by_role("status")).to_contain_text("2024/25 Q2 is closed.")
    expect(row).to_contain_text("Closed")
    expect(row.get_by_text("Change the dates of 2024/25 Q2")).to_have_count(0)

    before = stored_rows()
    second.get_by_label("Closing is final").check()
    second.get_by_role("button", name="Close 2024/25 Q2").click()
    expect(second.get_by_role("alert")).to_contain_text("2024/25 Q2 was already closed on")
    assert differences(before, stored_rows()) == set()
