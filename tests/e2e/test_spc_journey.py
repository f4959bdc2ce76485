import pytest
from playwright.sync_api import Page, expect

from measures.tests.test_spc import BASELINE, quarters
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_measure, make_objective

pytestmark = pytest.mark.e2e


def test_a_measure_with_enough_values_shows_its_spc_chart_and_icons(
    page: Page, live_server, admin_user, sign_in, tmp_path
):
    make_measure(
        make_objective(),
        code="WAITS",
        name="Children waiting over 18 weeks",
        unit="count",
        direction="lower",
        target_value=20,
    )
    values = BASELINE + [10.5, 11, 10.5, 11, 10.5, 11, 10.5]
    figures = tmp_path / "waits.csv"
    figures.write_text(
        "measure_code,period_end,value\n"
        + "".join(
            f"WAITS,{p.isoformat()},{v}\n"
            for p, v in zip(quarters(len(values)), values, strict=True)
        )
    )
    sign_in(page, "admin")
    page.get_by_role("link", name="Import figures").click()
    page.get_by_label("CSV file of figures").set_input_files(str(figures))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#totals")).to_contain_text("23 new")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status")).to_contain_text("23 new")

    page.goto(f"{live_server.url}/measures/WAITS/")
    expect(page.locator("#spc-chart")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#spc-chart svg.main-svg").first).to_be_attached()
    expect(
        page.get_by_role("img", name="Variation icon: Special cause concern (high)").first
    ).to_be_visible()
    expect(page.locator(".spc-variation").first).to_contain_text("Special cause concern (high)")
    expect(page.locator(".spc-assurance").first).to_contain_text("Consistently passing the target")
    expect(page.locator("#spc-signals")).to_contain_text("Shift: 7 points above the mean")
    assert serious_accessibility_violations(page) == []
