"""A strategy as a file: the workbook (.xlsx) and CSV formats, read into typed values or
refused in plain words, and written so that reading them back gives the same values.

The columns come from editor/columns.py. Reading never writes anything: a file that cannot
be read at all raises WorkbookError; a cell that cannot be read becomes a problem on its row,
so that a preview can show every problem at once. Nothing a user typed is silently ignored:
other sheets, hidden rows and columns, merged cells, formulas and unnamed columns are all
reported.
"""

import bisect
import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Context, Decimal

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from editor.columns import (
    ITEM_COLUMNS,
    ITEMS_SHEET,
    LEVELS,
    STRATEGY_COLUMNS,
    STRATEGY_ROWS_ADDED_LATER,
    STRATEGY_SHEET,
    Column,
)
from measures.csv_files import (
    MAX_FIELD_CHARS,
    READ_FIELD_CHARS,
    CsvFileError,
    _check_not_binary,
    _encoding,
)
from measures.exporting import ILLUSTRATIVE
from measures.parsing import ascii_signs, read_two_ways

README_SHEET = "Read me"
DRAWN_FROM = "Strategy Tracker: drawn from"  # the workbook's document property
# An items CSV has no document properties: the same fingerprint goes in a last column.
CSV_DRAWN_FROM = "Drawn from"
# An items CSV of the illustrative example says so on every row, in a column the reader drops.
CSV_ILLUSTRATIVE = "Illustrative"
MB = 1_000_000
# The parts of a workbook, unpacked, may be at most this much (or 20 times the upload limit,
# if smaller): a small zip can unpack to gigabytes, and openpyxl takes about 0.2 s and 15 MB
# of memory per MB of a sheet. 10,000 rows of items unpack to about 6 MB. zipfile stops at
# each part's stated size, so the stated sizes are enough to check.
MAX_UNPACKED_BYTES = 25 * MB
# Reporting each merged range on each row it covers is cheap for a few; a sheet of thousands
# is refused as a whole instead.
MAX_MERGED_RANGES = 1_000
DATE_FORMAT = "dd/mm/yyyy"
FIRST_EXCEL_DATE = dt.date(1900, 3, 1)  # before it, Excel's dates count a 29 February 1900
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
XLSX_NAMES = (".xlsx", ".xlsm", ".xltx", ".xltm")
NUMBER_KINDS = ("date", "decimal", "integer", "bool")  # empty is None, not ""
MONTHS = "January February March April May June July August September October November December"
# The document's own wording of a date, where the items have a column for it: named each, so a
# new pair is listed here, not found by the shape of its names.
WORDING = {
    date: next(c for c in ITEM_COLUMNS if c.key == words)
    for date, words in {
        "due_date": "due_text",
        "baseline_period": "baseline_period_text",
        "target_date": "target_period_text",
    }.items()
}


class WorkbookError(ValueError):
    """The file cannot be read at all; the message says why in plain words. Nothing is read."""


@dataclass
class SheetRow:
    sheet: str  # "Items", for a CSV file too
    row: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, object]  # every ITEM_COLUMNS key; "" or None where empty or unreadable
    problems: list[str]  # each names the column heading, if it is about one cell


@dataclass
class StrategyFile:
    strategy: dict[str, object] | None  # None when there is no Strategy sheet (a CSV file)
    strategy_problems: list[str]  # each names sheet and row: 'Sheet "Strategy", row 5 (...)'
    rows: list[SheetRow]  # the items; blank rows skipped
    file_kind: str  # "xlsx" or "csv"
    # A CSV separated by semicolons, where a comma may mark decimals and a point thousands.
    comma_may_be_decimal: bool = False
    # The draft a workbook was downloaded from, as it was then (structure_export.fingerprint).
    drawn_from: str = ""


class _Unreadable(ValueError):
    """One cell's value cannot be read; the message says why, without the column's heading."""


