"""The Making Data Count icons as a board member's browser draws them: inline SVG, named."""

from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from measures.models import MeasureValue
from measures.tests.test_spc import quarters
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.e2e


@pytest.fixture
def improving(board_member):
    """15 calm quarters, then 8 clearly higher on a higher-is-better measure: a special cause
    improvement, and a target of 40 below the lower limit, so consistently passing."""
    strategy = make_strategy(slug="icons")
    measure = make_measure(
        make_objective(make_priority(strategy)),
        code="REABLE",
        name="People independent after reablement",
        unit="%",
        direction="higher",
        target_value=Decimal(40),
    )
    values = [49, 51] * 7 + [50] + [60] * 8
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measure, period_end=p, value=Decimal(v))
        for p, v in zip(quarters(len(values)), values, strict=True)
    )
    return measure


def check_drawn(icon: Locator, letter: str) -> None:
    """Visible, of real size, with its ring and its letter."""
    expect(icon).to_be_visible()
    box = icon.bounding_box()
    assert box and box["width"] >= 30 and box["height"] >= 30, box
    expect(icon.locator("circle").first).to_be_attached()
    expect(icon.locator("text")).to_have_text(letter)


def test_the_measure_page_draws_its_icons_as_named_svg(page: Page, live_server, sign_in, improving):
    sign_in(page, "board")
    page.goto(f"{live_server.url}{improving.get_absolute_url()}")
    icons = page.locator(".spc-icons").first
    variation = icons.get_by_role("img", name="Variation icon: Special cause improvement (high)")
    assurance = icons.get_by_role("img", name="Assurance icon: Consistently passing the target")
    check_drawn(variation, "H")
    check_drawn(assurance, "P")
    # The words stay beside each icon: status is never the drawing alone.
    expect(icons.locator(".spc-variation")).to_contain_text("Special cause improvement (high)")
    expect(icons.locator(".spc-assurance")).to_contain_text("Consistently passing the target")

    page.get_by_text("How to read the SPC icons").click()
    legend = page.locator(".spc-legend")
    expect(legend.get_by_role("img")).to_have_count(10)
    check_drawn(legend.get_by_role("img", name="Variation icon: Special cause concern (low)"), "L")
    check_drawn(legend.get_by_role("img", name="Assurance icon: Hit and miss"), "?")
    assert serious_accessibility_violations(page) == []

    # Printed board packs keep the drawing, its colours and its size.
    page.emulate_media(media="print")
    check_drawn(variation, "H")
    adjust = variation.evaluate("svg => getComputedStyle(svg).printColorAdjust")
    assert adjust == "exact"


def test_the_dashboard_summary_draws_an_icon_per_measure(
    page: Page, live_server, sign_in, improving
):
    sign_in(page, "board")
    page.goto(f"{live_server.url}{improving.strategy.get_absolute_url()}")
    table = page.locator("table.spc-summary")
    check_drawn(table.get_by_role("img", name="Variation icon: Special cause improvement"), "H")
    check_drawn(table.get_by_role("img", name="Assurance icon: Consistently passing"), "P")
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    assert serious_accessibility_violations(page) == []
