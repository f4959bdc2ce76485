"""The Making Data Count icons are drawn as accessible inline SVG, each beside its words."""

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test.html import Element, parse_html

from measures.models import MeasureValue
from measures.spc import Assurance, Point, SpcResult, Variation
from measures.tests.test_spc import BASELINE, quarters
from strategy_tracker.templatetags.tracker import SPC_COLOURS

LETTERS = {"high": "H", "low": "L"}
ASSURANCE_LETTERS = {Assurance.PASS: "P", Assurance.FAIL: "F", Assurance.HIT_AND_MISS: "?"}


def elements(node: Element | str, name: str) -> Iterator[Element]:
    if isinstance(node, Element):
        if node.name == name:
            yield node
        for child in node.children:
            yield from elements(child, name)


def attr(node: Element, name: str) -> str | None:
    return dict(node.attributes).get(name)


def text(node: Element | str) -> str:
    if isinstance(node, str):
        return node
    return " ".join(text(child) for child in node.children).strip()


def has_class(node: Element, name: str) -> bool:
    return name in (attr(node, "class") or "").split()


def render_icons(variation: Variation, assurance: Assurance | None) -> Element:
    result = SpcResult(
        points=[Point(dt.date(2024, 3, 31), 1.0)],
        direction="higher",
        target=1.0 if assurance else None,
        run_chart_only=False,
        variation=variation,
        assurance=assurance,
    )
    html = Template("{% load tracker %}{% spc_icons result %}").render(Context({"result": result}))
    return parse_html(html)


def check_named_svg(svg: Element, name: str) -> None:
    """role="img", named by its own <title> through aria-labelledby."""
    assert attr(svg, "role") == "img"
    (title,) = elements(svg, "title")
    assert attr(svg, "aria-labelledby") == attr(title, "id")
    assert text(title) == name


@pytest.mark.parametrize("variation", list(Variation))
def test_each_variation_is_an_svg_icon_beside_its_words(variation):
    root = render_icons(variation, None)
    (wrapper,) = (e for e in elements(root, "span") if has_class(e, "spc-variation"))
    (svg,) = elements(wrapper, "svg")
    check_named_svg(svg, f"Variation icon: {variation.label}")
    assert any(attr(c, "r") == "44" for c in elements(svg, "circle"))  # the ring
    letters = [text(t) for t in elements(svg, "text")]
    side = variation.value.rsplit("_", 1)[-1]
    assert letters == ([LETTERS[side]] if side in LETTERS else [])
    # The mini chart: special cause marks its last points; common cause has none marked.
    special = [g for g in elements(svg, "g") if has_class(g, "spc-special")]
    assert len(special) == (0 if variation == Variation.COMMON_CAUSE else 1)
    (label,) = (e for e in elements(wrapper, "span") if has_class(e, "spc-label"))
    assert text(label) == variation.label
    assert "No target, so no assurance icon" in text(root)


@pytest.mark.parametrize("variation", [Variation.IMPROVEMENT_LOW, Variation.CONCERN_LOW])
def test_a_low_special_cause_turns_the_chart_over_so_its_last_points_fall(variation):
    high = Variation(variation.value.replace("low", "high"))
    for v, flipped in ((variation, True), (high, False)):
        (svg,) = elements(render_icons(v, None), "svg")
        transforms = [attr(g, "transform") for g in elements(svg, "g") if attr(g, "transform")]
        assert transforms == (["matrix(1 0 0 -1 0 100)"] if flipped else [])


@pytest.mark.parametrize("assurance", list(Assurance))
def test_each_assurance_is_an_svg_icon_beside_its_words(assurance):
    root = render_icons(Variation.COMMON_CAUSE, assurance)
    (wrapper,) = (e for e in elements(root, "span") if has_class(e, "spc-assurance"))
    (svg,) = elements(wrapper, "svg")
    check_named_svg(svg, f"Assurance icon: {assurance.label}")
    assert [text(t) for t in elements(svg, "text")] == [ASSURANCE_LETTERS[assurance]]
    # The target line against the band of points: clear below, clear above, or through it.
    (line,) = elements(svg, "line")
    target = float(attr(line, "y1"))
    band = [float(attr(c, "cy")) for c in elements(svg, "circle") if attr(c, "r") == "5"]
    where = {
        Assurance.PASS: target > max(band),  # SVG y grows downwards
        Assurance.FAIL: target < min(band),
        Assurance.HIT_AND_MISS: min(band) < target < max(band),
    }
    assert where[assurance]
    (label,) = (e for e in elements(wrapper, "span") if has_class(e, "spc-label"))
    assert text(label) == assurance.label


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("kind", list(SPC_COLOURS))
def test_letters_lines_and_edges_are_dark_enough_on_white(kind):
    # The letters are text (4.5:1); the lines and the points' edges are drawn in the same ink.
    assert contrast(SPC_COLOURS[kind]["ink"]) >= 4.5
    assert contrast(SPC_COLOURS["common"]["colour"]) >= 3  # grey points carry no edge


