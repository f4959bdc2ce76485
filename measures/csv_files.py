"""Turning an uploaded file into rows, as spreadsheets really save them, or a clear refusal.

Handles UTF-8 with or without a BOM and Windows-1252 (Excel's "CSV"), `,` or `;` between
fields, CRLF line ends, quoted fields with commas and newlines, and trailing blank lines.
Refuses Excel workbooks, other binary files, empty files and files over the size limit.
"""

import csv
import io
from dataclasses import dataclass, field

REQUIRED_COLUMNS = ("measure_code", "value")
PERIOD_COLUMNS = ("period_end", "period")
OPTIONAL_COLUMNS = ("note", "source", "measure_name")
KNOWN_COLUMNS = set(REQUIRED_COLUMNS) | set(PERIOD_COLUMNS) | set(OPTIONAL_COLUMNS)
MAX_FIELD_CHARS = 10_000


class CsvFileError(ValueError):
    """The file cannot be imported at all; nothing was read from it."""


@dataclass
class CsvRow:
    line: int  # where the row starts in the file; the header is line 1
    values: dict[str, str]


@dataclass
class CsvFile:
    encoding: str
    delimiter: str
    columns: list[str]
    extra_columns: list[str]
    rows: list[CsvRow] = field(default_factory=list)

    @property
    def encoding_label(self) -> str:
        return {
            "utf-8-sig": "UTF-8 (with a byte-order mark)",
            "utf-8": "UTF-8",
            "cp1252": "Windows-1252 (as Excel saves “CSV”)",
        }[self.encoding]


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            raise CsvFileError("The file says it is UTF-8 but is not valid UTF-8.") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise CsvFileError(
            "The file's text is neither UTF-8 nor Windows-1252. Save it as “CSV UTF-8”."
        ) from None


def _check_not_binary(data: bytes, max_bytes: int) -> None:
    if not data.strip():
        raise CsvFileError("The file is empty.")
    if len(data) > max_bytes:
        raise CsvFileError(
            f"The file is {len(data) / 1_000_000:.1f} MB; the limit is "
            f"{max_bytes / 1_000_000:.0f} MB. Split it into smaller files."
        )
    if data.startswith(b"PK\x03\x04"):
        raise CsvFileError(
            "This is an Excel workbook (.xlsx) or another zip file, not a CSV file. "
            "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvFileError(
            "This is an old-style Excel workbook (.xls), not a CSV file. "
            "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(
            "This file is UTF-16 text (Excel's “Unicode Text”). Save it as “CSV UTF-8” instead."
        )
    if b"\x00" in data[:65536]:
        raise CsvFileError("This is not a text file, so it cannot be a CSV file.")


def _header_columns(first_line: str, delimiter: str) -> list[str]:
    return [c.strip().lower() for c in next(csv.reader([first_line], delimiter=delimiter))]


def _choose_delimiter(text: str) -> str:
    """`,` or `;`: whichever splits the header into more of the columns we know."""
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    scores = {d: len(KNOWN_COLUMNS & set(_header_columns(first_line, d))) for d in (",", ";")}
    return max(scores, key=lambda d: (scores[d], d == ","))


def read_csv(data: bytes, max_bytes: int) -> CsvFile:
    _check_not_binary(data, max_bytes)
    text, encoding = _decode(data)
    if not text.strip():  # e.g. nothing but a byte-order mark
        raise CsvFileError("The file is empty.")
    delimiter = _choose_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        header = next(reader)
    except csv.Error as error:
        raise CsvFileError(f"The header row cannot be read as CSV: {error}.") from None
    columns = [c.strip().lower() for c in header]
    _check_columns(columns)
    parsed = CsvFile(
        encoding=encoding,
        delimiter=delimiter,
        columns=columns,
        extra_columns=[c for c in columns if c not in KNOWN_COLUMNS],
    )
    next_line = reader.line_num + 1
    try:
        for record in reader:
            start, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # blank lines, at the end or in between
            if len(record) > len(columns):
                raise CsvFileError(
                    f"Line {start} has {len(record)} fields but the header has {len(columns)}. "
                    "A value containing the delimiter must be in double quotes."
                )
            values = dict(zip(columns, (cell.strip() for cell in record), strict=False))
            parsed.rows.append(CsvRow(start, values))
    except csv.Error as error:
        raise CsvFileError(f"Line {next_line} cannot be read as CSV: {error}.") from None
    if not parsed.rows:
        raise CsvFileError("The file has a header row but no figures.")
    return parsed


def _check_columns(columns: list[str]) -> None:
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise CsvFileError(f"The header names {', '.join(duplicates)} more than once.")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if not any(c in columns for c in PERIOD_COLUMNS):
        missing.append("period_end or period")
    if missing:
        raise CsvFileError(
            f"The header row is missing: {', '.join(missing)}. It has: "
            f"{', '.join(c for c in columns if c) or 'nothing'}. "
            "Download the template to see the columns."
        )
