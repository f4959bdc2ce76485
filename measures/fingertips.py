"""National indicators' published figures, fetched from OHID Fingertips and proposed as an
import of figures: the same stored upload, preview and confirm as a CSV file an Admin
uploads (measures/importing.py), so nothing is written until an Admin confirms it, and every
figure's source names the indicator, area and period it came from.

The API, as the fingertips_py package (PyPI) calls it, under FINGERTIPS_API_URL:

- `indicator_metadata/by_indicator_id?indicator_ids=N`: JSON, {"N": {…, "YearType":
  {"Name": "Financial"}}}, without "N" for an indicator that does not exist. The year type
  says whether "2022/23" is a financial year (ending 31 March) or, say, an academic one.
- `all_data/csv/by_indicator_id?indicator_ids=N&child_area_type_id=T&parent_area_type_id=15`
  (`&include_sortable_time_periods=yes`): CSV, a row per area, sex, age, category and period,
  in Fingertips' own columns ("Area Code", "Sex", "Age", "Category Type", "Time period",
  "Value", "Value note", …). Read by column name, so a new column changes nothing.
- `areas/by_area_type?area_type_id=T`: JSON, [{"Code": …, "Name": …}, …]; asked only when no
  row names the linked area, to say whether the code or the area type is wrong.

Which rows are a measure's figures: the linked area's, the link's sex ("Persons" unless set),
the whole population (no category: not a deprivation decile or an ethnic group), and one age
band: the link's, else the only one the area's rows have, else "All ages"; anything else is
refused, naming the bands. A row with no value, or a period that cannot be mapped to the
quarter it ends (or that the import would refuse: before 1990, before the measure's
baseline, in the future), is left out and said so.

The indicator's unit (its metadata's "Unit") is checked against the measure's first
(unit_refusal): a % or rate on another scale, or a % or rate for a measure of counts, days,
£, scores or ratios, is refused for that measure, never converted.
"""

import csv
import datetime as dt
import http.client
import io
import itertools
import json
import math
import re
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.error import HTTPError
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from measures.columns import NAMES
from measures.exporting import neutralise
from measures.importing import MAX_DECIMAL_PLACES, ImportReport, preview, store_upload
from measures.models import ImportBatch, Measure, MeasureValue, NationalIndicator, Unit
from measures.national_indicator_model import Sex
from measures.parsing import (
    EARLIEST_PERIOD_END,
    ParseError,
    day_text,
    is_quarter_end,
    later_year,
    parse_financial_quarter,
    period_words_date,
    shortened,
)
from strategy_tracker.dates import LONG_MONTHS, SHORT_MONTHS

DEFAULT_API_URL = "https://fingertips.phe.org.uk/api/"
TIMEOUT_SECONDS = 30  # for connecting, and for each read of the answer
# Well above one indicator's figures for every area of a type, sex, age and period: anything
# bigger is not what was asked for, and is not read on.
MAX_RESPONSE_BYTES = 50 * 1024 * 1024
ENGLAND_AREA_TYPE = 15  # every area type's parent, so the download works for any of them
USER_AGENT = "strategy-tracker (fetch_fingertips)"
IMPORT_PERMISSION = "measures.import_measurevalue"
DATA_COLUMNS = (
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Sex",
    "Age",
    "Category Type",
    "Time period",
    "Value",
    "Value note",
)
ALL_AGES = "All ages"
_ROUNDED = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)  # what the database holds: 0.0001
# Digits before the point the database holds (14 in all, 4 after it): 10**10 is too large.
_LARGEST_DIGITS = MeasureValue._meta.get_field("value").max_digits - MAX_DECIMAL_PLACES


class FingertipsError(Exception):
    """Fingertips' answer for an indicator cannot be used; the message says why."""


class FingertipsRefused(FingertipsError):
    """Fingertips answered with an HTTP error."""


class FingertipsUnreachable(Exception):
    """Fingertips cannot be reached at all: the run stops and proposes nothing."""


