"""Dates in words are written exactly as strftime wrote them, and as Django's date filter
writes the same formats, for every date."""

import datetime as dt

from django.template.defaultfilters import date as date_filter
from hypothesis import given
from hypothesis import strategies as st

from strategy_tracker.dates import long_day, month_year, short_day

# Django's date filter pads years below 1000 and strftime does not: the tests below compare
# with Django's filter from 1000 on, the years any strategy has.
DATES = st.dates(min_value=dt.date(1000, 1, 1))


@given(DATES)
def test_each_date_is_written_as_strftime_writes_it(date):
    assert short_day(date) == date.strftime("%-d %b %Y")
    assert long_day(date) == date.strftime("%-d %B %Y")
    assert month_year(date) == date.strftime("%b %Y")


@given(DATES)
def test_each_date_is_written_as_the_date_filter_writes_it(date):
    assert short_day(date) == date_filter(date, "j M Y")
    assert long_day(date) == date_filter(date, "j F Y")
    assert month_year(date) == date_filter(date, "M Y")


def test_examples():
    assert short_day(dt.date(2024, 3, 1)) == "1 Mar 2024"
    assert long_day(dt.date(2024, 9, 30)) == "30 September 2024"
    assert month_year(dt.date(2027, 12, 31)) == "Dec 2027"
