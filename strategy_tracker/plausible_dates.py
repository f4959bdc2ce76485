"""The dates a strategy's plan is written in: its period, a measure's baseline and target, a
milestone's due date and forecast, a risk's review date and its actions' due dates. Outside
these a date is a slip of the keyboard (0001, 9999-12-31), and the charts and quarters drawn
around it would fall off the calendar (a measure's chart pads its dates by half a year)."""

import datetime as dt

from django.core.exceptions import ValidationError

from strategy_tracker.dates import FIRST_TRACKED_DAY, long_day

EARLIEST, LATEST = FIRST_TRACKED_DAY, dt.date(2100, 12, 31)


def plausible_date(day: dt.date | None) -> None:
    """A field validator: refuses a date outside EARLIEST to LATEST."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValidationError(
            f"Enter a date from {long_day(EARLIEST)} to {long_day(LATEST)}.", code="implausible"
        )