@dataclass
class _Sheet:
    """A sheet's cells that hold something, and what hides or merges them."""

    label: str  # 'Sheet "Items"', or "" for a CSV file
    rows: dict[int, dict[int, tuple[object, str]]]  # row -> column -> (value, data type)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    merged: list[tuple[str, int, int]] = field(default_factory=list)  # range, first, last row
    thousands_commas: bool = True  # False where "1,5" may mean one and a half

    def at(self, row: int) -> str:
        return f"{self.label}, row {row}" if self.label else f"Row {row}"

    def layout_problems(self) -> dict[int, list[str]]:
        """Row -> what hides or merges its cells, for the rows that hold something."""
        problems = defaultdict(list)
        numbers = sorted(self.rows)
        for row in sorted(self.hidden_rows & set(numbers)):
            problems[row].append(
                "row is hidden; unhide it (or delete it) so what is imported is what you can see"
            )
        for cells, first, last in self.merged:
            for row in numbers[bisect.bisect_left(numbers, first) : bisect.bisect(numbers, last)]:
                problems[row].append(
                    f"cells {cells} are merged; unmerge them and give each cell its own value"
                )
        return problems


# Reading


def read_strategy_file(
    data: bytes, file_name: str, max_bytes: int, max_rows: int = 10_000
) -> StrategyFile:
    """The file's strategy details and items, by its content (a zip is a workbook, text is
    CSV); the name only shapes the messages. WorkbookError if it cannot be read at all."""
    if len(data) > max_bytes:
        raise WorkbookError(
            f"The file is {len(data) / MB:.1f} MB; the limit is {max_bytes / MB:.0f} MB. "
            "Split it into smaller files."
        )
    if not data:
        raise WorkbookError("The file is empty.")
    if data.startswith(OLE_SIGNATURE):
        raise WorkbookError(_ole_message(data))
    if data.startswith(b"PK"):
        return _read_workbook(data, file_name, max_bytes, max_rows)
    if file_name.lower().endswith(XLSX_NAMES):
        raise WorkbookError(_damaged(file_name))
    return _read_csv(data, max_bytes, max_rows)


def _ole_message(data: bytes) -> str:
    # Old .xls workbooks and password-protected .xlsx are both OLE files; only the second has
    # a stream of this name.
    if "EncryptionInfo".encode("utf-16-le") in data:
        return (
            "This workbook is protected by a password, so it cannot be read. Open it in Excel, "
            "remove the password (File › Info › Protect Workbook › Encrypt with Password) and "
            "save it as an Excel Workbook (.xlsx)."
        )
    return (
        "This is an old Excel workbook (.xls). Open it in Excel and save it as an Excel "
        "Workbook (.xlsx)."
    )


def _damaged(file_name: str) -> str:
    return (
        f'"{file_name}" could not be read as an Excel workbook (.xlsx): it may be damaged. '
        "Open it in Excel and save it again as an Excel Workbook (.xlsx)."
    )


def _read_workbook(data: bytes, file_name: str, max_bytes: int, max_rows: int) -> StrategyFile:
    _check_parts(data, file_name, max_bytes)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
        sheets = {name.strip().lower(): name for name in book.sheetnames}
        others = [n for key, n in sheets.items() if key not in ("items", "strategy", "read me")]
        if "items" not in sheets:
            found = ", ".join(f'"{n}"' for n in book.sheetnames)
            raise WorkbookError(
                f"The workbook has no sheet called “{ITEMS_SHEET}” (its sheets are {found}). "
                f"The items must be on a sheet called “{ITEMS_SHEET}”, as in the template: "
                "rename the sheet, or copy the rows into the template."
            )
        if others:
            raise WorkbookError(
                f'The workbook has a sheet "{others[0]}" that is not read: move its rows to '
                f'"{ITEMS_SHEET}" or delete the sheet.'
            )
        items = _sheet(book[sheets["items"]], ITEMS_SHEET)
        strategy = (
            _sheet(book[sheets["strategy"]], STRATEGY_SHEET) if "strategy" in sheets else None
        )
    except WorkbookError:
        raise
    except Exception:  # any failure to parse an uploaded file means it cannot be read
        raise WorkbookError(_damaged(file_name)) from None
    rows = _read_items(items, max_rows)
    details, problems = _read_strategy(strategy) if strategy else (None, [])
    drawn = next((p.value for p in book.custom_doc_props.props if p.name == DRAWN_FROM), "")
    return StrategyFile(details, problems, rows, "xlsx", drawn_from=str(drawn or ""))


