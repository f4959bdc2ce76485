"""A workbook preview refused as a whole, on a phone: no serious axe finding. Its "Every row"
tree was an empty div named by a heading, which a div with no role may not be (axe:
aria-prohibited-attr, serious)."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_strategy

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_workbook_refused_as_a_whole_has_a_preview_without_serious_axe_findings(
    page: Page, live_server, sign_in, admin_user
):
    page.set_viewport_size(PHONE)
    make_strategy(status="draft")  # an organisation for the Admin to be an Admin of
    sign_in(page, "admin")
    template = page.request.get(f"{live_server.url}/edit/template.xlsx").body()
    page.goto(f"{live_server.url}/edit/import/")
    page.get_by_label("Workbook (.xlsx) or CSV file").set_input_files(
        {"name": "template.xlsx", "mimeType": XLSX, "buffer": template}
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing can be imported yet")
    assert serious_accessibility_violations(page) == []
    expect(page.get_by_role("heading", name="Every row")).to_have_count(0)  # nothing under it
