"""Turning an uploaded file into rows, as spreadsheets really save them, or a clear refusal.

Handles UTF-8 with or without a BOM and Windows-1252 (Excel's "CSV"), `,` or `;` between
fields, CRLF line ends, quoted fields with commas and newlines, and trailing blank lines.
Refuses Excel workbooks, other binary files, empty files and files over the size limit.
The file is read as a stream, row by row, so a large file is never held in memory as text.
"""

import codecs
import csv
import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

REQUIRED_COLUMNS = ("measure_code", "value")
PERIOD_COLUMNS = ("period_end", "period")
OPTIONAL_COLUMNS = ("note", "source", "measure_name")
KNOWN_COLUMNS = set(REQUIRED_COLUMNS) | set(PERIOD_COLUMNS) | set(OPTIONAL_COLUMNS)
MAX_FIELD_CHARS = 10_000
_PIECE_BYTES = 1 << 16
Opener = Callable[[], BinaryIO]


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

    @property
    def encoding_label(self) -> str:
        return {
            "utf-8-sig": "UTF-8 (with a byte-order mark)",
            "utf-8": "UTF-8",
            "cp1252": "Windows-1252 (as Excel saves “CSV”)",
        }[self.encoding]


def _check_not_binary(data: bytes, size: int, max_bytes: int) -> None:
    """`data` is the start of the file, `size` its length."""
    if size > max_bytes:
        raise CsvFileError(
            f"The file is {size / 1_000_000:.1f} MB; the limit is "
            f"{max_bytes / 1_000_000:.0f} MB. Split it into smaller files."
        )
    if not data:
        raise CsvFileError("The file is empty.")
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
    try:
        return [c.strip().lower() for c in next(csv.reader([first_line], delimiter=delimiter))]
    except csv.Error:  # e.g. a field over the limit: reported when the header is read
        return []


def _choose_delimiter(first_line: str) -> str:
    """`,` or `;`: whichever splits the header into more of the columns we know."""
    scores = {d: len(KNOWN_COLUMNS & set(_header_columns(first_line, d))) for d in (",", ";")}
    return max(scores, key=lambda d: (scores[d], d == ","))


def _encoding(open_stream: Opener) -> str:
    """UTF-8 (with or without a BOM) if every byte of the file is valid UTF-8, else
    Windows-1252. Decodes piece by piece, so the whole text is never held at once."""
    stream = open_stream()
    head = stream.read(len(codecs.BOM_UTF8))
    has_bom = head == codecs.BOM_UTF8
    for encoding in ("utf-8", "cp1252"):
        stream = open_stream()
        decoder = codecs.getincrementaldecoder(encoding)()
        has_text = False
        try:
            while piece := stream.read(_PIECE_BYTES):
                if b"\x00" in piece:  # anywhere, not only where _check_not_binary looked
                    raise CsvFileError("This is not a text file, so it cannot be a CSV file.")
                text = decoder.decode(piece)  # every piece, to find a bad byte anywhere
                has_text = has_text or bool(text.strip("\ufeff \t\r\n"))
            rest = decoder.decode(b"", final=True)  # a character cut off at the end
            has_text = has_text or bool(rest.strip())
        except UnicodeDecodeError:
            if has_bom:
                raise CsvFileError("The file says it is UTF-8 but is not valid UTF-8.") from None
            continue
        if not has_text:  # e.g. nothing but a byte-order mark
            raise CsvFileError("The file is empty.")
        return "utf-8-sig" if has_bom else encoding
    raise CsvFileError("The file's text is neither UTF-8 nor Windows-1252. Save it as “CSV UTF-8”.")


def _text(open_stream: Opener, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(open_stream(), encoding=encoding, newline="")


def open_csv(open_stream: Opener, size: int, max_bytes: int) -> CsvFile:
    """Check the file can be read at all and read its header; the rows come from iter_rows.
    `open_stream` opens the file from its start, each time it is called."""
    _check_not_binary(open_stream().read(_PIECE_BYTES), size, max_bytes)
    encoding = _encoding(open_stream)
    first_line = next((line for line in _text(open_stream, encoding) if line.strip()), "")
    delimiter = _choose_delimiter(first_line.lstrip("\ufeff"))
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        reader = csv.reader(_text(open_stream, encoding), delimiter=delimiter, strict=True)
        header = next(reader, [])
    except csv.Error as error:
        raise CsvFileError(f"The header row cannot be read as CSV: {error}.") from None
    columns = [c.strip().lower() for c in header]
    _check_columns(columns)
    return CsvFile(
        encoding=encoding,
        delimiter=delimiter,
        columns=columns,
        extra_columns=[c for c in columns if c not in KNOWN_COLUMNS],
    )


def iter_rows(open_stream: Opener, parsed: CsvFile) -> Iterator[CsvRow]:
    """The rows after the header, one at a time; CsvFileError at the first line that is not
    CSV, or if there are none."""
    reader = csv.reader(
        _text(open_stream, parsed.encoding), delimiter=parsed.delimiter, strict=True
    )
    columns = parsed.columns
    any_rows = False
    try:
        next(reader, None)  # the header
        next_line = reader.line_num + 1
        for record in reader:
            start, next_line = next_line, reader.line_num + 1
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue  # blank lines, at the end or in between
            if len(record) > len(columns):
                raise CsvFileError(
                    f"Line {start} has {len(record)} fields but the header has {len(columns)}. "
                    "A value containing the delimiter must be in double quotes."
                )
            any_rows = True
            yield CsvRow(start, dict(zip(columns, cells, strict=False)))
    except csv.Error as error:
        raise CsvFileError(f"Line {next_line} cannot be read as CSV: {error}.") from None
    if not any_rows:
        raise CsvFileError("The file has a header row but no figures.")


def check_csv(data: bytes, max_bytes: int) -> CsvFile:
    """The whole file read once, as on upload: CsvFileError if any of it cannot be imported."""
    opener = functools.partial(io.BytesIO, data)
    parsed = open_csv(opener, len(data), max_bytes)
    for _ in iter_rows(opener, parsed):
        pass
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
