"""What kind of period a value covers, and which values make one series for an SPC chart.

An XmR chart compares like with like: its limits come from the moving ranges between
consecutive points, so an annual baseline, a one-off figure or a two-year gap among
quarterly values would put false ranges into them. A chart holds the latest unbroken run of
one period type; the other values are shown beside it but kept out of the limits.
Pure Python, no Django.
"""

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from measures.parsing import ParseError, period_words_date, pooled_end, pooled_span
from strategy_tracker.dates import long_day, month_year

WEEK, MONTH, QUARTER, YEAR, OTHER = "week", "month", "quarter", "year", "other"
# Years pooled ("2020-22"): a period of its own, never one of a yearly series.
POOLED = "pooled"
KIND_WORDS = {
    WEEK: "weekly",
    MONTH: "monthly",
    QUARTER: "quarterly",
    YEAR: "annual",
    OTHER: "one-off",
    POOLED: "pooled",
}
# Days between the ends of consecutive periods of each kind (quarters: 90 to 92).
STEPS = {
    WEEK: range(7, 8),
    MONTH: range(28, 32),
    QUARTER: range(89, 93),
    YEAR: range(365, 367),
}

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june"
    "|july|august|september|october|november|december"
)
_QUARTER = re.compile(r"\bq[1-4]\b|\bquarter\s*[1-4]\b")
# A span of months ("Apr-Jun 2024", "Apr - Mar 2023/24"): its length says the period type.
_MONTH_SPAN = re.compile(rf"^({_MONTHS})\s*[-–]\s*({_MONTHS})\b")
_SPAN_KINDS = {1: MONTH, 3: QUARTER, 12: YEAR}
_MONTH_NUMBERS = {
    name: n
    for n, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_YEAR = re.compile(r"(?:fy\s*)?(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?")
_MONTH = re.compile(rf"({_MONTHS})\.?[\s-]+\d{{2,4}}|\d{{4}}-(0[1-9]|1[0-2])")
# Wording that names a span of its own, not one period of a series.
_ONE_OFF = re.compile(r"\bonwards\b|\bsince\b|\bto date\b|\buntil\b|\bfrom\b")


@functools.lru_cache(maxsize=4096)
def kind_of_text(period_text: str) -> str | None:
    """The period type its own wording names: "2024/25 Q1" quarterly, "2019/20" annual,
    "2020-22" or "2019/20 - 2021/22" pooled, "March 2024" or "2024-03" monthly, "April 2021
    onwards" one-off; None when there is no wording or it names no type (then the dates'
    spacing decides)."""
    text = period_text.strip().lower()
    if not text:
        return None
    if _ONE_OFF.search(text):
        return OTHER
    if _QUARTER.search(text):
        return QUARTER
    if span := _MONTH_SPAN.search(text):
        first, last = (_MONTH_NUMBERS[name[:3]] for name in span.groups())
        return _SPAN_KINDS.get((last - first) % 12 + 1)
    if _is_pooled(text):
        return POOLED  # before years: "2020-22" is three years, "2011-12" one financial year
    year = _YEAR.fullmatch(text)
    if year and _is_year_span(year.group(1), year.group(2)):
        return YEAR  # before months: "2011-12" is a financial year, as the NHS writes it
    if _MONTH.fullmatch(text):
        return MONTH
    return None


def own_wording(text: str) -> str:
    """The source's own wording of a figure's period where it names a year, years pooled or a
    one-off period ("FY2021/22", "2020-22", "April 2021 onwards", "2022"), which the month it
    ends would misstate as a month ("Mar 2022"); else ""."""
    return text.strip() if text and kind_of_text(text) in (YEAR, POOLED, OTHER) else ""


def period_words(end: dt.date | None, text: str = "") -> str:
    """A figure's period in words: its own wording (own_wording), or the month it ends."""
    if end is None:
        return ""
    return own_wording(text) or month_year(end)


def wording_disagrees(text: str, end: dt.date) -> str:
    """Why a figure's wording names another period than the one its date ends ("2020-22" on
    30 June 2024); "" where it names this one, or names no period the import reads (a
    document's "April 2021 onwards"). Any path storing both, as the figures import does."""
    if kind_of_text(text or "") not in (QUARTER, YEAR, POOLED):
        return ""
    try:
        named = period_words_date(text)
    except ParseError:
        return ""
    if named == end:
        return ""
    return (
        f"“{text.strip()}” ends on {long_day(named)}, not on this figure's period end, "
        f"{long_day(end)}: correct one or the other, or leave the wording empty."
    )


def _is_pooled(text: str) -> bool:
    try:
        return pooled_end(text) is not None
    except ParseError:  # years pooled, but not real ones: no period type
        return False


# Words a document's "when" may start with, which then reads on its own ("in 2028", "within
# five years"); any other wording ("2027/28", "March 2028") is a period the target is due by.
_WHEN_WORDS = {"by", "in", "within", "during", "over", "until", "before", "for", "at", "on"}


def by_when(end: dt.date | None, text: str = "") -> str:
    """When a target is due: in the document's words where given ("by 2027/28", "in 2028"),
    else by its date ("by 31 March 2028"), which the app judges by; "" with neither."""
    text = text.strip() if text else ""
    if text:
        first, *rest = text.split(maxsplit=1)
        if first.lower() in _WHEN_WORDS:
            return " ".join([first.lower(), *rest])  # read mid-sentence: "target 12% by 2028"
        return f"by {text}"
    return f"by {long_day(end)}" if end else ""


def _is_year_span(first: str, second: str | None) -> bool:
    """ "2019", "2019/20", "2019-2020": a year; "2024-04" is a month, not a year."""
    if second is None:
        return True
    return int(second) % 10 ** len(second) == (int(first) + 1) % 10 ** len(second)


# The same, looked up by the number of days: one dict lookup per pair of dates.
_KIND_OF_DAYS = {days: kind for kind, step in reversed(STEPS.items()) for days in step}


def kind_of_gap(earlier: dt.date, later: dt.date) -> str | None:
    return _KIND_OF_DAYS.get((later - earlier).days)


@dataclass(frozen=True)
class LeftOut:
    period_end: dt.date
    value: Decimal
    period_text: str
    why: str


@dataclass
class Series:
    kind: str | None  # of the charted run; None when the values make no regular run
    points: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)