def api_url() -> str:
    return getattr(settings, "FINGERTIPS_API_URL", DEFAULT_API_URL).rstrip("/") + "/"


# --- asking Fingertips --------------------------------------------------------------------------


def _fetch(path: str, params: dict, what: str) -> bytes:
    """The whole body of Fingertips' answer, or FingertipsError saying why there is none."""
    url = f"{api_url()}{path}?{urlencode(params)}"
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        response = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
    except ValueError as error:  # not a web address at all
        raise FingertipsUnreachable(
            f"FINGERTIPS_API_URL ({api_url()}) is not a web address ({error})."
        ) from None
    except HTTPError as error:
        error.close()
        raise FingertipsRefused(
            f"Fingertips answered the request for {what} with HTTP {error.code} "
            f"({error.reason}). Try again later; if it persists, check the link's IDs."
        ) from None
    except (OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", None) or error
        raise FingertipsUnreachable(
            f"Could not reach Fingertips at {api_url()} ({reason}). This server needs access "
            "to the internet (through a proxy, set HTTPS_PROXY). Nothing was proposed."
        ) from None
    with response:
        return _read_whole(response, what)


def _read_whole(response: http.client.HTTPResponse, what: str) -> bytes:
    chunks, size = [], 0
    try:
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise FingertipsError(
                    f"Fingertips' answer for {what} is over {_size(MAX_RESPONSE_BYTES)}, more "
                    "than one indicator's figures: it was not read."
                )
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as error:  # a reset, a timeout, a bad chunk
        raise FingertipsError(
            f"Fingertips' answer for {what} was cut short ({error}). Nothing of it was used; "
            "try again."
        ) from None
    # urllib stops quietly at the end of the connection, leaving `length` the bytes that the
    # Content-Length header announced and that never came.
    if response.length:
        raise FingertipsError(
            f"Fingertips' answer for {what} was cut short: {size:,} bytes of the "
            f"{size + response.length:,} it announced arrived. Nothing of it was used; try again."
        )
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count / 2**20:.0f} MB" if count >= 2**20 else f"{count:,} bytes"


def _json(path: str, params: dict, what: str):
    data = _fetch(path, params, what)
    try:
        return json.loads(data.replace(b"\x00", b"").decode("utf-8-sig"))
    # ValueError: JSON's own errors, and numbers too long to read; RecursionError: nesting.
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise FingertipsError(
            f"Fingertips' answer for {what} is not the JSON it sends ({error}); it begins "
            f"{_beginning(data)}."
        ) from None


def _beginning(data: bytes) -> str:
    text = data[:200].decode("utf-8", errors="replace")
    return f"“{shortened(' '.join(text.split()), 60)}”" if text.strip() else "with nothing"


@dataclass(frozen=True)
class Indicator:
    id: int
    name: str
    year_type: str  # Fingertips' word for its years: "Calendar", "Financial", "Academic"…
    # Fingertips' unit: its label ("%", "per 100,000", "years"; None: it gave none) and what
    # a figure is out of (its "Value": 100 for a %, 100000 for a rate per 100,000).
    unit: str | None = None
    unit_value: float | None = None


def indicator(indicator_id: int) -> Indicator:
    """The indicator's name, year type and unit; FingertipsError if Fingertips has no such
    one."""
    what = f"indicator {indicator_id}'s description"
    found = _json("indicator_metadata/by_indicator_id", {"indicator_ids": indicator_id}, what)
    if not isinstance(found, dict):
        raise FingertipsError(f"Fingertips' answer for {what} is not the JSON it sends.")
    metadata = found.get(str(indicator_id))
    if not isinstance(metadata, dict):
        raise FingertipsError(
            f"Fingertips has no indicator {indicator_id}. Check the link's indicator ID: the "
            "number after /iid/ in the indicator's address on the Fingertips site."
        )
    descriptive = metadata.get("Descriptive") or {}
    year_type = metadata.get("YearType") or {}
    unit = metadata.get("Unit")
    label = unit.get("Label") if isinstance(unit, dict) else None
    value = unit.get("Value") if isinstance(unit, dict) else None
    return Indicator(
        indicator_id,
        str(descriptive.get("Name", "") if isinstance(descriptive, dict) else ""),
        str(year_type.get("Name", "") if isinstance(year_type, dict) else ""),
        None if label is None else " ".join(str(label).split()),
        _finite(value),
    )


