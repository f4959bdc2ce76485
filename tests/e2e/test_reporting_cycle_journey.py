"""One whole quarter on the illustrative strategy, in the browser: an Admin switches sign-off
on and opens the quarter; a lead files a return of several milestones; an approver returns one
and approves the rest; the Admin closes the quarter; a later edit leaves the closed quarter as
it was; a board member reads the report, downloads its PDF and looks back at the objective as
at the quarter; the Admin has the quarter's board pack made by the task worker."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from milestones.models import Milestone
from milestones.status import CLOSED
from reporting.quarters import Quarter
from strategy_tracker.roles import APPROVER, BOARD_MEMBER

pytestmark = pytest.mark.e2e
EXAMPLE = "/strategies/example-community-health"


def test_a_whole_quarter_from_opening_to_the_boards_pdf(
    page: Page, live_server, sign_in, example, programme_lead, make_user
):
    make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")
    quarter = Quarter.containing(timezone.localdate()).previous()  # ended, so it can close
    url = live_server.url

    # The Admin: sign-off on, the quarter scheduled and opened.
    sign_in(page, "admin")
    page.goto(f"{url}{EXAMPLE}/periods/")
    page.get_by_text("Change sign-off").click()
    page.get_by_label("Milestone updates need an approver's approval").check()
    page.get_by_label("Ann Prover").check()
    page.get_by_role("button", name="Save sign-off").click()
    expect(page.get_by_role("status")).to_contain_text("Sign-off saved.")
    page.get_by_label("Quarter").fill(quarter.label)
    page.get_by_label("Opens on").last.fill(quarter.end.replace(day=1).isoformat())
    page.get_by_label("Closes on").last.fill(quarter.end.isoformat())
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("status")).to_contain_text(f"{quarter} is scheduled")
    page.get_by_role("button", name=f"Open {quarter} now").click()
    expect(page.get_by_role("status")).to_contain_text(f"{quarter} is open")
    page.get_by_role("button", name="Sign out").click()

    # The lead: a return of three milestones.
    mine = list(
        Milestone.objects.for_user(programme_lead)
        .filter(objective__priority__strategy__slug="example-community-health")
        .exclude(status__in=CLOSED)
        .order_by("objective__priority__number", "objective__number", "position", "id")[:3]
    )
    words = {m.pk: f"Quarter report on {m.title[:30]}: on course after a slow start." for m in mine}
    sign_in(page, "lead")
    page.goto(f"{url}/milestones/return/")
    for m in mine:
        row = page.locator(f"#m{m.pk}")
        row.get_by_label("Status").select_option("at_risk")
        row.get_by_label("Commentary").fill(words[m.pk])
    page.get_by_role("button", name="Save my return").click()
    expect(page.get_by_role("status")).to_contain_text("3 submitted for approval.")
    page.get_by_role("button", name="Sign out").click()

    # The approver: one returned with a reason, the others approved.
    returned, *approved = mine
    sign_in(page, "approver")
    page.goto(f"{url}/milestones/approvals/")
    section = page.locator("section.approval").filter(has_text=returned.title[:40])
    section.get_by_label("Reason for returning it").fill("Say which month it slips to.")
    section.get_by_role("button", name="Return it to the lead").click()
    expect(page.get_by_role("status")).to_contain_text("Returned to the lead")
    for m in approved:
        page.locator("section.approval").filter(has_text=m.title[:40]).get_by_role(
            "button", name="Approve this update"
        ).click()
        expect(page.get_by_role("status")).to_contain_text("Approved")
    page.get_by_role("button", name="Sign out").click()

    # The Admin closes the quarter.
    sign_in(page, "admin")
    page.goto(f"{url}{EXAMPLE}/periods/")
    page.get_by_label("Closing is final").check()
    page.get_by_role("button", name=f"Close {quarter}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{quarter} is closed.")
    page.get_by_role("link", name=f"Board report, {quarter}").click()
    report_url = page.url
    report = page.locator("main").inner_text()
    assert words[approved[0].pk] in report and words[returned.pk] not in report
    page.get_by_role("button", name="Sign out").click()

    # A later edit: the lead updates an approved milestone again and it is approved.
    later = approved[0]
    sign_in(page, "lead")
    page.goto(f"{url}{later.get_absolute_url()}")
    page.get_by_label("Commentary").fill("Done at last, after the quarter closed.")
    page.get_by_label("Status").select_option("complete")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_contain_text("Update submitted for approval")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "approver")
    page.goto(f"{url}/milestones/approvals/")
    page.locator("section.approval").filter(has_text=later.title[:40]).get_by_role(
        "button", name="Approve this update"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Approved")
    later.refresh_from_db()
    assert later.commentary == "Done at last, after the quarter closed."
    page.get_by_role("button", name="Sign out").click()

    # The board member reads the closed quarter as it was, and downloads its PDF.
    sign_in(page, "board")
    page.goto(report_url)
    assert page.locator("main").inner_text() == report
    expect(page.locator("#as-at")).to_contain_text(f"As at {quarter.end.day}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as PDF").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert f"Board report: {quarter}" in text
    assert " ".join(words[approved[0].pk].split()) in text
    assert "Done at last" not in text

    # The board member looks back: the objective's page as at the quarter, then today's.
    objective = later.objective
    page.goto(f"{url}{objective.get_absolute_url()}")
    page.get_by_label("Show this page").select_option(
        label=f"as at the end of {quarter} ({quarter.end:%-d %b %Y})"
    )
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#as-at")).to_contain_text(f"the end of {quarter}")
    as_at = page.locator("main").inner_text()
    assert " ".join(words[approved[0].pk].split()) in " ".join(as_at.split())
    assert "Done at last" not in as_at
    page.get_by_role("link", name="See today's position").click()
    expect(page).to_have_url(f"{url}{objective.get_absolute_url()}")
    page.get_by_role("button", name="Sign out").click()

    # The Admin has the quarter's board pack made; the worker makes it; the page follows it.
    sign_in(page, "admin")
    page.get_by_role("link", name="Board packs").click()
    page.get_by_label("Quarter").select_option(quarter.label)
    page.get_by_role("button", name="Choose").click()
    page.get_by_role("button", name="Make the pack").click()
    expect(page.get_by_role("status")).to_contain_text(f"The {quarter} board pack of 1 report")
    expect(page.locator(".pack-progress").first).to_contain_text("Waiting for the worker")
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")
    expect(page.locator(".pack-progress").first).to_contain_text("Ready:", timeout=15_000)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the {quarter} pack").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert f"Board pack: {quarter}" in text and f"Board report: {quarter}" in text
    assert " ".join(words[approved[0].pk].split()) in text