def one_period_type(values: list[tuple[dt.date, Decimal, str]]) -> Series:
    """The latest run of values one period apart, of the series' own period type (the most
    common spacing between its dates), oldest first; and the other values, each with why it
    is not in the run. Values with no regular spacing at all are charted as they are."""
    values = sorted(values)
    kinds = [kind_of_text(text) for _, _, text in values]
    if POOLED in kinds and len(_families(values, kinds)) > 1:
        return _pooled_apart(values, kinds)
    gaps = [kind_of_gap(a[0], b[0]) for a, b in zip(values, values[1:], strict=False)]
    if POOLED in kinds:
        gaps = _pooled_steps(gaps, kinds)
    counts = Counter(gaps)
    del counts[None]
    if not counts:
        return _everything(values)
    # The spacing of the latest run of three or more values, so a measure whose figures went
    # from quarterly to monthly is charted on its monthly ones; else the most common spacing,
    # and on a tie the one the latest values have.
    last_seen = {gap: i for i, gap in enumerate(gaps)}
    kind = _latest_run_kind(gaps) or max(counts, key=lambda k: (counts[k], last_seen[k]))
    # Whether each value's own wording names this period type or none (then it fits); a run
    # of years pooled holds only figures worded so.
    fits = [k == kind if kind == POOLED else k in (None, kind) for k in kinds]

    end = len(values) - 1
    while end >= 0 and not fits[end]:
        end -= 1
    if end < 0:
        return _everything(values)
    start = end
    while start > 0 and gaps[start - 1] == kind and fits[start - 1]:
        start -= 1
    # A latest value after a break stands alone: it is the run (a run chart), and the values
    # before the break stay out of the limits, an annual figure among them.
    run = values[start : end + 1]
    left_out = [
        LeftOut(d, v, text, _why(text, kind, i < start, run[0][0]))
        for i, (d, v, text) in enumerate(values)
        if not start <= i <= end
    ]
    return Series(kind, [(d, v) for d, v, _ in run], left_out)


