"""An Admin publishes the illustrative strategy to the public; a signed-out visitor reads its
closed quarter, page by page (axe finds nothing serious on any), and downloads its figures;
unpublishing takes it away."""

import csv
import datetime as dt
import io

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.e2e
SLUG = "example-community-health"


def _close_a_quarter(example):
    from reporting import cycle
    from reporting.quarters import Quarter

    quarter = Quarter.containing(dt.date.today()).previous()
    period = cycle.schedule(example, quarter, *cycle.default_window(quarter), by=None)
    cycle.open_period(period, by=None)
    cycle.close_period(period, by=None, today=quarter.end + dt.timedelta(days=1))
    return quarter


def test_an_admin_publishes_and_a_signed_out_visitor_reads_and_downloads(
    page: Page, browser: Browser, live_server, example, sign_in
):
    quarter = _close_a_quarter(example)
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/strategies/{SLUG}/")
    page.get_by_role("link", name="Public view").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Public view")
    expect(page.get_by_text("Not public.")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    # The settings: save, reload, save again unchanged.
    page.get_by_label("Licence of the organisation's open data").select_option("OGL-UK-3.0")
    page.get_by_label("Publish owners' commentary").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    page.reload()
    expect(page.get_by_label("Licence of the organisation's open data")).to_have_value("OGL-UK-3.0")
    expect(page.get_by_label("Publish owners' commentary")).to_be_checked()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("as they were")

    page.get_by_role("button", name="Publish to the public").click()
    expect(page.get_by_role("status")).to_contain_text("Published")
    expect(page.get_by_role("cell", name="Published to the public")).to_be_visible()

    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(f"{live_server.url}/public/")
    public.get_by_role("link", name=example.title).click()
    expect(public.get_by_role("heading", level=1)).to_have_text(example.title)
    expect(public.get_by_text("Illustrative data — not from a published document")).to_be_visible()
    expect(public.get_by_role("heading", name=quarter.label, exact=True)).to_be_visible()
    expect(public.get_by_role("link", name="Sign out")).to_have_count(0)
    problems = {"strategy": serious_accessibility_violations(public)}

    public.get_by_role("link", name="2. ").first.click()
    expect(public.get_by_role("heading", level=1)).to_contain_text("Priority 2")
    problems["priority"] = serious_accessibility_violations(public)
    public.get_by_role("link", name="2.1.").click()
    expect(public.get_by_role("heading", level=1)).to_contain_text("Objective 2.1")
    expect(public.get_by_role("heading", name="Milestones")).to_be_visible()
    for name in ("Lena Second-Lead", "Lee Lead", "Ada Admin"):
        expect(public.get_by_text(name)).to_have_count(0)
    problems["objective"] = serious_accessibility_violations(public)

    public.goto(f"{live_server.url}/public/{SLUG}/")
    public.get_by_role("link", name="Occupancy").first.click()
    expect(public.get_by_role("heading", name="The figures in the chart")).to_be_visible()
    expect(public.get_by_role("img", name="Trend and SPC chart")).to_be_visible()
    problems["measure"] = serious_accessibility_violations(public)

    public.goto(f"{live_server.url}/public/{SLUG}/")
    public.get_by_role("link", name=f"Report for {quarter.label}").click()
    expect(public.get_by_role("heading", level=1)).to_contain_text(quarter.label)
    problems["report"] = serious_accessibility_violations(public)
    public.get_by_role("link", name="Accessibility statement").click()
    expect(public.get_by_role("heading", name="Enforcement procedure")).to_be_visible()
    problems["statement"] = serious_accessibility_violations(public)
    assert {page: found for page, found in problems.items() if found} == {}

    public.goto(f"{live_server.url}/public/{SLUG}/")
    with public.expect_download() as download:
        public.get_by_role("link", name="Figures (CSV)").click()
    rows = list(
        csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read()))
    )
    assert rows and {r["licence"] for r in rows} == {"Open Government Licence v3.0"}
    assert all(r["illustrative"].startswith("Illustrative data") for r in rows)
    assert {r["reported_in"] for r in rows} == {quarter.label}
    assert visitor.cookies() == []  # no session, no form token: nothing about the visitor

    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_role("status")).to_contain_text("Unpublished")
    # Asked afresh (a browser may show its kept copy for up to five minutes), it is gone.
    gone = visitor.request.get(
        f"{live_server.url}/public/{SLUG}/", headers={"Cache-Control": "no-cache"}
    )
    assert gone.status == 404
    visitor.close()
