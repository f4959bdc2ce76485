"""What kind of period a value covers, and which values make one series for an SPC chart.

An XmR chart compares like with like: its limits come from the moving ranges between
consecutive points, so an annual baseline, a one-off figure or a two-year gap among
quarterly values would put false ranges into them. A chart holds the latest unbroken run of
one period type; the other values are shown beside it but kept out of the limits.
Pure Python, no Django.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

MONTH, QUARTER, YEAR, OTHER = "month", "quarter", "year", "other"
KIND_WORDS = {MONTH: "monthly", QUARTER: "quarterly", YEAR: "annual", OTHER: "one-off"}
# Days between the ends of consecutive periods of each kind (quarters: 90 to 92).
STEPS = {MONTH: range(28, 32), QUARTER: range(89, 93), YEAR: range(365, 367)}

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june"
    "|july|august|september|october|november|december"
)
_QUARTER = re.compile(r"\bq[1-4]\b")
_YEAR = re.compile(r"(fy\s*)?\d{4}(\s*[/-]\s*(\d{2}|\d{4}))?")
_MONTH = re.compile(rf"({_MONTHS})\.?\s+\d{{2,4}}")


def kind_of_text(period_text: str) -> str | None:
    """The period type its own wording names: "2024/25 Q1" quarterly, "2019/20" annual,
    "March 2024" monthly, "April 2021 onwards" one-off; None when there is no wording."""
    text = period_text.strip().lower()
    if not text:
        return None
    if _QUARTER.search(text):
        return QUARTER
    if _YEAR.fullmatch(text):
        return YEAR
    if _MONTH.fullmatch(text):
        return MONTH
    return OTHER


def kind_of_gap(earlier: dt.date, later: dt.date) -> str | None:
    days = (later - earlier).days
    return next((kind for kind, step in STEPS.items() if days in step), None)


@dataclass(frozen=True)
class LeftOut:
    period_end: dt.date
    value: Decimal
    period_text: str
    why: str


@dataclass
class Series:
    kind: str | None  # of the charted run; None with fewer than two values
    points: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)


def one_period_type(values: list[tuple[dt.date, Decimal, str]]) -> Series:
    """The latest run of values one period apart, of one period type, oldest first; and the
    values before it, each with why it is not in the run."""
    values = sorted(values)
    if len(values) < 2:
        return Series(None, [(d, v) for d, v, _ in values])
    kind = kind_of_gap(values[-2][0], values[-1][0])
    if kind_of_text(values[-1][2]) not in (None, kind):
        kind = None  # the latest value says it is of another type: it stands alone
    start = len(values) - 1
    while start > 0:
        earlier, later = values[start - 1], values[start]
        text_kind = kind_of_text(earlier[2])
        if kind is None or kind_of_gap(earlier[0], later[0]) != kind:
            break
        if text_kind is not None and text_kind != kind:
            break
        start -= 1
    if start == len(values) - 1:
        kind = kind_of_text(values[-1][2])
    run, before = values[start:], values[:start]
    left_out = [
        LeftOut(d, v, text, _why(d, text, kind, run[0][0] if run else None))
        for d, v, text in before
    ]
    return Series(kind, [(d, v) for d, v, _ in run], left_out)


def _why(date: dt.date, text: str, kind: str | None, run_start: dt.date | None) -> str:
    text_kind = kind_of_text(text)
    if text_kind not in (None, kind) and kind in (MONTH, QUARTER, YEAR):
        words = KIND_WORDS[text_kind]
        article = "an" if words == "annual" else "a"  # "a one-off", "a monthly"
        return f"{article} {words} figure, not {KIND_WORDS[kind]}"
    return f"before a break in the series (the next value is for {run_start:%-d %b %Y})"