def _check_parts(data: bytes, file_name: str, max_bytes: int) -> None:
    limit = min(20 * max_bytes, MAX_UNPACKED_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(part.file_size for part in archive.infolist())
    except Exception:  # zipfile raises several kinds (NotImplementedError for odd versions)
        raise WorkbookError(_damaged(file_name)) from None
    if unpacked > limit:
        raise WorkbookError(
            f"The workbook unpacks to {unpacked / MB:,.0f} MB, more than the {limit / MB:.0f} MB "
            "a workbook may hold. Delete what the import does not need (pictures, other "
            "sheets, formatting of empty cells) and upload it again."
        )
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        reason = "This is an Excel Binary Workbook (.xlsb)."
    elif "mimetype" in names:
        reason = "This is an OpenDocument spreadsheet (.ods)."
    else:
        raise WorkbookError(_damaged(file_name))
    raise WorkbookError(f"{reason} Open it and save it as an Excel Workbook (.xlsx).")


def _sheet(sheet, name: str) -> _Sheet:
    if not isinstance(sheet, Worksheet):
        raise WorkbookError(f'Sheet "{name}" is a chart, not a sheet of cells.')
    rows = defaultdict(dict)
    # The cells as stored, not iter_rows(), which makes a cell for every position up to the
    # furthest one ever formatted: that can be a million rows down.
    for (row, column), cell in sheet._cells.items():
        if not _blank(cell.value):
            rows[row][column] = _as_shown(cell)
    hidden_columns = set()
    for key, dimension in sheet.column_dimensions.items():
        if dimension.hidden:
            first = dimension.min or column_index_from_string(key)
            hidden_columns.update(range(first, (dimension.max or first) + 1))
    merged = [(str(r), r.min_row, r.max_row) for r in sheet.merged_cells.ranges]
    if len(merged) > MAX_MERGED_RANGES:
        raise WorkbookError(
            f'Sheet "{name}" has {len(merged):,} merged ranges of cells. Unmerge them all '
            "(select the whole sheet, then Merge & Center › Unmerge Cells) and give each cell "
            "its own value."
        )
    return _Sheet(
        label=f'Sheet "{name}"',
        rows=dict(sorted(rows.items())),
        hidden_rows={r for r, d in sheet.row_dimensions.items() if d.hidden},
        hidden_columns=hidden_columns,
        merged=merged,
    )


def _read_csv(data: bytes, max_bytes: int, max_rows: int) -> StrategyFile:
    try:
        _check_not_binary(data, max_bytes)
        encoding = _encoding(data)
    except CsvFileError as error:
        raise WorkbookError(str(error)) from None
    text = data.decode(encoding)
    first_line = text.lstrip("\r\n").partition("\n")[0]
    _refuse_figures(first_line)
    # A comma unless semicolons find more of the template's headings.
    delimiter = max(",;", key=lambda d: len(_known_headings(first_line, d)))
    csv.field_size_limit(READ_FIELD_CHARS)  # as measures/csv_files.py sets it: one setting
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, number = {}, 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = {i: (_unescape(v), "s") for i, v in enumerate(record, 1) if not _blank(v)}
            if any(len(value) > MAX_FIELD_CHARS for value, _ in cells.values()):
                raise WorkbookError(_too_long(f"Row {number}"))  # its formula guard taken off
            if cells:
                rows[number] = cells
    except csv.Error as error:
        place = f"Row {number + 1}"  # the record after the last one read
        if "field larger" in str(error):
            raise WorkbookError(_too_long(place)) from None
        raise WorkbookError(f"{place} cannot be read as CSV: {error}.") from None
    drawn_from = _take_drawn_from(rows)
    _drop_column(rows, CSV_ILLUSTRATIVE)  # a label, not an item's: the draft says it
    sheet = _Sheet(label="", rows=rows, thousands_commas=delimiter == ",")
    items = _read_items(sheet, max_rows)
    return StrategyFile(
        None, [], items, "csv", comma_may_be_decimal=delimiter == ";", drawn_from=drawn_from
    )


def _too_long(place: str) -> str:
    return (
        f"{place} has a value longer than {MAX_FIELD_CHARS:,} characters, the most a cell may hold."
    )


def _take_drawn_from(rows: dict[int, dict[int, tuple[object, str]]]) -> str:
    """The fingerprint in an items CSV's "Drawn from" column (write_csv), taken out of the
    rows; "" if it has none. Rows pasted in from another download are refused."""
    header = rows.get(1, {})
    index = next(
        (i for i, (v, _) in header.items() if str(v).strip().lower() == CSV_DRAWN_FROM.lower()),
        None,
    )
    if index is None:
        return ""
    found = {str(cells.pop(index)[0]).strip() for cells in rows.values() if index in cells}
    found.discard(CSV_DRAWN_FROM)
    for number in [n for n, cells in rows.items() if not cells]:
        del rows[number]  # a row cleared but for its fingerprint is a blank row, as before
    if len(found) > 1:
        raise WorkbookError(
            f'Column "{CSV_DRAWN_FROM}" holds fingerprints of two downloads of the strategy: '
            "rows from an older download would put back what was changed since. Download "
            "the items again and make your changes in that file."
        )
    return found.pop() if found else ""


def _drop_column(rows: dict[int, dict[int, tuple[object, str]]], heading: str) -> None:
    """Take a column write_csv adds out of the rows (its heading and every cell)."""
    header = rows.get(1, {})
    index = next(
        (i for i, (v, _) in header.items() if str(v).strip().lower() == heading.lower()), None
    )
    if index is None:
        return
    for cells in rows.values():
        cells.pop(index, None)
    for number in [n for n, cells in rows.items() if not cells]:
        del rows[number]


def _refuse_figures(first_line: str) -> None:
    """A file of quarterly figures brought here by mistake is named as one, rather than
    refused column by column."""
    for delimiter in ",;":
        names = {h.strip().lower() for h in _headings(first_line, delimiter)}
        if {"measure_code", "value"} <= names:  # no strategy's column has either name
            raise WorkbookError(
                "This is a file of quarterly figures (measure_code, value): import it under "
                "Import figures (/measures/import/). This page reads a strategy's items."
            )


def _headings(line: str, delimiter: str) -> list[str]:
    """The cells of a CSV file's first line, split at `delimiter` (none if it cannot be)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _known_headings(line: str, delimiter: str) -> set[Column]:
    return {c for h in _headings(line, delimiter) if (c := _item_column(h))}


def _item_column(heading: object) -> Column | None:
    name = str(heading).strip().lower()
    return next((c for c in ITEM_COLUMNS if name in (c.heading.lower(), c.key)), None)


def _read_items(sheet: _Sheet, max_rows: int) -> list[SheetRow]:
    columns = _item_headings(sheet)
    if len(sheet.rows) - 1 > max_rows:
        raise WorkbookError(
            f"{sheet.label or 'The file'} has {len(sheet.rows) - 1:,} rows of items; the limit "
            f"is {max_rows:,}. Split it into smaller files."
        )
    _refuse_hidden_columns(sheet, {i: c.heading for i, c in columns.items()}, first_row=2)
    layout = sheet.layout_problems()
    rows = []
    for number, cells in sheet.rows.items():
        if number == 1:
            continue
        values = {c.key: _empty(c) for c in ITEM_COLUMNS}
        problems, unreadable = layout.get(number, []), set()
        for index, (value, data_type) in sorted(cells.items()):
            column = columns.get(index)
            if column is None:
                problems.append(
                    f"column {get_column_letter(index)} has a value but no heading in row 1; "
                    "give the column a heading or delete the value"
                )
                continue
            try:
                values[column.key] = _convert(column, value, data_type, sheet.thousands_commas)
            except _Unreadable as problem:
                problems.append(f"{column.heading}: {problem}")
                unreadable.add(column)
        for column in columns.values():
            if column.required and values[column.key] == "" and column not in unreadable:
                problems.append(f"{column.heading}: is empty; every row needs one")
        rows.append(SheetRow(ITEMS_SHEET, number, values, problems))
    return rows


def _item_headings(sheet: _Sheet) -> dict[int, Column]:
    """Column number -> Column, from the header row; WorkbookError if it is not the template's."""
    where = sheet.at(1)
    for cells, first, _ in sheet.merged:
        if first == 1:
            raise WorkbookError(
                f"{where}: cells {cells} are merged; unmerge them and give each column its "
                "own heading."
            )
    header = sheet.rows.get(1)
    if not header:
        raise WorkbookError(
            f"{where} is empty: the column headings must be in row 1, as in the template."
        )
    columns, unknown, seen = {}, [], defaultdict(list)
    for index, (value, _) in sorted(header.items()):
        column = _item_column(value)
        if column is None:
            unknown.append(f'"{str(value).strip()}"')
        else:
            columns[index] = column
            seen[column].append(get_column_letter(index))
    if len(unknown) == 1:
        raise WorkbookError(
            f"{where}: column {unknown[0]} is not one the import reads. Rename it to a heading "
            "from the template, or delete the column."
        )
    if unknown:
        raise WorkbookError(
            f"{where}: columns {', '.join(unknown)} are not ones the import reads. Rename each "
            "to a heading from the template, or delete it."
        )
    for column, letters in seen.items():
        if len(letters) > 1:
            raise WorkbookError(
                f'{where}: the heading "{column.heading}" is in columns '
                f"{' and '.join(letters)}; keep one of them."
            )
    missing = [f'"{c.heading}"' for c in ITEM_COLUMNS if c.required and c not in seen]
    if missing:
        raise WorkbookError(
            f"{where}: there is no column {' or '.join(missing)}, and every file needs "
            f"{'them' if len(missing) > 1 else 'one'}. Download the template to see the columns."
        )
    return columns


def _refuse_hidden_columns(sheet: _Sheet, headings: dict[int, str], first_row: int) -> None:
    used = {c for row, cells in sheet.rows.items() if row >= first_row for c in cells}
    for index in sorted(sheet.hidden_columns & used):
        heading = f" ({headings[index]})" if index in headings else ""
        raise WorkbookError(
            f"{sheet.label}: column {get_column_letter(index)}{heading} is hidden but has values "
            "in it; unhide it (or delete it) so what is imported is what you can see."
        )


def _read_strategy(sheet: _Sheet) -> tuple[dict[str, object], list[str]]:
    by_name = {name: c for c in STRATEGY_COLUMNS for name in (c.heading.lower(), c.key)}
    values = {c.key: _empty(c) for c in STRATEGY_COLUMNS}
    given, problems = {}, []
    _refuse_hidden_columns(sheet, {1: "Field", 2: "Value"}, first_row=1)
    layout = sheet.layout_problems()
    for number, cells in sheet.rows.items():
        label = str(cells[1][0]).strip() if 1 in cells else ""
        if number == 1 and label.lower() == "field":
            continue  # the header row
        where = sheet.at(number)
        column = by_name.get(label.lower())
        if column is None:
            problems.append(
                f'{where}: "{label}" is not a field the import reads; use the fields in the '
                "template"
                if label
                else f"{where}: has a value but no field name in column A"
            )
            continue
        where += f" ({column.heading})"
        problems += [f"{where}: {p}" for p in layout.get(number, [])]
        for index in sorted(set(cells) - {1, 2}):
            problems.append(
                f"{where}: column {get_column_letter(index)} has a value, but only column B is read"
            )
        if column.key in given:
            problems.append(f"{where}: is given again (first in row {given[column.key]}); keep one")
            continue
        given[column.key] = number
        if 2 not in cells:
            continue
        try:
            values[column.key] = _convert(column, *cells[2])
        except _Unreadable as problem:
            problems.append(f"{where}: {problem}")
    for key in STRATEGY_ROWS_ADDED_LATER - given.keys():
        del values[key]
    for column in STRATEGY_COLUMNS:
        if not column.required:
            continue
        if column.key not in given:
            problems.append(
                f'{sheet.label}: there is no row for "{column.heading}", which every strategy '
                "needs; add one, with its value in column B"
            )
        elif given[column.key] and 2 not in sheet.rows[given[column.key]]:
            problems.append(
                f"{sheet.at(given[column.key])} ({column.heading}): is empty; every strategy "
                "needs one"
            )
    return values, problems


# One cell


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _empty(column: Column) -> object:
    return None if column.kind in NUMBER_KINDS else ""


def _unescape(text: str) -> str:
    """A CSV text as typed: write_csv puts an apostrophe before one that Excel would run."""
    text = text.strip()
    return text[1:] if re.match(r"'+[=+\-@]", text) else text


# A number format's % sign, outside its quoted text and escaped characters ('0"%"' shows 75
# as 75%; '0%' shows 0.75 as 75%).
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.')
_SHOWS_DAY = re.compile(r"d|general", re.I)  # a date format showing the day (or Excel's own)


def _as_excel_shows(value: float | int) -> str:
    """A number as Excel shows it, to 15 significant digits: a cell showing 3.3 may hold the
    double 3.3000000000000003 (=1.1*3 pasted as a value), whose 17 digits are no figure."""
    return f"{value:.15g}" if isinstance(value, float) else str(value)


def _as_shown(cell) -> tuple[object, str]:
    """The cell's value and kind, but a number shown as a percentage as the text it shows:
    Excel stores 75% typed into a cell as 0.75, which read as a number is a hundred times
    too small. As "75%", a number column refuses it as it refuses the same in a CSV."""
    value, kind = cell.value, cell.data_type
    if kind == "n" and isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in _FORMAT_LITERALS.sub("", cell.number_format or ""):
            return f"{_plain(_normal(Decimal(_as_excel_shows(value)) * 100))}%", "s"
    shown = _FORMAT_LITERALS.sub("", cell.number_format or "General")
    if isinstance(value, dt.date) and not _SHOWS_DAY.search(shown):
        # "March 2026" typed into a cell: Excel stores 1 March 2026 and shows "Mar-26". As
        # the text it shows, a date column refuses it and asks for the day and the words.
        return f"{value:%b %Y}", "s"
    return value, kind


def _convert(column: Column, value: object, data_type: str, thousands_commas=True) -> object:
    """The cell's value as its column's kind; _Unreadable, saying why, if it is not one."""
    if data_type == "f":
        formula = getattr(value, "text", value)  # an array formula's text
        if not isinstance(formula, str):
            formula = "a data table"
        shown = formula if len(formula) <= 40 else formula[:37] + "..."
        raise _Unreadable(f"holds a formula ({shown}); type the value itself")
    if data_type == "e":
        raise _Unreadable(f"holds the error {value}; type the value itself")
    if isinstance(value, str):
        value = value.strip().replace("\r\n", "\n").replace("\r", "\n")
        if len(value) > MAX_FIELD_CHARS:
            raise _Unreadable(
                f"is {len(value):,} characters long; the most a cell may hold is "
                f"{MAX_FIELD_CHARS:,}"
            )
    if _blank(value):
        return _empty(column)
    if column.kind == "date":
        return _date(column, value)
    if column.kind == "decimal":
        return _decimal(value, thousands_commas)
    if column.kind == "integer":
        number = _decimal(value, thousands_commas)
        if number != number.to_integral_value():
            raise _Unreadable(f'"{_shown(value)}" is not a whole number')
        return int(number)
    if column.kind == "bool":
        return _yes_or_no(value)
    text = _text(value)
    if column.kind == "choice":
        match = next((c for c in column.choices if c.lower() == text.lower()), None)
        if match is None:
            allowed = ", ".join(f'"{c}"' for c in column.choices[:-1])
            raise _Unreadable(f'"{text}" is not one of {allowed} or "{column.choices[-1]}"')
        return match
    return text


def _shown(value: object) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):  # a cell of 1e999, which Excel can store
            raise _Unreadable("the cell holds a number too large for any column; type it again")
        return _plain(_normal(Decimal(repr(value))))
    return str(value)


