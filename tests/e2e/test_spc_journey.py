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


def test_each_point_is_drawn_as_its_own_reading_and_other_period_types_stay_out(
    page: Page, live_server, board_member, sign_in
):
    import datetime as dt
    from decimal import Decimal

    from measures.charts import VERDICT_STYLE
    from measures.models import MeasureValue

    measure = make_measure(
        make_objective(),
        code="OCC",
        name="Ward occupancy",
        unit="%",
        direction="higher",
        baseline_value=Decimal(30),
        baseline_period=dt.date(2019, 3, 31),
        baseline_period_text="2018/19",
        spc_baseline_points=15,
    )
    # An annual baseline and a one-off figure, then quarterly values: calm, far below the
    # limits, then rising (concern points, an improving trend and a concern shift overlap).
    values = [
        (dt.date(2019, 3, 31), 30, "2018/19"),
        (dt.date(2021, 3, 31), 80, "April 2020 onwards"),
    ]
    quarterly = [10, 10.5, 9.5, 10, 11, 9, 10, 10.5, 9.5, 10, 10, 10.5, 9.5, 10, 10]
    quarterly += [5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9]
    values += [
        (end, v, "")
        for end, v in zip(quarters(len(quarterly), dt.date(2021, 6, 30)), quarterly, strict=True)
    ]
    for end, value, text in values:
        MeasureValue.objects.create(
            measure=measure, period_end=end, value=Decimal(str(value)), period_text=text
        )
    reading = measure.spc_reading()

    sign_in(page, "board")
    page.goto(f"{live_server.url}/measures/OCC/")
    expect(page.locator("#spc-chart")).to_have_attribute("data-rendered", "true")
    left_out = page.locator("#spc-left-out")
    expect(left_out).to_contain_text("24 quarterly values")
    expect(left_out).to_contain_text("2018/19")
    expect(left_out).to_contain_text("April 2020 onwards")
    expect(page.locator("#spc-signals")).to_contain_text("shown as improvement on the chart")

    drawn = page.evaluate(
        """() => {
            const el = document.getElementById('spc-chart');
            const groups = el.querySelectorAll('.scatterlayer .trace');
            return el.data.map((trace, i) => ({
                name: trace.name, x: trace.x,
                fills: [...groups[i].querySelectorAll('.points path')].map(p => p.style.fill),
            }));
        }"""
    )
    colours = {name: colour for name, colour, _ in VERDICT_STYLE.values()}
    expected = {p.period.isoformat(): VERDICT_STYLE[p.verdict][0] for p in reading.points}
    seen = {}
    for trace in drawn:
        if trace["name"] not in colours:
            continue
        r, g, b = (int(colours[trace["name"]][i : i + 2], 16) for i in (1, 3, 5))
        assert set(trace["fills"]) == {f"rgb({r}, {g}, {b})"}, trace["name"]
        seen |= dict.fromkeys(trace["x"], trace["name"])
    assert seen == expected
    names = {t["name"] for t in drawn}
    assert {"Special cause: concern", "Special cause: improvement", "Common cause"} <= names
    assert "Not in the SPC series" in names
