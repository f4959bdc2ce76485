"""Figures out as CSV, in the import's own columns (measures/columns.py), safe to open in a
spreadsheet: the export of reported values, and the template to fill in."""

import csv
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from measures.columns import COLUMNS, NAMES, Column
from measures.models import MeasureValue
from measures.parsing import ParseError, parse_period, period_wording

# The import's column of a period's wording, written last where it reads back (period_cell).
PERIOD = next(c.name for c in COLUMNS if c.field == "period_text")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guarded(text: str) -> bool:
    """Text a spreadsheet would run as a formula, after any apostrophes it starts with: a
    text that is itself "'-5 against plan" is guarded too, so the import, taking one
    apostrophe off, gives it back as it was."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if _guarded(text) else text


class _Echo:
    """csv.writer's file for a streamed download: hands each written line back instead of
    keeping it."""

    def write(self, line: str) -> str:
        return line


def line_writer():
    """A csv.writer whose writerow returns the line it wrote, for a file sent as it is made."""
    return csv.writer(_Echo())


def unneutralise(text: str) -> str:
    """The text as it was before neutralise(), so an exported file imports back unchanged."""
    if text.startswith("'") and _guarded(text[1:]):
        return text[1:]
    return text


def period_cell(period_text: str, period_end: dt.date) -> str:
    """A figure's period wording for the import's `period` column, where the import reads it
    back as this period ("2024/25", "2024/25 Q1", "2020-22") and stores it as it is; "" where
    it would refuse the row (a document's "April 2021 onwards") or store it otherwise (spaces
    closed up), and an empty cell keeps the wording stored."""
    if not period_text or period_wording(period_text) != period_text:
        return ""
    try:
        parse_period(period_end.isoformat(), period_text)  # as the import reads a row
    except ParseError:
        return ""
    return period_text


def _csv_response(file_name: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    return response, csv.writer(response)


def _cell(value: MeasureValue, column: Column) -> str:
    if column.field == "measure":
        return value.measure.code
    cell = getattr(value, column.field)
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f")  # 1200.0000 → 1200: a number stays a number
    return neutralise(cell)


# The illustrative example's figures are made up: every file of them says so on every row.
ILLUSTRATIVE = "Illustrative data — not from a published document"


def values_csv_response(
    values: Iterable[MeasureValue], file_name: str, illustrative: bool = False
) -> HttpResponse:
    """Reported values (with their measures selected), in the columns that import back; the
    period's wording last (period_cell), as the read API's values CSV has it, so the columns
    before it keep their places. The illustrative example's file says so in a column after
    it, on every row (the import ignores it), and in its name."""
    if illustrative:
        file_name = file_name.removesuffix(".csv") + "-illustrative.csv"
    response, writer = _csv_response(file_name)
    exported = [c for c in COLUMNS if c.exported]
    label = [ILLUSTRATIVE] if illustrative else []
    writer.writerow([*(c.name for c in exported), PERIOD, *(["illustrative"] if label else [])])
    for value in values:
        cells = [_cell(value, c) for c in exported]
        writer.writerow([*cells, period_cell(value.period_text, value.period_end), *label])
    return response


def template_csv_response(measures: Iterable[tuple[str, str]]) -> HttpResponse:
    """Every column, and a row for each (code, name) of a measure with those two filled in."""
    response, writer = _csv_response("figures-template.csv")
    writer.writerow(NAMES)
    for code, name in measures:
        filled = {"measure_code": code, "measure_name": neutralise(name)}
        writer.writerow(filled.get(column, "") for column in NAMES)
    return response
