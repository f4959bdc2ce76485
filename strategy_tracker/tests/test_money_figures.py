"""A sum of money with pence is written to two places, "£2,395,500.50", never "£2,395,500.5";
whole pounds stay as they are: one helper (strategy_tracker/numbers.py) for every page, status
reason, history and "what changed"."""

import datetime as dt
from decimal import Decimal as D

import pytest

from strategy_tracker import numbers
from tests.factories import make_measure, make_value


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (D("2395500.5"), "£2,395,500.50"),
        (D("2395500.5000"), "£2,395,500.50"),  # as stored, to four places
        (D("2395500.25"), "£2,395,500.25"),
        (D("2395500"), "£2,395,500"),
        (D("2395500.0000"), "£2,395,500"),
        (D("0.5"), "£0.50"),
        (D("-1234.5"), "-£1,234.50"),  # the sign before the pound sign, as it is said
        (D("0.125"), "£0.125"),  # a fraction of a penny is written out, never rounded away
        (12.5, "£12.50"),  # a chart's float
        (1563000.0, "£1,563,000"),
    ],
)
def test_money_has_two_places_when_it_has_pence_and_none_when_it_has_none(value, written):
    assert numbers.money(value) == written
    assert numbers.with_unit(value, "£") == written
    assert numbers.money_or_number(value, "£") == written


def test_other_units_keep_their_figures_as_they_were():
    assert numbers.with_unit(D("2395500.5"), "days") == "2,395,500.5 days"
    assert numbers.with_unit(D("8.5"), "%") == "8.5%"
    assert numbers.money_or_number(D("2395500.5"), "count") == "2,395,500.5"
    assert numbers.with_unit(None, "£") == "—"


@pytest.mark.django_db
def test_a_money_measures_page_writes_its_pence_to_two_places(client, board_member):
    measure = make_measure(
        code="SPEND",
        unit="£",
        direction="higher",
        target_value=D("2500000.5"),
        target_date=dt.date(2028, 3, 31),
    )
    make_value(measure, dt.date(2026, 9, 30), D("2395500.5"))
    client.force_login(board_member)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "£2,395,500.50" in page  # the values table and the latest
    assert "latest £2,395,500.50 against target £2,500,000.50" in page  # its status reason
    assert "£2,395,500.5<" not in page and "£2,395,500.5 " not in page
