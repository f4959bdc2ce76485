"""Assurance beside delivery, in the browser: an Admin adds a strategic risk to the
illustrative strategy, scores it and links it to two objectives; the board member sees it on
the heat map and on both objectives, and in the next quarter's report once it is rescored. An
Admin rates a measure's data quality, and the kite mark shows beside its SPC icons. Each form
is saved, reloaded and saved again unchanged; axe finds nothing serious on any page."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.e2e
SLUG = "example-community-health"


def _close(example, quarter):
    from reporting import cycle

    period = cycle.schedule(example, quarter, *cycle.default_window(quarter), by=None)
    cycle.open_period(period, by=None)
    return cycle.close_period(period, by=None, today=quarter.end + dt.timedelta(days=1))


def test_an_admin_adds_a_risk_and_the_board_sees_it_move(page: Page, live_server, example, sign_in):
    from reporting.quarters import Quarter

    last = Quarter.containing(dt.date.today()).previous()
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/strategies/{SLUG}/")
    page.get_by_role("link", name="0 open risks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    problems = {"empty register": serious_accessibility_violations(page)}
    page.get_by_role("link", name="Add a risk").click()
    page.get_by_label("Title").fill("Not enough community nurses")
    page.get_by_label("Cause").fill("Because of national shortages of community nurses")
    page.get_by_label("Risk event").fill("there is a risk that crisis calls go unanswered")
    page.get_by_label("Effect").fill("resulting in avoidable admissions to hospital")
    page.get_by_label("Risk owner").select_option(label="Ada Admin")
    page.get_by_label("Review date").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    page.get_by_label("Objective 1.1:").check()
    page.get_by_label("Objective 1.2:").check()
    for field, value in [
        ("Inherent likelihood", "5"),
        ("Inherent impact", "4"),
        ("Current likelihood", "4"),
        ("Current impact", "4"),
        ("Target likelihood", "2"),
        ("Target impact", "2"),
    ]:
        page.get_by_label(field).select_option(value)
    page.get_by_label("Appetite").select_option("cautious")
    page.get_by_label("Controls", exact=True).fill("Agency cover rota")
    page.locator("#id_actions-0-description").fill("Run a recruitment campaign")
    page.locator("#id_actions-0-due_date").fill(
        (dt.date.today() + dt.timedelta(days=90)).isoformat()
    )
    problems["form"] = serious_accessibility_violations(page)
    page.get_by_role("button", name="Add the risk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("R1: Not enough community nurses")
    expect(page.get_by_text("Above appetite").first).to_be_visible()
    problems["risk"] = serious_accessibility_violations(page)

    # Save, reload, save again unchanged.
    page.get_by_role("link", name="Change this risk").click()
    expect(page.get_by_label("Objective 1.2:")).to_be_checked()
    expect(page.get_by_label("Current likelihood")).to_have_value("4")
    expect(page.locator("#id_actions-0-description")).to_have_value("Run a recruitment campaign")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Nothing had changed, so nothing was saved.")).to_be_visible()
    page.get_by_role("link", name="Change this risk").click()
    page.reload()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Nothing had changed, so nothing was saved.")).to_be_visible()

    # The quarter closes with the risk at 16.
    _close(example, last.previous())

    board = page.context.browser.new_context().new_page()
    sign_in(board, "board")
    board.goto(f"{live_server.url}/strategies/{SLUG}/risks/")
    heat = board.get_by_role("table", name="The risks below by their current likelihood")
    cell = heat.get_by_role("row", name="4 Likely").get_by_role("cell").nth(3)
    expect(cell).to_contain_text("16 Extreme")
    expect(cell.get_by_role("link", name="R1")).to_be_visible()
    problems["register"] = serious_accessibility_violations(board)
    for objective in ("1", "2"):
        board.goto(f"{live_server.url}/strategies/{SLUG}/priorities/1/objectives/{objective}/")
        expect(board.get_by_role("link", name="R1: Not enough community nurses")).to_be_visible()
    problems["objective"] = serious_accessibility_violations(board)

    # The Admin rescores it; the next quarter's report says it moved.
    page.get_by_role("link", name="Change this risk").click()
    page.get_by_label("Current likelihood").select_option("2")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved R1.")).to_be_visible()
    period = _close(example, last)
    board.goto(f"{live_server.url}/strategies/{SLUG}/periods/{period.pk}/report/")
    moved = board.locator("#risks-moved + ul")
    expect(moved).to_contain_text(
        "R1: Not enough community nurses: score down from 16 (extreme) to 8 (high)"
    )
    problems["report"] = serious_accessibility_violations(board)
    assert problems == {name: [] for name in problems}


def test_an_admin_rates_a_measures_data_quality(page: Page, live_server, example, sign_in):
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/measures/EX-UCR-2HR/")
    expect(page.get_by_text("Data quality not rated").first).to_be_visible()
    page.get_by_role("link", name="Rate its data quality").click()
    for dimension, rating in [
        ("Timeliness", "Met"),
        ("Completeness", "Met"),
        ("Validity", "Partly met"),
        ("Process", "Met"),
        ("Source", "Met"),
        ("Sign-off", "Not met"),
    ]:
        page.get_by_role("group", name=dimension).get_by_label(rating, exact=True).check()
    page.get_by_label("Note").fill("Checked against the national return.")
    problems = serious_accessibility_violations(page)
    page.get_by_role("button", name="Save the rating").click()
    expect(page.get_by_text("Data-quality rating saved.")).to_be_visible()
    summary = "Data quality: 4 met, 1 partly met, 1 not met"
    expect(page.get_by_text(summary).first).to_be_visible()

    page.get_by_role("link", name="Rate it again").click()
    page.reload()
    expect(
        page.get_by_role("group", name="Validity").get_by_label("Partly met", exact=True)
    ).to_be_checked()
    page.get_by_role("button", name="Save the rating").click()
    expect(page.get_by_text("Nothing had changed, so nothing was saved.")).to_be_visible()

    page.goto(f"{live_server.url}/strategies/{SLUG}/")
    expect(page.get_by_text(summary).first).to_be_visible()
    assert problems + serious_accessibility_violations(page) == []


def test_a_second_save_shows_what_the_first_changed_and_keeps_both(
    page: Page, browser, live_server, example, sign_in
):
    from risks.models import Risk
    from tests.factories import make_risk

    make_risk(example.priorities.get(number=1).objectives.get(number=1), title="Estates backlog")
    url = f"{live_server.url}/strategies/{SLUG}/risks/1/edit/"
    # A second Admin session opens the form first and starts typing.
    other = browser.new_context().new_page()
    sign_in(other, "admin")
    other.goto(url)
    other.get_by_label("Controls", exact=True).fill("Weekly estates review")

    sign_in(page, "admin")
    page.goto(url)
    page.get_by_label("Title").fill("Estates backlog in two hubs")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved R1.")).to_be_visible()

    other.get_by_role("button", name="Save changes").click()
    expect(other.get_by_role("alert")).to_contain_text("Someone else saved this risk")
    table = other.get_by_role("table", name="Each field that differs")
    expect(table.get_by_role("row", name="Title")).to_contain_text("Estates backlog in two hubs")
    expect(other.get_by_label("Controls", exact=True)).to_have_value("Weekly estates review")
    problems = serious_accessibility_violations(other)
    # They take the saved title into their form and save again: both changes stand.
    other.get_by_label("Title").fill("Estates backlog in two hubs")
    other.get_by_role("button", name="Save changes").click()
    expect(other.get_by_text("Saved R1.")).to_be_visible()
    risk = Risk.objects.get(strategy=example, number=1)
    assert (risk.title, risk.controls) == ("Estates backlog in two hubs", "Weekly estates review")
    assert problems == []
    other.context.close()
