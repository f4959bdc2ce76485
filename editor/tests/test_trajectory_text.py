"""A measure's planned trajectory as text ("2025-03-31=60; 2026-03-31=65"): each value read
by the figures import's number rule, never a comma dropped to make another number."""

import datetime as dt
from decimal import Decimal

import pytest

from editor.trajectory_text import format_points, parse_points

MARCH_2026 = dt.date(2026, 3, 31)


def test_points_are_read_in_date_order_and_written_back_the_same():
    points = parse_points("2026-03-31=65; 2025-03-31=60.5\n2027-03-31=-1,234.25")
    assert points == [
        (dt.date(2025, 3, 31), Decimal("60.5")),
        (MARCH_2026, Decimal("65")),
        (dt.date(2027, 3, 31), Decimal("-1234.25")),
    ]
    assert parse_points(format_points(points)) == points


@pytest.mark.parametrize("value", ["77,5", "1,23", "12,34,5", "1e3", "NaN", "sixty"])
def test_a_value_that_is_not_a_plain_number_is_refused_not_guessed(value):
    """77,5 was read as 775: the comma was dropped, and the plan was ten times too big."""
    with pytest.raises(ValueError) as refused:
        parse_points(f"2026-03-31={value}")
    assert str(refused.value) == f"31 March 2026: “{value}” is not a number."


def test_a_minus_as_word_processors_type_it_is_a_minus():
    assert parse_points("2026-03-31=\u22122.5; 2027-03-31=\u20133") == [
        (MARCH_2026, Decimal("-2.5")),
        (dt.date(2027, 3, 31), Decimal("-3")),
    ]


def test_a_per_cent_sign_is_refused_with_the_number_to_write():
    with pytest.raises(ValueError, match=r"^31 March 2026: write 60, without the %\.$"):
        parse_points("2026-03-31=60%")


def test_in_a_file_separated_by_semicolons_a_point_before_three_digits_is_refused():
    """20.500 may be 20500 written with a point for thousands, as Baseline and Target are
    refused in such a file; elsewhere it is 20.5."""
    assert parse_points("2026-03-31=20.500") == [(MARCH_2026, Decimal("20.500"))]
    with pytest.raises(ValueError, match=r"^31 March 2026: “20\.500” could mean 20500 or 20\.5"):
        parse_points("2026-03-31=20.500", comma_may_be_decimal=True)
    assert parse_points("2026-03-31=20.5", comma_may_be_decimal=True) == [
        (MARCH_2026, Decimal("20.5"))
    ]


@pytest.mark.parametrize("text", ["2026-03-31", "2026-03-31=", "31/03/2026=5", "=5"])
def test_a_point_without_a_date_or_a_value_is_refused(text):
    with pytest.raises(ValueError, match="is not a planned point: write each as date=value"):
        parse_points(text)


def test_a_day_planned_twice_is_refused():
    with pytest.raises(ValueError, match="31 March 2026 is planned twice"):
        parse_points("2026-03-31=5; 2026-03-31=6")


@pytest.mark.parametrize(
    "text",
    [
        "2027-03-31=1150, 2028-03-31=1100",
        "2027-03-31=1150,2028-03-31=1100",
        "2027-03-31=1150 2028-03-31=1100",
    ],
)
def test_points_run_together_are_told_to_be_separated_by_semicolons(text):
    """Was "31 March 2027: “1150, 2028-03-31=1100” has a space inside the number", which
    does not say the points are to be separated by semicolons."""
    with pytest.raises(ValueError) as refused:
        parse_points(text)
    assert str(refused.value) == (
        f'"{text}" holds more than one point: separate the points with semicolons, for '
        "example 2025-03-31=60; 2026-03-31=65."
    )