def _pooled_steps(gaps: list[str | None], kinds: list[str | None]) -> list[str | None]:
    """The gaps, where a figure of years pooled is beside one: one step of a pooled series
    between two pooled figures a year apart (a rolling "2018-20", "2019-21"), and no step at
    all beside any other figure, so a pooled figure never joins a yearly run as a year."""
    return [
        (POOLED if before == after == POOLED and gap == YEAR else None)
        if POOLED in (before, after)
        else gap
        for gap, before, after in zip(gaps, kinds, kinds[1:], strict=False)
    ]


def _latest_run_kind(gaps: list[str | None], points: int = 3) -> str | None:
    """The spacing of the latest run of at least `points` values one period apart."""
    run, kind = 0, None
    for gap in reversed(gaps):
        if gap is not None and gap == kind:
            run += 1
        else:
            if run + 1 >= points:
                return kind
            run, kind = (1, gap) if gap is not None else (0, None)
    return kind if run + 1 >= points else None


def _families(values: list[tuple[dt.date, Decimal, str]], kinds: list) -> dict:
    """The values by family, each family's in date order: the figures of each span of years
    pooled ("2018-20" and "2019-21" one family, "2017-21" another, "2019/20 - 2021/22" a
    third), and every other figure together (their run is found by their spacing)."""
    families = {}
    for value, kind in zip(values, kinds, strict=True):
        key = pooled_span(value[2]) if kind == POOLED else None
        families.setdefault(key, []).append(value)
    return families


def _pooled_apart(values: list[tuple[dt.date, Decimal, str]], kinds: list) -> Series:
    """Figures of years pooled and the others never join one run, nor do pooled figures of
    another span, and none breaks another's run (a "2020-22" between 2021/22 and 2022/23 is no
    break in the yearly run): each family's run is found on its own, and the chart takes the
    one of three or more points that ends latest (else the longer), the other families'
    figures left out, each saying why."""
    families = _families(values, kinds)
    series = {key: one_period_type(family) for key, family in families.items()}
    runs = [(key, run) for key, run in series.items() if run.kind is not None]
    if not runs:
        return _everything(values)
    charted, run = max(
        runs, key=lambda r: (len(r[1].points) >= 3, r[1].points[-1][0], len(r[1].points))
    )
    # The other families' figures are of another period, wherever they fall: never "before a
    # break" or "after the run" of a series they were never part of.
    left_out = run.left_out + [
        LeftOut(d, v, text, _another_family(key, series[key].kind, text, charted, run.kind))
        for key, family in families.items()
        if key != charted
        for d, v, text in family
    ]
    return Series(run.kind, run.points, sorted(left_out, key=lambda v: v.period_end))


def _another_family(key, kind: str | None, text: str, charted, charted_kind: str) -> str:
    if key is not None and charted is not None:  # both pooled, over other spans
        return f"a figure of {_pooled_words(key)}, not {_pooled_words(charted)}"
    return _other_period(kind_of_text(text) or kind, charted_kind)


def _pooled_words(span: tuple[int, bool]) -> str:
    years, financial = span
    return f"{years} {'financial' if financial else 'calendar'} years pooled"


def _other_period(kind: str | None, charted: str) -> str:
    if kind is None or kind == charted:
        return f"a figure of another period, not {KIND_WORDS[charted]}"
    return f"{a_kind(kind)} figure, not {KIND_WORDS[charted]}"


def a_kind(kind: str) -> str:
    """ "an annual", "a one-off", "a pooled": a period type's words after an article."""
    words = KIND_WORDS[kind]
    return f"{'an' if words == 'annual' else 'a'} {words}"


def _everything(values: list[tuple[dt.date, Decimal, str]]) -> Series:
    return Series(None, [(d, v) for d, v, _ in values])


def _why(text: str, kind: str, before: bool, run_start: dt.date) -> str:
    text_kind = kind_of_text(text)
    if text_kind not in (None, kind):
        return _other_period(text_kind, kind)
    if before:
        return f"before a break in the series (the next value is for {run_start:%-d %b %Y})"
    return f"after the latest {KIND_WORDS[kind]} run"