def test_the_same_icon_twice_has_two_ids():
    template = Template('{% load tracker %}{% variation_icon "concern_high" %}' * 2)
    root = parse_html(template.render(Context()))
    ids = [attr(t, "id") for t in elements(root, "title")]
    assert len(ids) == 2 and len(set(ids)) == 2


@pytest.fixture
def all_with_limits(measures):
    """Every measure with 23 values and a target, so each summary row draws two icons."""
    values = BASELINE + [10.5, 11, 10.5, 11, 10.5, 11, 10.5]
    for direction, measure in zip(["higher", "lower", "higher"], measures.values(), strict=True):
        measure.direction = direction
        measure.target_value = Decimal(20)
        measure.save()
        MeasureValue.objects.bulk_create(
            MeasureValue(measure=measure, period_end=p, value=Decimal(str(v)))
            for p, v in zip(quarters(len(values)), values, strict=True)
        )
    return measures


def check_page_ids(root: Element) -> None:
    ids = Counter(attr(e, "id") for e in elements_with_id(root))
    assert [i for i, n in ids.items() if n > 1] == []
    for svg in elements(root, "svg"):
        if attr(svg, "role") == "img":
            (title,) = elements(svg, "title")
            assert attr(svg, "aria-labelledby") == attr(title, "id")


def elements_with_id(node: Element | str) -> Iterator[Element]:
    if isinstance(node, Element):
        if attr(node, "id"):
            yield node
        for child in node.children:
            yield from elements_with_id(child)


@pytest.mark.django_db
def test_the_dashboard_summary_draws_two_icons_per_measure_with_unique_ids(
    client, board_member, all_with_limits
):
    client.force_login(board_member)
    strategy = all_with_limits["CNT"].strategy
    root = parse_html(client.get(strategy.get_absolute_url()).content.decode())
    (table,) = (t for t in elements(root, "table") if has_class(t, "spc-summary"))
    svgs = list(elements(table, "svg"))
    titles = [text(next(elements(svg, "title"))) for svg in svgs]
    assert sum(t.startswith("Variation icon: ") for t in titles) == 3
    assert sum(t.startswith("Assurance icon: ") for t in titles) == 3
    assert "Variation icon: Special cause concern (high)" in titles
    assert "Special cause concern (high)" in text(table)  # the words stay beside the icon
    (legend,) = (d for d in elements(root, "details") if has_class(d, "spc-legend"))
    assert len(list(elements(legend, "svg"))) == 10  # 7 variation icons and 3 assurance icons
    check_page_ids(root)


@pytest.mark.django_db
def test_the_measure_page_draws_its_icons_and_the_legend_draws_every_icon(
    client, board_member, all_with_limits
):
    client.force_login(board_member)
    root = parse_html(client.get("/measures/CNT/").content.decode())
    (icons,) = (s for s in elements(root, "span") if has_class(s, "spc-icons"))
    titles = [text(next(elements(svg, "title"))) for svg in elements(icons, "svg")]
    assert titles == [
        "Variation icon: Special cause concern (high)",
        "Assurance icon: Consistently passing the target",
    ]
    (legend,) = (d for d in elements(root, "details") if has_class(d, "spc-legend"))
    legend_titles = {text(next(elements(svg, "title"))) for svg in elements(legend, "svg")}
    assert legend_titles == {f"Variation icon: {v.label}" for v in Variation} | {
        f"Assurance icon: {a.label}" for a in Assurance
    }
    check_page_ids(root)


def test_a_target_without_a_direction_says_the_direction_is_what_is_missing():
    """A measure with a target and no direction said "No target, so no assurance icon"
    (found by an audit of the SPC rules)."""
    result = SpcResult(
        points=[Point(dt.date(2024, 3, 31), 1.0)],
        direction="none",
        target=10.0,
        run_chart_only=False,
        variation=Variation.COMMON_CAUSE,
    )
    html = Template("{% load tracker %}{% spc_icons result %}").render(Context({"result": result}))
    assert "No direction, so no assurance icon" in html
    assert "No target" not in html
