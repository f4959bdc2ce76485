"""Text typed into a strategy is shown on its charts as text, never as markup."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e
LINK = '<a href="https://e.example">Login</a>'


def test_a_title_that_looks_like_a_link_is_drawn_as_text_on_the_timeline(
    page: Page, live_server, board_member, sign_in
):
    strategy = make_strategy(slug="hostile")
    priority = make_priority(strategy, number=1, title=LINK)
    make_milestone(
        make_objective(priority, number=1),
        title=f"Launch {LINK}",
        due_date=timezone.localdate() + dt.timedelta(days=60),
    )
    sign_in(page, "board")
    page.goto(f"{live_server.url}/strategies/hostile/")
    chart = page.locator("#timeline-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    assert chart.locator("a").count() == 0
    expect(chart.locator(".ytick").first).to_contain_text('<a href="https://e.example">')


def test_no_chart_offers_to_send_its_data_to_plotly_s_cloud(
    page: Page, live_server, board_member, sign_in
):
    strategy = make_strategy(slug="figures")
    make_milestone(
        make_objective(make_priority(strategy, number=1), number=1),
        title="Open the hub",
        due_date=timezone.localdate() + dt.timedelta(days=60),
    )
    sign_in(page, "board")
    page.goto(f"{live_server.url}/strategies/figures/")
    chart = page.locator("#timeline-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    chart.hover()  # the toolbar shows on hover
    expect(chart.locator(".modebar-btn").first).to_be_visible()
    assert chart.locator(".modebar-btn").count() > 0
    assert chart.locator('[data-title*="Share"], [data-title*="Chart Studio"]').count() == 0
    sizes = chart.locator(".modebar-btn").evaluate_all(
        "buttons => buttons.map(b => [b.getBoundingClientRect().width, "
        "b.getBoundingClientRect().height])"
    )
    assert all(w >= 24 and h >= 24 for w, h in sizes), sizes  # WCAG 2.2's smallest target


def test_a_timeline_of_one_status_keeps_its_key_and_no_tick_repeats_a_month(
    page: Page, live_server, board_member, sign_in
):
    """Plotly hides a legend of one trace, so a strategy whose milestones were all one colour
    had no key to its markers; and "%b %Y" under weekly ticks read "Dec 2026, Dec 2026"."""
    strategy = make_strategy(slug="one-colour")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    for days in (40, 75):
        make_milestone(
            objective, title=f"Step {days}", due_date=timezone.localdate() + dt.timedelta(days)
        )
    sign_in(page, "board")
    page.goto(f"{live_server.url}/strategies/one-colour/")
    chart = page.locator("#timeline-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(chart.locator(".legend .traces")).to_have_count(1)
    ticks = chart.locator(".xtick text").evaluate_all("ts => ts.map(t => t.textContent)")
    assert len(ticks) > 1 and len(ticks) == len(set(ticks)), ticks


def test_a_timeline_of_a_day_or_two_never_repeats_a_day_and_its_key_is_no_switch(
    page: Page, live_server, board_member, sign_in
):
    """One milestone due tomorrow gave ticks every three hours, each "2 Dec 2026"; and a
    click on the key hid every marker."""
    strategy = make_strategy(slug="tomorrow")
    make_milestone(
        make_objective(make_priority(strategy, number=1), number=1),
        title="Sign the contract",
        due_date=timezone.localdate() + dt.timedelta(days=1),
    )
    sign_in(page, "board")
    page.goto(f"{live_server.url}/strategies/tomorrow/")
    chart = page.locator("#timeline-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    ticks = chart.locator(".xtick text").evaluate_all("ts => ts.map(t => t.textContent)")
    assert len(ticks) > 1 and len(ticks) == len(set(ticks)), ticks
    chart.locator(".legend .traces").first.click()
    expect(chart.locator(".scatterlayer .point")).to_have_count(1)