def _echoed(number: int | float) -> str:
    """A number quoted back in a message: as stored, unless that would run to dozens of digits
    (1e300 in full is 301), then as Excel shows it, 1E+300."""
    shown = _shown(number)
    return shown if len(shown) <= 20 else f"{number:.6G}"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows it
    if isinstance(value, int | float):
        return _shown(value)  # e.g. a Number typed as 2.1, which Excel stores as a number
    if isinstance(value, str):
        return value
    shown = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
    raise _Unreadable(
        f"Excel has turned what was typed into a date or time ({shown}); format the column as "
        "Text and type it again"
    )


def _date(column: Column, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise _Unreadable(
                f"{value:%d/%m/%Y %H:%M} has a time of day; type the date alone: {value:%d/%m/%Y}"
            )
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _Unreadable(f"{_echoed(value)} is a number, not a date; type the date as 31/03/2014")
    text = str(value)
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = map(int, match.groups())
    elif match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = map(int, match.groups())
    else:
        wording = WORDING.get(column.key)
        also = f' and put the document\'s wording in "{wording.heading}"' if wording else ""
        raise _Unreadable(f'"{text}" is not a date; type it as 31/03/2014{also}')
    try:
        return dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12 and year >= 1:
            raise _Unreadable(f"there is no {day} {MONTHS.split()[month - 1]} {year}") from None
        raise _Unreadable(f'"{text}" is not a date; type it as 31/03/2014') from None


def _decimal(value: object, thousands_commas: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        shown = f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value).upper()
        raise _Unreadable(f"{shown} is not a number")
    text = _as_excel_shows(value) if isinstance(value, float) else str(value)
    plain = ascii_signs(text)  # as the figures import reads them
    number = plain.removesuffix("%").strip()
    # Before the % sign's advice, which would otherwise name a number refused in turn; a
    # comma keeps its own message, below.
    if not thousands_commas and "." in number and (reason := read_two_ways(number)):
        raise _Unreadable(f'"{text}" {reason.rstrip(".")}')
    if plain.endswith("%"):
        raise _Unreadable(f'"{text}" is not a number; type {number}, not {text}')
    if "," in plain:
        if not (thousands_commas and re.fullmatch(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?", plain)):
            raise _Unreadable(
                f'"{text}" is not a number; type it with a full stop before any decimals, as 1234.5'
            )
        plain = plain.replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", plain):
        raise _Unreadable(f'"{text}" is not a number')
    number = Decimal(plain)
    if number and number.adjusted() > 20:
        raise _Unreadable(f'"{text}" is too large a number')
    if number and number.adjusted() < -20:
        raise _Unreadable(f'"{text}" is too small a number')
    return _normal(number)


def _normal(number: Decimal) -> Decimal:
    """23.2000 as 23.2, so equal values read back alike; 100 as 100, never 1E+2. The context is
    just wide enough that no digit is rounded away."""
    exact = Context(prec=max(len(number.as_tuple().digits), number.adjusted() + 1, 1))
    number = number.normalize(exact)
    if number.as_tuple().exponent > 0:
        number = number.quantize(Decimal(1), context=exact)
    return number


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _yes_or_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    answer = {"yes": True, "y": True, "true": True, "1": True}
    answer |= {"no": False, "n": False, "false": False, "0": False}
    text = _text(value).lower()
    if text not in answer:
        raise _Unreadable(f'"{text}" is not yes or no')
    return answer[text]


# Writing


def write_workbook(
    strategy: dict[str, object], rows: list[dict[str, object]], drawn_from: str = ""
) -> bytes:
    """The workbook the template and the export share: "Strategy", "Items" and "Read me".
    `drawn_from`: the fingerprint of the draft it was drawn from, kept as a document property
    (Excel and LibreOffice keep it when the workbook is saved)."""
    book = openpyxl.Workbook()
    if drawn_from:
        book.custom_doc_props.append(StringProperty(name=DRAWN_FROM, value=drawn_from))
    details = book.active
    details.title = STRATEGY_SHEET
    details.append(["Field", "Value"])
    for row, column in enumerate(STRATEGY_COLUMNS, start=2):
        details.cell(row, 1, column.heading)
        _put(details.cell(row, 2), strategy.get(column.key))
    _style_header(details, {"A": 34, "B": 80})

    items = book.create_sheet(ITEMS_SHEET)
    items.append([c.heading for c in ITEM_COLUMNS])
    for row, values in enumerate(rows, start=2):
        for index, column in enumerate(ITEM_COLUMNS, start=1):
            _put(items.cell(row, index), values.get(column.key))
    widths = {}
    for index, column in enumerate(ITEM_COLUMNS, start=1):
        letter = get_column_letter(index)
        longest = max((len(_csv_text(r.get(column.key))) for r in rows[:200]), default=0)
        widths[letter] = min(max(len(column.heading), longest, 8) + 2, 50)
        # Typed into later, a text column keeps "2.1" as text, a date column shows dates.
        if column.kind == "text":
            items.column_dimensions[letter].number_format = "@"
        elif column.kind == "date":
            items.column_dimensions[letter].number_format = DATE_FORMAT
    _style_header(items, widths)
    _write_read_me(book.create_sheet(README_SHEET), items)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(
    rows: list[dict[str, object]], drawn_from: str = "", illustrative: bool = False
) -> bytes:
    """The items alone, in UTF-8 with a byte-order mark so that Excel opens it right.
    `drawn_from`: the fingerprint of the draft it was drawn from, in a last column on every
    row (so sorting the rows keeps it), as a workbook keeps it in a document property. The
    illustrative example's items say so in a column before it (the workbook's Illustrative
    row), which the reader drops."""
    out = io.StringIO()
    writer = csv.writer(out)
    extra = ([(CSV_ILLUSTRATIVE, ILLUSTRATIVE)] if illustrative else []) + (
        [(CSV_DRAWN_FROM, drawn_from)] if drawn_from else []
    )
    last = [cell for _, cell in extra]
    writer.writerow([c.heading for c in ITEM_COLUMNS] + [heading for heading, _ in extra])
    for values in rows:
        writer.writerow([_csv_text(values.get(c.key), escape=True) for c in ITEM_COLUMNS] + last)
    return out.getvalue().encode("utf-8-sig")


def _csv_text(value: object, escape: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _plain(_normal(value))
    text = str(value).strip()
    # Excel runs a CSV field that starts like a formula; an apostrophe makes it text, and
    # the reader takes one apostrophe off again.
    if escape and re.match(r"'*[=+\-@]", text):
        return "'" + text
    return text


def _put(cell, value: object) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, dt.date) and value < FIRST_EXCEL_DATE:
        _put_text(cell, value.isoformat())  # Excel has no such date; text reads back the same
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        number = _normal(value)
        if _exact_in_excel(number):
            integral = number == number.to_integral_value()
            cell.value = int(number) if integral else float(number)
        else:
            _put_text(cell, _plain(number))  # read back as the same number
    elif isinstance(value, int):
        if _exact_in_excel(Decimal(value)):
            cell.value = value
        else:
            _put_text(cell, str(value))
    else:
        _put_text(cell, str(value))


def _exact_in_excel(number: Decimal) -> bool:
    """Whether the number survives as a number cell: Excel keeps 15 significant digits, and
    openpyxl writes a number with 16."""
    return len(number.as_tuple().digits) <= 15 and Decimal(f"{float(number):.16g}") == number


def _put_text(cell, text: str) -> None:
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters XML cannot hold
    cell.data_type = "s"  # text, even if it starts with "=": openpyxl would make a formula
    # Text in the cell too, not only the column: typed over, "1.10" stays "1.10", not 1.1.
    cell.number_format = "@"
    if text[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # Excel's own way to keep it text when the cell is edited


def _style_header(sheet, widths: dict[str, int]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width


def _write_read_me(sheet, items) -> None:
    sheet.append(["How to fill in this workbook"])
    sheet.append(
        [
            f"Put one row per priority, objective, milestone or measure on “{ITEMS_SHEET}”, and "
            f"the strategy's own details on “{STRATEGY_SHEET}”. Dates are typed as 31/03/2025. "
            "Leave a cell empty if its row does not use it. This sheet is not read."
        ]
    )
    sheet.append([])
    sheet.append(["Sheet", "Column", "Used by", "What to put", "Allowed values"])
    header_row = sheet.max_row
    for sheet_name, columns in ((ITEMS_SHEET, ITEM_COLUMNS), (STRATEGY_SHEET, STRATEGY_COLUMNS)):
        for column in columns:
            used_by = ", ".join(column.levels) if column.levels != LEVELS else "every row"
            allowed = ", ".join(column.choices) or {"bool": "yes or no"}.get(column.kind, "")
            help_text = f"Required. {column.help}" if column.required else column.help
            if sheet_name == STRATEGY_SHEET:
                used_by = ""
            sheet.append([sheet_name, column.heading, used_by, help_text.strip(), allowed])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=14)
    for letter, width in {"A": 10, "B": 34, "C": 30, "D": 70, "E": 40}.items():
        sheet.column_dimensions[letter].width = width

    # The choices, one a cell, for the drop-down lists on Items: an inline list cannot hold a
    # value with a comma in it ("rate per 1,000").
    list_column = 8
    for index, column in enumerate(ITEM_COLUMNS, start=1):
        if column.kind != "choice":
            continue
        source = get_column_letter(list_column)
        sheet.cell(header_row, list_column, column.heading).font = Font(bold=True)
        for offset, choice in enumerate(column.choices, start=1):
            _put_text(sheet.cell(header_row + offset, list_column), choice)
        last = header_row + len(column.choices)
        check = DataValidation(
            type="list",
            formula1=f"'{README_SHEET}'!${source}${header_row + 1}:${source}${last}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            error=f"Choose one of the values listed on “{README_SHEET}”.",
        )
        letter = get_column_letter(index)
        check.add(f"{letter}2:{letter}1048576")
        items.add_data_validation(check)
        list_column += 1
