"""A measure's card (measures/templatetags/measure_cards.py): what a person typed is escaped,
a context indicator says why it has no status, and a card that shows only the latest values
says so and links to them all."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from measures.templatetags.measure_cards import measure_card
from strategy_tracker.status import Rag, Status

HOSTILE = '<img src=x onerror="alert(1)">'


def _measure(**fields):
    values = dict(
        name=HOSTILE,
        code="M&1",
        unit="%",
        is_context=False,
        quality=None,
        target_value=Decimal("90"),
        target_date=None,
        target_period_text="",
        tolerance=Decimal("5"),
        baseline_period=None,
        baseline_period_text="",
        baseline_value=None,
        get_absolute_url=lambda: "/measures/M%261/",
    )
    return SimpleNamespace(**(values | fields))


def _card(measure, values, count=None):
    return {
        "measure": measure,
        "status": Status(Rag.RED, "Below <target>", "measure", "below target"),
        "spc": None,
        "chart": {"data": [{"y": [1, 2]}]} if values else None,
        "chart_id": f"chart-{measure.code}",
        "values": values,
        "value_count": len(values) if count is None else count,
        "baseline_row": False,
    }


def _value(day: int):
    return SimpleNamespace(
        period_end=dt.date(2025, 3, day), period_text="March", value=Decimal("80"), note=""
    )


def test_a_card_escapes_what_people_typed_and_links_to_every_value():
    html = measure_card(_card(_measure(), [_value(30), _value(31)], count=20), dt.date(2025, 4, 1))
    assert HOSTILE not in html and "&lt;img" in html
    assert 'id="chart-M&amp;1-title"' in html and "Below &lt;target&gt;" in html
    assert "against the target of 90%" in html
    assert "The latest 2 of 20 values." in html and 'href="/measures/M%261/"' in html
    assert '<script id="chart-M&amp;1-data" type="application/json">' in html
    assert "<caption>Values of &lt;img" in html


def test_a_target_of_nought_is_named_and_no_target_is_not():
    nought = measure_card(_card(_measure(target_value=Decimal("0")), [_value(31)]), dt.date.today())
    assert "against the target of 0%" in nought
    none = measure_card(_card(_measure(target_value=None), [_value(31)]), dt.date.today())
    assert "against the target" not in none and "reported values. The same data" in none


def test_a_context_indicator_has_no_status_and_a_card_without_values_no_chart():
    html = measure_card(_card(_measure(is_context=True), []), dt.date(2025, 4, 1))
    assert "Context indicator: describes the setting" in html and "rag-red" not in html
    assert "No values reported yet, so there is no chart." in html and "<figure" not in html
    every = measure_card(_card(_measure(), [_value(31)]), dt.date(2025, 4, 1))
    assert "The same data is in the table below." in every and "The latest" not in every


def test_a_cards_target_row_gives_the_documents_words_escaped():
    measure = _measure(target_date=dt.date(2028, 3, 31), target_period_text=f"2027/28 {HOSTILE}")
    html = measure_card(_card(measure, [_value(31)]), dt.date(2025, 4, 1))
    row = html[html.index('<tr class="target-row">') :].split("</tr>")[0]
    assert "<td>31 Mar 2028</td><td>Target: 2027/28 &lt;img" in row, row
    assert HOSTILE not in html
