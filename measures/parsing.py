"""Reading the figures people type into spreadsheets: periods and numbers. Pure, no Django."""

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from strategy_tracker.dates import FIRST_TRACKED_DAY, LONG_MONTHS

QUARTER_ENDS = {(3, 31), (6, 30), (9, 30), (12, 31)}
# One such point would stretch a measure's charts back across the centuries.
EARLIEST_PERIOD_END = FIRST_TRACKED_DAY
# UK financial quarters: Q1 is April to June.
FINANCIAL_QUARTER_ENDS = {1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)}

_FINANCIAL_QUARTER = re.compile(
    r"^(?:FY\s*)?(?P<start>\d{4})\s*/\s*(?P<end>\d{2}|\d{4})\s*Q(?P<q>[1-4])$", re.IGNORECASE
)
_NUMBER = re.compile(r"^[+-]?(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")
UNICODE_MINUSES = "\u2212\u2013\u2012\ufe63\uff0d"
# Most cells, read as they are: ASCII digits, a point, perhaps a minus, nothing to tidy.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# Where a comma may mark decimals: one separator before three digits (2,500 or 2.500), which
# reads as thousands or as decimals; and decimal commas, alone (77,5) or with points (1.234,5).
_ONE_GROUP = re.compile(r"([+-]?)([1-9][0-9]{0,2})[.,]([0-9]{3})")
_DECIMAL_COMMA = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]*),[0-9]+")


class ParseError(ValueError):
    """The text cannot be read as what was asked for; the message says why, for a person."""


