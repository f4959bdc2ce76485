"""A data-quality rating is over a year old only after a calendar year, a leap day or not
(found by a pass over dates and time zones)."""

import datetime as dt

from measures import data_quality


def _rating(on):
    return data_quality.Rating({}, on, "someone")


def test_a_rating_exactly_a_year_old_is_not_over_a_year_old_across_a_leap_day():
    # Rated on a quarter's end; the next year's same quarter's report (as at its end).
    # 30 Jun 2022 -> 30 Jun 2023: not flagged (365 days). The same a year later must agree.
    assert not _rating(dt.date(2022, 6, 30)).is_old(dt.date(2023, 6, 30))
    assert not _rating(dt.date(2023, 6, 30)).is_old(dt.date(2024, 6, 30))  # 366 days: flagged
    html = data_quality.icon(_rating(dt.date(2023, 6, 30)), dt.date(2024, 6, 30))
    assert "over a year before" not in html