def _finite(value) -> float | None:
    """A number Fingertips gave, as a float; None for anything else (text, 1e999)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value) if math.isfinite(value) else None
    except OverflowError:
        return None


# --- units --------------------------------------------------------------------------------------

# The measures' units that say what a figure is out of: a figure fetched on another scale
# would be stored 10, 100 or 1,000 times too large or too small, and read as it stands.
SCALES = {
    Unit.PERCENT: 100,
    Unit.RATE_PER_1000: 1_000,
    Unit.RATE_PER_10000: 10_000,
    Unit.RATE_PER_100000: 100_000,
}
_PER = re.compile(r"per\s+(\d[\d,]*)", re.IGNORECASE)  # "per 100,000", "per 1,000 births"
# What figures in each unscaled unit are, in words.
_PLURALS = {
    Unit.COUNT: "counts",
    Unit.DAYS: "numbers of days",
    Unit.POUNDS: "sums of money (£)",
    Unit.SCORE: "scores",
    Unit.RATIO: "ratios",
}


def indicator_scale(about: Indicator) -> int | None:
    """What the indicator's figures are out of: 100 for a % (or "per 100"), 100,000 for a
    rate per 100,000; None for figures out of nothing (counts, years, scores)."""
    label = about.unit or ""
    per = _PER.match(label)
    if label != "%" and not per:
        return None
    value = about.unit_value
    if value and value > 1 and float(value).is_integer():
        return int(value)
    return 100 if label == "%" else int(per[1].replace(",", "")) or None


def _scale_words(scale: int) -> str:
    return "as a percentage (%)" if scale == 100 else f"per {scale:,}"


def _figures_words(unit: str) -> str:
    """What a measure's figures are: "percentages", "rates per 1,000", "counts"."""
    if unit == Unit.PERCENT:
        return "percentages"
    return _PLURALS.get(unit) or unit.replace("rate ", "rates ", 1)


def unit_refusal(measure: Measure, about: Indicator) -> str:
    """Why the indicator's figures cannot be the measure's as they stand, if they cannot: a
    % or a rate on another scale than the measure's unit, or a % or rate for a measure
    counting something else (a count, days, £, a score, a ratio). A measure whose unit is
    not stated is not checked. Nothing is converted: a figure proposed is Fingertips'."""
    if measure.unit == Unit.NUMBER:
        return ""
    name = f"indicator {about.id}" + (f" ({about.name})" if about.name else "")
    ours, wanted = _figures_words(measure.unit), SCALES.get(measure.unit)
    if about.unit is None:
        if wanted is None:
            return ""
        return (
            f"Fingertips does not say what unit {name} is published in, so its figures cannot "
            f"be checked against {measure.code}'s unit ({measure.unit}). Check the indicator on "
            f"the Fingertips site, and link one published {_scale_words(wanted)}."
        )
    scale = indicator_scale(about)
    if scale == wanted:
        return ""
    published = _scale_words(scale) if scale else f"in {about.unit or 'numbers'}"
    text = f"Fingertips publishes {name} {published}, but {measure.code}'s unit is {measure.unit}"
    if scale and wanted:
        times, size = (scale / wanted, "large") if scale > wanted else (wanted / scale, "small")
        text += f": its figures would be stored {times:,.0f} times too {size}"
    else:
        text += f": its figures are not {ours}"
    same = next((unit for unit, n in SCALES.items() if n == scale), None)
    text += ". Link an indicator published " + (_scale_words(wanted) if wanted else f"as {ours}")
    if same:
        text += f", or change the measure's unit to {same.label} if that is what it tracks"
    return text + ". Nothing was fetched for it."