def shortened(text: str, limit: int = 40) -> str:
    """Text as a message repeats it, cut short: a preview of a file of very long cells does
    not repeat them all in full."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str) -> str:
    return f"“{shortened(text)}”"


def parse_iso_date(text: str) -> dt.date:
    text = text.strip()
    # Read with the digits and dashes of other scripts as numbers are (٢٠٢٤-٠٦-٣٠, 2024–06–30).
    plain = ascii_signs(text)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", plain):
        raise ParseError(f"{quoted(text)} is not a date in the form YYYY-MM-DD, e.g. 2024-06-30.")
    try:
        return dt.date.fromisoformat(plain)
    except ValueError:
        raise ParseError(f"{quoted(text)} is not a real date.") from None


def _check_financial_year(start: int, end: str, text: str) -> None:
    """A financial year's second year ("25" or "2025" of 2024/25) follows its first; "00"
    follows 1999 (the century turns)."""
    end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if len(end) == 2 and end_year < start:
        end_year += 100
    if end_year != start + 1:
        raise ParseError(f"{quoted(text)}: a financial year runs from one year to the next.")


def parse_financial_quarter(text: str) -> dt.date:
    """'2024/25 Q1' → 2024-06-30, the end of that UK financial quarter."""
    match = _FINANCIAL_QUARTER.match(text.strip())
    if not match:
        raise ParseError(
            f"{quoted(text)} is not a financial quarter such as 2024/25 Q1 (April to June 2024)."
        )
    start = int(match["start"])
    _check_financial_year(start, match["end"], text)
    years_on, month, day = FINANCIAL_QUARTER_ENDS[int(match["q"])]
    try:
        return dt.date(start + years_on, month, day)
    except ValueError:  # year 0: no calendar has it
        raise ParseError(f"{quoted(text)} is not a real financial quarter.") from None


_YEAR = re.compile(r"^(?:FY\s*)?(?P<start>\d{4})(?:\s*[/-]\s*(?P<end>\d{2}|\d{4}))?$", re.I)
# Years pooled, as public-health rates are published (Fingertips' "2020 - 22"): calendar
# years "2020-22" or "2020 – 2022", financial years "2019/20 - 2021/22" or "2016/17 - 20/21".
_POOLED_CALENDAR = re.compile(r"(?P<first>\d{4})\s*[-–]\s*(?P<last>\d{2}|\d{4})")
_POOLED_FINANCIAL = re.compile(
    r"(?P<first>\d{4})\s*/\s*(?P<first_end>\d{2}|\d{4})\s*[-–]\s*"
    r"(?P<last>\d{2}|\d{4})\s*/\s*(?P<last_end>\d{2}|\d{4})"
)
# A dash between two calendar years is a financial year ("2011-12", as the NHS writes it) when
# it spans two; three or more are pooled. More than ten is taken for a slip ("2020-19").
FEWEST_CALENDAR_YEARS_POOLED, MOST_YEARS_POOLED = 3, 10


def later_year(first: int, digits: str) -> int:
    """The year a span ends: "2020-22" ends in 2022, "1998-01" in 2001."""
    if len(digits) == 4:
        return int(digits)
    year = (first // 100) * 100 + int(digits)
    return year if year >= first else year + 100


def pooled_end(text: str) -> dt.date | None:
    """The day a period of pooled years ends: "2020-22" (three calendar years) 2022-12-31,
    "2019/20 - 2021/22" (three financial years) 2022-03-31; None where the text names no
    pooled years ("2011-12" is the financial year 2011/12). ParseError where it names them
    but not as real years ("2019/21 - 2021/22", "2021/22 - 2019/20")."""
    text = text.strip()
    if match := _POOLED_FINANCIAL.fullmatch(text):
        first = int(match["first"])
        last = later_year(first, match["last"])
        _check_financial_year(first, match["first_end"], text)
        _check_financial_year(last, match["last_end"], text)
        if not 2 <= last - first + 1 <= MOST_YEARS_POOLED:
            raise ParseError(
                f"{quoted(text)} is not years pooled: it names two to {MOST_YEARS_POOLED} "
                "financial years, the earliest first, as 2019/20 - 2021/22."
            )
        return _year_end(last + 1, 3, 31, text)
    if match := _POOLED_CALENDAR.fullmatch(text):
        first = int(match["first"])
        years = later_year(first, match["last"]) - first + 1
        if FEWEST_CALENDAR_YEARS_POOLED <= years <= MOST_YEARS_POOLED:
            return _year_end(first + years - 1, 12, 31, text)
        if not 1 <= years <= MOST_YEARS_POOLED:
            raise ParseError(
                f"{quoted(text)} is neither a financial year (one year to the next, as "
                f"2019-20) nor years pooled (three to {MOST_YEARS_POOLED}, the earliest "
                "first, as 2018-20)."
            )
    return None


def pooled_first_year(text: str) -> int | None:
    """The first year of pooled years ("2018-22" 2018, "2019/20 - 2021/22" 2019): two pooled
    periods ending the same day are two periods unless they start the same year too."""
    text = text.strip()
    match = _POOLED_FINANCIAL.fullmatch(text) or _POOLED_CALENDAR.fullmatch(text)
    return int(match["first"]) if match else None


def pooled_span(text: str) -> tuple[int, bool] | None:
    """How many years pooled years span, and whether they are financial years: "2018-20"
    (3, False), "2019/20 - 2021/22" (3, True). A rate pooled over five years and one over three,
    or over calendar and financial years, are figures of two periods, never one series."""
    text = text.strip()
    if match := _POOLED_FINANCIAL.fullmatch(text):
        first = int(match["first"])
        return later_year(first, match["last"]) - first + 1, True
    if match := _POOLED_CALENDAR.fullmatch(text):
        first = int(match["first"])
        return later_year(first, match["last"]) - first + 1, False
    return None


def _year_end(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:  # year 0 or past 9999: no calendar has it
        raise ParseError(f"{quoted(text)} is not a real year.") from None


def period_words_date(text: str) -> dt.date:
    """The `period` column: a financial quarter ('2024/25 Q1' → 2024-06-30), or a year, for
    a yearly figure, kept in its own words on every page: a financial year ('2024/25' →
    2025-03-31) or a calendar year ('2024' → 2024-12-31); or years pooled, kept so too:
    three or more calendar years ('2020-22' → 2022-12-31) or financial years ('2019/20 -
    2021/22' → 2022-03-31)."""
    if _FINANCIAL_QUARTER.match(text.strip()):
        return parse_financial_quarter(text)
    if pooled := pooled_end(text):
        return pooled
    match = _YEAR.match(text.strip())
    if not match:
        raise ParseError(
            f"{quoted(text)} is not a financial quarter such as 2024/25 Q1 (April to June "
            "2024), a financial year such as 2024/25, a calendar year such as 2024, or years "
            "pooled such as 2020-22 or 2019/20 - 2021/22."
        )
    start, end = int(match["start"]), match["end"]
    if end is None and text.strip()[:2].upper() == "FY":
        raise ParseError(
            f"{quoted(text)} does not say which financial year: write it as "
            f"{start - 1}/{start % 100:02d} or {start}/{(start + 1) % 100:02d}."
        )
    if end is not None:
        _check_financial_year(start, end, text)
    try:
        return dt.date(start + 1, 3, 31) if end is not None else dt.date(start, 12, 31)
    except ValueError:  # year 0: no calendar has it
        raise ParseError(f"{quoted(text)} is not a real year.") from None


def is_quarter_end(date: dt.date) -> bool:
    return (date.month, date.day) in QUARTER_ENDS


def day_text(date: dt.date) -> str:
    """'30 June 2024'; the year always in four digits ('30 June 0001', not '30 June 1')."""
    return f"{date.day} {LONG_MONTHS[date.month - 1]} {date.year:04d}"


def period_wording(text: str) -> str:
    """A period as written, each run of spaces as one: '2024 /  25 Q1' → '2024 / 25 Q1'.
    A financial quarter may have spaces anywhere between its parts; kept as written, a
    padded one would not fit where the wording is stored."""
    return " ".join(text.split())


def parse_number(text: str, *, allow_percent: bool, comma_may_be_decimal: bool = False) -> Decimal:
    """'1,234.5' → 1234.5; '12%' (where a % is allowed); '−3' with a Unicode minus → -3.
    With `comma_may_be_decimal` (a file whose fields are separated by semicolons, as where a
    comma marks decimals and a point thousands), a number that could be read either way
    ('2,500' or '2.500': 2500, or 2.5?) is refused as ambiguous, and one with a decimal comma
    ('77,5', '1.234,5') is refused saying so."""
    if _PLAIN_NUMBER.fullmatch(text) and not (comma_may_be_decimal and _ONE_GROUP.fullmatch(text)):
        return Decimal(text)
    raw = text
    text = _without_thousands_spaces(ascii_signs(text.strip()), raw)
    if not text:
        raise ParseError("The value is empty; every row needs a number.")
    percent = ""
    if text.endswith("%"):
        if not allow_percent:
            raise ParseError(f"{quoted(raw)} has a % sign, but this measure is not a percentage.")
        text, percent = text[:-1], "%"
    if comma_may_be_decimal and (reason := read_two_ways(text, percent)):
        raise ParseError(f"{quoted(raw)} {reason}")
    if not _NUMBER.match(text):
        if text[:1] in CURRENCY_SIGNS and _NUMBER.match(text[1:].strip()):
            # What Excel writes from a cell formatted as currency.
            raise ParseError(
                f"{quoted(raw)} is not a number: type it without the {text[0]}, as "
                f"{text[1:].strip()}."
            )
        raise ParseError(f"{quoted(raw)} is not a number.")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise ParseError(f"{quoted(raw)} is not a number.") from None


CURRENCY_SIGNS = "£$€"
# Spaces a number may be written with: between groups of thousands, and before a % sign.
_SPACE = "[ \u00a0\u202f\u2009]"
# A decimal comma too ("1 234,5"), so that a file separated by semicolons is told of it.
_SPACED_THOUSANDS = re.compile(rf"[+-]?[1-9][0-9]{{0,2}}(?:{_SPACE}[0-9]{{3}})+(?:[.,][0-9]+)?%?")


def _without_thousands_spaces(text: str, raw: str) -> str:
    """'1 000 000' → '1000000' and '12 %' → '12%'; a space anywhere else in a number ('1 5',
    '12 34.5') is refused, never closed up into another number."""
    text = re.sub(rf"{_SPACE}+%$", "%", text)
    if not re.search(_SPACE, text):
        return text
    if not _SPACED_THOUSANDS.fullmatch(text):
        raise ParseError(
            f"{quoted(raw)} has a space inside the number: a space may only separate "
            "thousands (1 000 000)."
        )
    return re.sub(_SPACE, "", text)


def ascii_signs(text: str) -> str:
    """Digits of other scripts (٣, ３) as the ASCII digits they stand for, so that every rule
    about where separators fall sees them as it sees 0-9; and the minus signs word processors
    type (−, –) as "-"."""
    if text.isascii():
        return text
    text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    for minus in UNICODE_MINUSES:
        text = text.replace(minus, "-")
    return text


def read_two_ways(text: str, percent: str = "") -> str:
    """Why a number from a file separated by semicolons cannot be read for sure, if it cannot
    (an empty string if it can). The figures import and a strategy's workbook both ask."""
    if group := _ONE_GROUP.fullmatch(text):
        sign, whole, part = group.groups()
        fraction = part.rstrip("0")
        as_decimal = f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"
        whole_number = f"{sign}{whole}{part}{percent}"
        # Three decimal places read two ways however written: a fourth, a zero, cannot.
        written, why = as_decimal, ""
        if len(fraction) == 3:
            written, why = f"{as_decimal}0", " (a fourth decimal place, so it is not thousands)"
        return (
            f"could mean {whole_number} or {as_decimal}{percent}: in a file separated by "
            "semicolons a comma may mark decimals and a point thousands. Write "
            f"{whole_number} or {written}{percent}{why}."
        )
    if _DECIMAL_COMMA.fullmatch(text):
        pointed = text.replace(".", "").replace(",", ".")
        return f"has a decimal comma: write {shortened(pointed)}{percent}, with a point."
    return ""


def parse_period(iso: str, quarter: str) -> dt.date:
    """The period a row names by its end date, its financial quarter, or both (which must agree)."""
    return _parse_period(iso, period_wording(quarter))


@functools.lru_cache(maxsize=4096)  # a file names few periods, on many rows
def _parse_period(iso: str, quarter: str) -> dt.date:
    if not iso and not quarter:
        raise ParseError("No period: fill in period_end (YYYY-MM-DD) or period (2024/25 Q1).")
    from_iso = parse_iso_date(iso) if iso else None
    from_quarter = period_words_date(quarter) if quarter else None
    if from_iso and from_quarter and from_iso != from_quarter:
        raise ParseError(
            f"period_end {from_iso.isoformat()} and period {quoted(quarter)} "
            f"(ending {from_quarter.isoformat()}) disagree."
        )
    return from_iso or from_quarter
