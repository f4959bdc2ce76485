import datetime as dt
import json
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from measures.models import MeasureValue
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_measure, make_objective

pytestmark = pytest.mark.e2e


def test_an_admin_imports_figures_fixing_a_bad_row_first(
    page: Page, live_server, admin_user, sign_in, tmp_path
):
    objective = make_objective()
    make_measure(
        objective,
        code="THK-SMOKING-ADULT",
        name="Adult smoking prevalence",
        unit="%",
        direction="lower",
    )
    make_measure(objective, code="THK-REFERRALS", name="Referrals", unit="count")
    sign_in(page, "admin")
    page.get_by_role("link", name="Import figures").click()
    assert serious_accessibility_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template").click()
    template = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert template[0].startswith("measure_code,measure_name,period")
    assert "THK-SMOKING-ADULT,Adult smoking prevalence,,,,," in template

    bad = tmp_path / "q1.csv"
    bad.write_text(
        "measure_code,period,value,note\n"
        "THK-SMOKING-ADULT,2024/25 Q1,21.5%,First quarter\n"
        "THK-REFERRALS,2024/25 Q1,n/a,\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV file of figures").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    errors = page.locator("#row-errors")
    expect(errors).to_contain_text("Line 3: “n/a” is not a number.")
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    assert serious_accessibility_violations(page) == []

    good = tmp_path / "q1-fixed.csv"
    good.write_text(bad.read_text().replace("n/a", '"1,234"'), encoding="utf-8")
    page.get_by_role("link", name="Import figures").click()
    page.get_by_label("CSV file of figures").set_input_files(str(good))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#totals")).to_have_text("2 new, 0 updated, 0 unchanged, 0 with errors.")
    page.get_by_role("button", name="Confirm and import").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Imported q1-fixed.csv: 2 new, 0 updated, 0 unchanged"
    )
    assert MeasureValue.objects.get(measure__code="THK-REFERRALS").value == Decimal(1234)

    page.goto(f"{live_server.url}/measures/THK-SMOKING-ADULT/")
    expect(page.locator("#trend-chart")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#trend-chart .scatterlayer .point")).to_have_count(1)
    figure = json.loads(page.locator("#trend-data").text_content())
    assert figure["data"][0]["x"] == [dt.date(2024, 6, 30).isoformat()]
    assert figure["data"][0]["y"] == [21.5]
    expect(page.get_by_role("table", name="Values of Adult smoking prevalence")).to_contain_text(
        "21.5%"
    )
