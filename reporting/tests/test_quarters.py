import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting.quarters import Quarter


@pytest.mark.parametrize(
    "day, label, start, end",
    [
        (dt.date(2024, 4, 1), "2024/25 Q1", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        (dt.date(2024, 9, 30), "2024/25 Q2", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        (dt.date(2024, 12, 31), "2024/25 Q3", dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
        (dt.date(2025, 2, 28), "2024/25 Q4", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        (dt.date(2025, 3, 31), "2024/25 Q4", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        (dt.date(1999, 5, 5), "1999/00 Q1", dt.date(1999, 4, 1), dt.date(1999, 6, 30)),
    ],
)
def test_a_day_falls_in_its_financial_quarter(day, label, start, end):
    quarter = Quarter.containing(day)
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)


def test_quarters_follow_one_another_across_the_year_end():
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter(2024, 2).next() == Quarter(2024, 3)


@pytest.mark.parametrize("text", ["2024/25 q2", " 2024/25 Q2 ", "2024/25Q2"])
def test_a_label_reads_back(text):
    assert Quarter.parse(text) == Quarter(2024, 2)


@pytest.mark.parametrize(
    "text", ["2024/26 Q2", "2024/25 Q5", "Q2 2024", "", "2024-25 Q1", "٢٠٢٤/٢٥ Q2"]
)
def test_anything_else_is_refused_in_words(text):
    with pytest.raises(ValueError, match="2024/25"):
        Quarter.parse(text)


def test_a_quarter_is_numbered_one_to_four():
    with pytest.raises(ValueError):
        Quarter(2024, 0)


@pytest.mark.parametrize("text", ["9998/99 Q1", "0000/01 Q1", "1899/00 Q4"])
def test_a_quarter_too_far_off_for_its_grace_period_is_refused(text):
    with pytest.raises(ValueError, match="between 1900 and 9997"):
        Quarter.parse(text)


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(9997, 12, 31)))
def test_every_day_is_in_exactly_the_quarter_that_contains_it(day):
    quarter = Quarter.containing(day)
    assert quarter.start <= day <= quarter.end
    assert quarter.previous().end == quarter.start - dt.timedelta(days=1)
    assert quarter.next().start == quarter.end + dt.timedelta(days=1)
    assert quarter.next().previous() == quarter
    assert Quarter.parse(quarter.label) == quarter