def area_names(area_type_id: int) -> dict[str, str]:
    """Code → name of every area of this Fingertips area type (none: no such area type)."""
    what = f"the areas of area type {area_type_id}"
    areas = _json("areas/by_area_type", {"area_type_id": area_type_id}, what)
    if not isinstance(areas, list) or not all(isinstance(a, dict) and "Code" in a for a in areas):
        raise FingertipsError(f"Fingertips' answer for {what} is not the JSON it sends.")
    return {str(a["Code"]): str(a.get("Name", "")) for a in areas}


@dataclass(frozen=True)
class DataRow:
    """One row of Fingertips' CSV of figures, the columns read here."""

    line: int
    indicator_name: str
    area_code: str
    area_name: str
    sex: str
    age: str
    category_type: str
    period: str
    value: str
    value_note: str


@dataclass
class Download:
    """An indicator's figures for one area type: the rows of the areas asked for."""

    indicator_id: int
    area_type_id: int
    rows: int  # every row, whichever area
    by_area: dict[str, list[DataRow]]

    @property
    def what(self) -> str:
        return f"indicator {self.indicator_id} at area type {self.area_type_id}"


def download(indicator_id: int, area_type_id: int, area_codes: set[str]) -> Download:
    """The rows of indicator_id's figures at area_type_id for these areas; FingertipsError if
    the answer is not whole, readable CSV in Fingertips' columns."""
    params = {
        "indicator_ids": indicator_id,
        "child_area_type_id": area_type_id,
        "parent_area_type_id": ENGLAND_AREA_TYPE,
        "include_sortable_time_periods": "yes",
    }
    result = Download(indicator_id, area_type_id, 0, {code: [] for code in area_codes})
    # A NUL byte is never Fingertips' and no database text column takes one.
    data = _fetch("all_data/csv/by_indicator_id", params, result.what).replace(b"\x00", b"")
    reader = csv.reader(
        io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""), strict=True
    )
    try:
        header = next(reader, None)
        if header is None:
            return result  # an empty answer: no figures at all
        columns = {name.strip(): i for i, name in reversed(list(enumerate(header)))}
        missing = [name for name in DATA_COLUMNS if name not in columns]
        if missing:
            raise FingertipsError(
                f"Fingertips' answer for {result.what} is not its CSV of figures: the header "
                f"lacks {', '.join(missing)}. It begins {_beginning(data)}."
            )
        wanted = [columns[name] for name in DATA_COLUMNS]
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise FingertipsError(
                    f"Fingertips' answer for {result.what} was cut short or garbled: line "
                    f"{reader.line_num} has {len(record)} fields, its header {len(header)}. "
                    "Nothing of it was used; try again."
                )
            result.rows += 1
            cells = [record[i].strip() for i in wanted]
            if cells[1] in result.by_area:
                result.by_area[cells[1]].append(DataRow(reader.line_num, *cells))
    except (csv.Error, UnicodeDecodeError) as error:
        raise FingertipsError(
            f"Fingertips' answer for {result.what} cannot be read as CSV at line "
            f"{reader.line_num + 1} ({error}): it was cut short or garbled. Nothing of it was "
            "used; try again."
        ) from None
    return result


# --- periods ------------------------------------------------------------------------------------


# "2020 - 22" (years pooled), "2022/23", "2016/17 - 20/21"
_CALENDAR_SPAN = re.compile(r"(\d{4})\s*-\s*(\d{2}|\d{4})")
_FINANCIAL_YEAR = re.compile(r"(\d{4})\s*/\s*(\d{2})")
_FINANCIAL_SPAN = re.compile(r"(\d{4})\s*/\s*(\d{2})\s*-\s*(\d{2})\s*/\s*(\d{2})")
_MONTH = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{4})")  # "Mar 2024", "March 2024"
_MONTHS = {
    name.casefold(): number
    for number, names in enumerate(zip(SHORT_MONTHS, LONG_MONTHS, strict=True), start=1)
    for name in names
} | {"sept": 9}


