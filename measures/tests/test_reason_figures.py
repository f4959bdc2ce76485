"""A status reason writes its figures as the pages do (strategy_tracker/numbers.py): in
thousands, and money with its £, so "latest 1234567" never hides that it is pounds."""

import datetime as dt
from decimal import Decimal as D

import pytest

from measures.models import Measure
from measures.status import baseline_words, measure_status
from strategy_tracker import numbers
from tests.factories import make_measure, make_value

TODAY = dt.date(2026, 12, 1)


def _status(latest, target, unit, direction="higher", tolerance=D(0), expected=None):
    return measure_status(
        direction=direction,
        unit=unit,
        target=target,
        tolerance=tolerance,
        latest_value=latest,
        latest_period_end=dt.date(2026, 9, 30),
        today=TODAY,
        target_date=dt.date(2028, 3, 31),
        expected=expected,
    )


def test_a_money_measures_reason_gives_pounds_in_thousands():
    result = _status(D(1234567), D(1500000), "£")
    assert result.reason == (
        "18% below target (latest £1,234,567 against target £1,500,000 by 31 March 2028)"
    )


def test_a_money_measure_on_its_trajectory_gives_pounds_in_thousands():
    result = _status(D(1300000), D(1500000), "£", expected=D(1250000))
    assert result.reason == (
        "on trajectory (latest £1,300,000 against £1,250,000 expected by 30 September 2026 "
        "on the trajectory to £1,500,000 by 31 March 2028)"
    )


def test_a_money_gap_to_a_target_of_nothing_is_in_pounds():
    result = _status(D("2500.50"), D(0), "£", direction="lower")
    assert result.reason.startswith("£2,500.50 above target (latest £2,500.50 against target £0")


def test_a_large_count_is_separated_into_thousands_without_a_unit():
    result = _status(D(12390), D(10000), "count", direction="lower", tolerance=D(5000))
    assert result.reason == (
        "24% above target, within tolerance (latest 12,390 against target 10,000 by 31 March 2028)"
    )


def test_a_percentage_reason_reads_as_before():
    result = _status(D("8.4"), D(8), "%", direction="lower", tolerance=D("0.5"))
    assert "(latest 8.4 against target 8 by 31 March 2028)" in result.reason


@pytest.mark.django_db
def test_a_money_baseline_with_no_value_yet_is_in_pounds():
    measure = make_measure(
        code="SAVINGS",
        unit="£",
        direction="higher",
        baseline_value=D(2500000),
        baseline_period=dt.date(2024, 3, 31),
        baseline_period_text="2023/24",
        target_value=D(4000000),
    )
    assert baseline_words(measure) == "the baseline is £2,500,000 (2023/24)"
    status = Measure.objects.with_latest_value().get(pk=measure.pk).rag(TODAY)
    assert status.reason == "no value reported yet; the baseline is £2,500,000 (2023/24)"


@pytest.mark.django_db
def test_the_measure_page_gives_a_money_reason_in_pounds(client, board_member):
    measure = make_measure(
        code="SAVINGS",
        unit="£",
        direction="higher",
        target_value=D(1500000),
        target_date=dt.date(2028, 3, 31),
    )
    make_value(measure, dt.date(2026, 9, 30), 1234567)
    client.force_login(board_member)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "latest £1,234,567 against target £1,500,000" in page
    assert "latest 1234567" not in page  # (the chart data keeps the plain number)


def test_the_pages_and_the_reasons_write_a_figure_alike():
    assert numbers.with_unit(D(1234567), "£") == "£1,234,567"
    assert numbers.money_or_number(D(1234567), "£") == "£1,234,567"
    assert numbers.money_or_number(D("1234.50"), "days") == "1,234.5"
    assert numbers.with_unit(D("1234.50"), "days") == "1,234.5 days"