def period_end(label: str, year_type: str) -> dt.date:
    """As _period_end, with a year no calendar has ("Dec 9999", "0000") a ParseError too."""
    try:
        return _period_end(label, year_type)
    except (ValueError, OverflowError) as error:
        if isinstance(error, ParseError):
            raise
        raise ParseError(f"“{' '.join(label.split())}” is not a date this reads") from None


def _period_end(label: str, year_type: str) -> dt.date:
    """The day the period Fingertips names ends: "2022" (a calendar year) 31 December 2022,
    "2020 - 22" 31 December 2022, "2022/23" (a financial year) 31 March 2023, "2016/17 - 20/21"
    31 March 2021, "2023/24 Q3" 31 December 2023, "Mar 2024" 31 March 2024. ParseError,
    saying why, for a period whose end it cannot tell without guessing: a year of an indicator
    that counts academic years, say."""
    text = " ".join(label.split())
    if re.search(r"\bQ[1-4]$", text, re.IGNORECASE):
        return parse_financial_quarter(text)
    if month := _MONTH.fullmatch(text):
        number = _MONTHS.get(month[1].casefold())
        if number is None:
            raise ParseError(f"“{text}” is not a month")
        year = int(month[2])
        return dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)
    calendar = re.fullmatch(r"\d{4}", text) or _CALENDAR_SPAN.fullmatch(text)
    financial = _FINANCIAL_YEAR.fullmatch(text) or _FINANCIAL_SPAN.fullmatch(text)
    if not (calendar or financial):
        raise ParseError(f"“{text}” is not a period this reads")
    # Its first word: "Financial", "Financial year end point"… all count April to March.
    kind = (year_type.split() or [""])[0].casefold()
    if kind != ("calendar" if calendar else "financial"):
        counted = (
            f"counts this indicator's years as {year_type} years"
            if year_type
            else "does not say what kind of years this indicator counts"
        )
        raise ParseError(
            f"Fingertips {counted}, so when “{text}” ends is not known here (only calendar "
            "and financial years are)"
        )
    if calendar:
        start = int(text[:4])
        end = later_year(start, calendar[2]) if calendar.re is _CALENDAR_SPAN else start
        if end < start or (end == start and calendar.re is _CALENDAR_SPAN):
            raise ParseError(f"“{text}” does not end after it starts")
        return dt.date(end, 12, 31)
    start = int(financial[1])
    last = later_year(start, financial[3]) if financial.re is _FINANCIAL_SPAN else start
    ends = [(start, financial[2])] + ([(last, financial[4])] if last != start else [])
    if any(later_year(first, second) != first + 1 for first, second in ends) or last < start:
        raise ParseError(f"“{text}”: a financial year runs from one year to the next")
    return dt.date(last + 1, 3, 31)


def _import_refusal(end: dt.date, measure: Measure, today: dt.date) -> str:
    """Why the import would refuse a figure for this period, if it would. Such a row is left
    out, so that one old figure does not stop the rest being confirmed."""
    if not is_quarter_end(end):
        return f"it ends on {day_text(end)}, not at the end of a quarter"
    if end > today:
        return f"it ends on {day_text(end)}, in the future"
    if end < EARLIEST_PERIOD_END:
        return f"it ends before {EARLIEST_PERIOD_END.year}, earlier than any figure this tracks"
    if measure.baseline_period and end < measure.baseline_period:
        return f"it is before this measure's baseline ({day_text(measure.baseline_period)})"
    return ""


# --- the rows that are a measure's figures ------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A figure Fingertips publishes for a linked measure, as it is proposed."""

    period: str  # Fingertips' wording
    period_end: dt.date
    value: Decimal
    source: str


@dataclass
class Fetched:
    """What one linked measure got from a run: its figures and the rows left out, or why it
    has none."""

    link: NationalIndicator
    figures: list[Figure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # each names its period and says why
    error: str = ""
    described: str = ""  # the indicator, area and population the figures are of

    @property
    def code(self) -> str:
        return self.link.measure.code


def _names(found: Iterable[str]) -> str:
    names = [f"“{name}”" for name in found]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _area(row: DataRow) -> str:
    return f"{row.area_code} ({row.area_name})"


def _age(rows: list[DataRow], link: NationalIndicator, where: str) -> str:
    """The age band whose rows are the measure's (see the module's docstring)."""
    ages = list(dict.fromkeys(r.age for r in rows))
    if link.age.strip():
        if link.age.strip() in ages:
            return link.age.strip()
        raise FingertipsError(
            f"Fingertips gives {where} for the age bands {_names(ages)}, not “{link.age}”: set "
            "the link's age to one of them."
        )
    if len(ages) == 1:
        return ages[0]
    if ALL_AGES in ages:
        return ALL_AGES
    raise FingertipsError(
        f"Fingertips gives {where} for several age bands, {_names(ages)}: set the link's age to "
        "the one the measure tracks."
    )


def choose(rows: list[DataRow], link: NationalIndicator, about: Indicator) -> Fetched:
    """The link's figures among its area's rows, and the rows of its population left out
    (with why); FingertipsError if which rows are its figures is not clear."""
    area = _area(rows[0])
    where = f"indicator {about.id} for {area}"
    whole = [r for r in rows if not r.category_type]  # not a decile's, or an ethnic group's
    if not whole:
        raise FingertipsError(f"Fingertips gives {where} only by category, not as a whole.")
    sexes = list(dict.fromkeys(r.sex for r in whole))
    if link.sex not in sexes:
        raise FingertipsError(
            f"Fingertips gives {where} for {_names(sexes)}, not “{link.sex}”: set the link's "
            "sex to the one the measure tracks."
        )
    of_sex = [r for r in whole if r.sex == link.sex]
    age = _age(of_sex, link, f"{where} ({link.sex})")
    name = about.name or rows[0].indicator_name
    fetched = Fetched(
        link, described=f"OHID Fingertips indicator {about.id} ({name}), {area}, {link.sex}, {age}"
    )
    today = timezone.localdate()
    chosen = sorted((r for r in of_sex if r.age == age), key=lambda r: r.period)
    for period, same in itertools.groupby(chosen, key=lambda r: r.period):
        same = list(same)
        values = list(dict.fromkeys(r.value for r in same))  # an area listed twice is one
        if len(values) > 1:
            raise FingertipsError(
                f"Fingertips gives {len(values)} different figures for {period} "
                f"({_names(values)}) for {area}, {link.sex}, {age}, so none was used."
            )
        figure = _figure(same[0], link, about, age, today)
        if isinstance(figure, Figure):
            fetched.figures.append(figure)
        else:
            fetched.skipped.append(f"{period}: {figure}.")
    fetched.figures.sort(key=lambda f: f.period_end)
    return fetched


def _figure(
    row: DataRow, link: NationalIndicator, about: Indicator, age: str, today: dt.date
) -> Figure | str:
    """The row as a figure, or why it is left out."""
    if not row.value:
        return f"no value ({row.value_note})" if row.value_note else "no value"
    try:
        value = Decimal(row.value)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        return f"the value “{shortened(row.value)}” is not a number"
    if value and value.adjusted() >= _LARGEST_DIGITS:
        return f"the value “{shortened(row.value)}” is too large to store"
    try:
        end = period_end(row.period, about.year_type)
    except ParseError as error:
        return str(error)
    if refusal := _import_refusal(end, link.measure, today):
        return refusal
    source = f"OHID Fingertips indicator {about.id}, {_area(row)}, {row.period}"
    if (link.sex, age) != (Sex.PERSONS, ALL_AGES):
        source += f" ({link.sex}, {age})"
    return Figure(row.period, end, value.quantize(_ROUNDED, rounding=ROUND_HALF_UP), source)


def _indicator(known: dict, indicator_id: int) -> Indicator:
    """indicator(indicator_id), asked once a run, its refusal too."""
    if indicator_id not in known:
        try:
            known[indicator_id] = indicator(indicator_id)
        except FingertipsError as error:
            known[indicator_id] = error
    if isinstance(known[indicator_id], FingertipsError):
        raise known[indicator_id]
    return known[indicator_id]


def _download_or_explain(indicator_id: int, area_type_id: int, codes: set[str]) -> Download:
    """The download; or, when Fingertips refuses it or it is empty, why: an unknown area type
    is the likeliest reason."""
    try:
        data = download(indicator_id, area_type_id, codes)
    except FingertipsRefused:
        if not _is_area_type(area_type_id):
            raise _no_area_type(area_type_id) from None
        raise
    if not data.rows:
        if not _is_area_type(area_type_id):
            raise _no_area_type(area_type_id)
        raise FingertipsError(
            f"Fingertips publishes no figures of indicator {indicator_id} for area type "
            f"{area_type_id}. Check the link's area type: the indicator may be published for "
            "another."
        )
    return data


def _is_area_type(area_type_id: int) -> bool:
    try:
        return bool(area_names(area_type_id))
    except FingertipsError:
        return True  # cannot tell: the first answer's reason stands


def _no_area_type(area_type_id: int) -> FingertipsError:
    return FingertipsError(
        f"Fingertips has no area type {area_type_id}. Check the link's area type ID (e.g. 502, "
        "upper tier local authorities; 15, England)."
    )


def _rows(data: Download, link: NationalIndicator, about: Indicator) -> list[DataRow]:
    if rows := data.by_area[link.area_code]:
        return rows
    names = area_names(data.area_type_id)
    if link.area_code not in names:
        raise FingertipsError(
            f"Fingertips has no area {link.area_code} among its {len(names):,} areas of type "
            f"{data.area_type_id}. Check the link's area code and area type."
        )
    raise FingertipsError(
        f"Fingertips publishes no figures of indicator {about.id} for {link.area_code} "
        f"({names[link.area_code]}) at area type {data.area_type_id}."
    )


def fetch(links: list[NationalIndicator]) -> list[Fetched]:
    """Each link's figures, or why it has none, in the links' order: one download for each
    indicator and area type. FingertipsUnreachable if Fingertips cannot be reached."""
    fetched: dict[int, Fetched] = {}
    indicators: dict[int, Indicator | FingertipsError] = {}

    def download_key(link: NationalIndicator) -> tuple[int, int]:
        return link.indicator_id, link.area_type_id

    for (indicator_id, area_type_id), group in itertools.groupby(
        sorted(links, key=download_key), download_key
    ):
        group = list(group)
        try:
            about = _indicator(indicators, indicator_id)
        except FingertipsError as error:
            fetched |= {link.pk: Fetched(link, error=str(error)) for link in group}
            continue
        # Checked before anything is downloaded: a figure on the wrong scale is never proposed.
        for link in group:
            if refusal := unit_refusal(link.measure, about):
                fetched[link.pk] = Fetched(link, error=refusal)
        group = [link for link in group if link.pk not in fetched]
        if not group:
            continue
        try:
            data = _download_or_explain(indicator_id, area_type_id, {k.area_code for k in group})
        except FingertipsError as error:
            fetched |= {link.pk: Fetched(link, error=str(error)) for link in group}
            continue
        for link in group:
            try:
                fetched[link.pk] = choose(_rows(data, link, about), link, about)
            except FingertipsError as error:
                fetched[link.pk] = Fetched(link, error=str(error))
    return [fetched[link.pk] for link in links]


# --- proposing an import ------------------------------------------------------------------------


def _period_wording(period: str, end) -> str:
    """The period's wording, kept with its figure as the import keeps a file's: a financial
    quarter ("2023/24 Q3"), a calendar or financial year, or years pooled, that the import
    reads to the same day ("2022", "2022/23", "2020 - 22", "2016/17 - 20/21"); anything else
    is said by the figure's source only: two calendar years pooled ("2020 - 21", which the
    import reads as the financial year 2020/21, as the NHS writes it), a month ("Mar 2024")."""
    try:
        return period if period_words_date(period) == end else ""
    except ParseError:
        return ""


def figures_csv(fetched: list[Fetched]) -> bytes:
    """The figures as a file of figures, in the import's columns (measures/columns.py)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NAMES)
    for each in fetched:
        for figure in each.figures:
            cells = {
                "measure_code": each.code,
                "measure_name": neutralise(each.link.measure.name),
                "period": _period_wording(figure.period, figure.period_end),
                "period_end": figure.period_end.isoformat(),
                "value": format(figure.value.normalize(), "f"),
                "source": neutralise(figure.source),
            }
            writer.writerow(cells.get(name, "") for name in NAMES)
    return out.getvalue().encode("utf-8")


@dataclass
class Proposal:
    """A run's outcome for one person: what each linked measure got, and the import proposed
    to them (None if nothing was) with its preview."""

    fetched: list[Fetched]
    batch: ImportBatch | None = None
    report: ImportReport | None = None

    @property
    def failed(self) -> list[Fetched]:
        return [f for f in self.fetched if f.error]

    @property
    def nothing_new(self) -> bool:
        """Figures were fetched, and the database holds every one as Fingertips gives it."""
        return self.batch is None and any(f.figures for f in self.fetched)


def _outcome(fetched: Fetched, proposal: Proposal) -> str:
    """What a link keeps of the run (last_fetch_outcome)."""
    if fetched.error:
        return fetched.error
    count = len(fetched.figures)
    text = f"{count} figure{'s' if count != 1 else ''}"
    if proposal.batch:
        text += f" proposed in import {proposal.batch.pk}."
    elif count:
        text += ", every one stored already."
    else:
        text += "."
    if fetched.skipped:
        text += " Left out: " + " ".join(fetched.skipped)
    return text


def _refused(link: NationalIndicator, user: AbstractBaseUser) -> Fetched:
    if link.measure.in_closed_strategy:
        why = f"{link.measure.code} is of a closed strategy, kept as it was when it closed: it "
        return Fetched(link, error=why + "takes no more figures.")
    return Fetched(
        link,
        error=f"{user.get_username()} may not import figures for {link.measure.code}: only "
        "Admins of the organisation responsible for it do.",
    )


def propose_import(links: Iterable[NationalIndicator], *, by: AbstractBaseUser) -> Proposal:
    """Fetch the figures of the linked measures `by` may import, and store them as one
    upload for `by` to preview and confirm (none if the database holds them all already).
    Nothing else is written but those links' last fetch. FingertipsUnreachable if Fingertips
    cannot be reached: then nothing is proposed."""
    links = list(links)
    may_import: set[int] = set()
    if by.has_perm(IMPORT_PERMISSION):
        measures = Measure.objects.imported_by(by).filter(pk__in=[k.measure_id for k in links])
        may_import = set(measures.values_list("pk", flat=True))
    allowed = [link for link in links if link.measure_id in may_import]
    try:
        fetched = {f.link.pk: f for f in fetch(allowed)}
    except FingertipsUnreachable as error:
        for link in allowed:
            link.record_fetch(str(error))
        raise
    proposal = Proposal([fetched.get(link.pk) or _refused(link, by) for link in links])
    if any(f.figures for f in proposal.fetched):
        name = f"OHID Fingertips {timezone.localtime():%Y-%m-%d %H%M}.csv"
        batch = store_upload(user=by, file_name=name, data=figures_csv(proposal.fetched))
        proposal.report = preview(batch, by=by)
        totals = proposal.report.totals
        if totals["new"] or totals["update"] or totals["error"]:
            proposal.batch = batch
        else:  # nothing to confirm: proposing it would be noise
            ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).delete()
    for link in allowed:
        link.record_fetch(_outcome(fetched[link.pk], proposal))
    return proposal
