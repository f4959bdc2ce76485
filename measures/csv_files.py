"""Turning an uploaded file into rows, as spreadsheets really save them, or a clear refusal.

Handles UTF-8 with or without a BOM and Windows-1252 (Excel's "CSV"), `,` or `;` between
fields, CRLF line ends, quoted fields with commas and newlines, and trailing blank lines.
Refuses Excel workbooks, other binary files, empty files, files that mix the two encodings,
headers wider than any figures file, and files over the size or row limit. The file's bytes
are held (at most MEASURE_IMPORT_MAX_BYTES); its rows are decoded one at a time.
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from measures.columns import COLUMNS, NAMES, OTHER_NAMES, PERIOD_COLUMNS
from measures.exporting import unneutralise
from measures.models import MeasureValue

# A cell as long as the longest text a figure keeps, its note.
MAX_FIELD_CHARS = MeasureValue._meta.get_field("note").max_length
# What the csv reader takes: a cell of the most, and the apostrophe an export puts before a
# text a spreadsheet could read as a formula ("'-5 against plan"), which is read back off.
READ_FIELD_CHARS = MAX_FIELD_CHARS + 1
# A header far wider than the template is not a file of figures, and every row of it would
# cost work in proportion to its width: refused before any row is read.
MAX_COLUMNS = 50


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
    # (heading, column) for each heading read as a column of another name (OTHER_NAMES).
    read_as: list[tuple[str, str]] = field(default_factory=list)
    max_rows: int | None = None  # iter_rows refuses the file at the row after this many

    @property
    def unnamed(self) -> list[int]:
        """Where the header has an empty cell: Excel's trailing empty columns, or a column
        someone left without a heading."""
        return [i for i, c in enumerate(self.columns) if not c]

    @property
    def encoding_label(self) -> str:
        return {
            "utf-8-sig": "UTF-8 (with a byte-order mark)",
            "utf-8": "UTF-8",
            "cp1252": "Windows-1252 (as Excel saves “CSV”)",
        }[self.encoding]


def _check_not_binary(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise CsvFileError(
            f"The file is {len(data) / 1_000_000:.1f} MB; the limit is "
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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_mark(data):
        raise CsvFileError(
            "This file is UTF-16 text (Excel's “Unicode Text”). Save it as “CSV UTF-8” instead."
        )
    if b"\x00" in data:
        raise CsvFileError("This is not a text file, so it cannot be a CSV file.")


def _utf16_without_mark(data: bytes) -> bool:
    """UTF-16 text with no byte-order mark: its header (plain letters) alternates NUL bytes
    with the letters' own, all on the same side."""
    start = data[:200]
    if len(start) < 8:
        return False
    even, odd = start[0::2], start[1::2]
    return (even.count(0) == len(even) and 0 not in odd) or (
        odd.count(0) == len(odd) and 0 not in even
    )


def _header_columns(first_line: str, delimiter: str) -> list[str]:
    try:
        return [c.strip().lower() for c in next(csv.reader([first_line], delimiter=delimiter))]
    except csv.Error:  # e.g. a field over the limit: reported when the header is read
        return []


def _choose_delimiter(first_line: str) -> str:
    """`,` or `;`: whichever splits the header into more of the columns we know."""
    known = {*NAMES, *OTHER_NAMES}
    scores = {d: len(known & set(_header_columns(first_line, d))) for d in (",", ";")}
    return max(scores, key=lambda d: (scores[d], d == ","))


# Decoded as UTF-8 with errors="surrogateescape", each byte that is not UTF-8 becomes one of
# these characters, so one pass finds both kinds of text without failing at the first.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
# A character written with two or more bytes of valid UTF-8 (a byte-order mark is one).
_UTF8_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")
# The five bytes Windows-1252 leaves undefined.
_NOT_CP1252 = re.compile("[\udc81\udc8d\udc8f\udc90\udc9d]")


_ANY_TEXT = re.compile("[^\ufeff \t\r\n]")


def _line_at(text: str, position: int) -> int:
    """The line `position` is on, counting line ends as the csv module does (LF, CRLF, CR)."""
    lf, cr, crlf = (text.count(end, 0, position) for end in ("\n", "\r", "\r\n"))
    return 1 + lf + cr - crlf


def _encoding(data: bytes) -> str:
    """UTF-8 (with or without a BOM) if every byte of the file is valid UTF-8; Windows-1252
    if none of it is UTF-8 beyond plain ASCII. A file with both (UTF-8 with a stray
    Windows-1252 byte, say) is refused: read either way, some of its text would be garbled."""
    text = data.decode("utf-8", errors="surrogateescape")
    odd = _NOT_UTF8.search(text)
    if odd is None:
        if not _ANY_TEXT.search(text):  # e.g. nothing but a byte-order mark
            raise CsvFileError("The file is empty.")
        return "utf-8-sig" if text.startswith("\ufeff") else "utf-8"
    line, byte = _line_at(text, odd.start()), ord(odd.group()) - 0xDC00
    if utf8 := _UTF8_MULTIBYTE.search(text):
        as_cp1252 = bytes([byte]).decode("cp1252", errors="replace")
        shown = f", which is “{as_cp1252}” in Windows-1252" if as_cp1252 != "\ufffd" else ""
        evidence = (
            "it starts with a UTF-8 byte-order mark"
            if text.startswith("\ufeff")
            else f"accented text on line {_line_at(text, utf8.start())} is UTF-8"
        )
        raise CsvFileError(
            f"This file mixes two encodings: it is UTF-8 ({evidence}), but line {line} has a "
            f"byte that is not UTF-8 (0x{byte:02X}{shown}). Read either way, some accented "
            f"text would come out garbled, so it was not accepted. Correct line {line}, or "
            "save the whole file again as “CSV UTF-8”, and upload it again."
        )
    if undefined := _NOT_CP1252.search(text):
        raise CsvFileError(
            f"The file's text is neither UTF-8 nor Windows-1252 (line "
            f"{_line_at(text, undefined.start())} has the byte "
            f"0x{ord(undefined.group()) - 0xDC00:02X}). Save it as “CSV UTF-8”."
        )
    first_end = re.search(rb"\r\n?|\n", data.lstrip(b"\r\n"))
    if first_end is not None and first_end.group() == b"\r":
        # The header's own line end (a header has no line break in a cell): a note's
        # Alt+Enter is LF inside its quotes even in a file whose rows end in CR.
        # Lines ended by CR alone: a Mac's, not Windows'. Excel for Mac's "Comma Separated
        # Values" is Mac Roman, whose accented letters Windows-1252 would garble (’ as Õ).
        raise CsvFileError(
            "This file looks saved by Excel for Mac as “Comma Separated Values”, whose "
            "accented letters and dashes would be garbled here. Save it as “CSV UTF-8 (Comma "
            "delimited)” and upload it again."
        )
    return "cp1252"


def _text(data: bytes, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


# The key a row's values give a value under a column with no heading: that column's number.
UNNAMED = ""


def open_csv(data: bytes, max_bytes: int, max_rows: int | None = None) -> CsvFile:
    """Check the file can be read at all and read its header; the rows come from iter_rows."""
    _check_not_binary(data, max_bytes)
    encoding = _encoding(data)
    # The first line with more than separators on it: a spreadsheet's empty rows above the
    # header are saved as ",," or ";;", which would pick the wrong separator.
    first_line = next((line for line in _text(data, encoding) if line.strip(" \t\r\n,;\ufeff")), "")
    delimiter = _choose_delimiter(first_line.lstrip("\ufeff"))
    csv.field_size_limit(READ_FIELD_CHARS)
    try:
        reader = csv.reader(_text(data, encoding), delimiter=delimiter, strict=True)
        header = _header(reader) or []
    except csv.Error as error:
        raise CsvFileError(f"The header row cannot be read as CSV: {_in_words(error)}.") from None
    headings = [c.strip().lower() for c in header]
    columns = _named_as_read(headings)
    _check_columns(columns, headings)
    return CsvFile(
        encoding=encoding,
        delimiter=delimiter,
        columns=columns,
        extra_columns=[c for c in columns if c and c not in NAMES],
        max_rows=max_rows,
        read_as=[(h, c) for h, c in zip(headings, columns, strict=True) if h != c],
    )


def _named_as_read(headings: list[str]) -> list[str]:
    """Each heading as the column the import reads it as: another name of a column (the read
    API's "measure") is that column, unless the file has a column of the name itself, beside
    which it is a column like any other, ignored."""
    return [
        OTHER_NAMES[h] if h in OTHER_NAMES and OTHER_NAMES[h] not in headings else h
        for h in headings
    ]


def _header(reader) -> list[str] | None:
    """The first record with something in it: blank lines above the header are skipped, as a
    spreadsheet saving a sheet that starts lower down writes them."""
    return next((record for record in reader if any(c.strip() for c in record)), None)


def iter_rows(data: bytes, parsed: CsvFile) -> Iterator[CsvRow]:
    """The rows after the header, one at a time; CsvFileError at the first line that is not
    CSV, at the first row over the file's row limit, or if there are none."""
    reader = csv.reader(_text(data, parsed.encoding), delimiter=parsed.delimiter, strict=True)
    columns, max_rows, unnamed = parsed.columns, parsed.max_rows, parsed.unnamed
    width = len(columns)
    count = 0
    try:
        _header(reader)
        next_line = reader.line_num + 1
        for record in reader:
            start, next_line = next_line, reader.line_num + 1
            cells = list(map(str.strip, record))
            if not any(cells):
                continue  # blank lines, at the end or in between
            if max(map(len, record)) > MAX_FIELD_CHARS and _over_long(record):
                raise CsvFileError(
                    f"Line {start} cannot be read as CSV: "
                    f"{_in_words(csv.Error('field larger than field limit'))}."
                )
            if len(record) > width:
                raise CsvFileError(
                    f"Line {start} has {len(record)} fields but the header has {len(columns)}. "
                    "A value containing the delimiter must be in double quotes."
                )
            count += 1
            if max_rows is not None and count > max_rows:
                raise CsvFileError(
                    f"The file has more than {max_rows:,} rows of figures; the limit is "
                    f"{max_rows:,} a file, so that its preview and import finish in seconds. "
                    "Split it into smaller files."
                )
            # A short row's missing cells are absent. (zip's strict=False, said, costs a
            # third of building the dict.)
            values = dict(zip(columns, cells))  # noqa: B905
            if unnamed:
                # A value under no heading is named by its column's number (check_row).
                values.pop(UNNAMED, None)
                found = next((i for i in unnamed if i < len(cells) and cells[i]), None)
                if found is not None:
                    values[UNNAMED] = str(found + 1)
            yield CsvRow(start, values)
    except csv.Error as error:
        raise CsvFileError(f"Line {next_line} cannot be read as CSV: {_in_words(error)}.") from None
    if not count:
        raise CsvFileError("The file has a header row but no figures.")


def _over_long(record: list[str]) -> bool:
    """A cell over the limit once an export's formula guard ("'-5 …") is taken off: the
    reader takes one character more for it."""
    return any(len(unneutralise(cell)) > MAX_FIELD_CHARS for cell in record)


def _in_words(error: csv.Error) -> str:
    """The csv module's reason, in words a person can act on where it has jargon of its own."""
    reason = str(error)
    if "field larger" in reason:
        return (
            f"it has a cell longer than {MAX_FIELD_CHARS:,} characters, the most a cell may "
            'hold (a double quote (") that is never closed makes the rest of the file one cell)'
        )
    if "unexpected end of data" in reason:
        return (
            'a double quote (") opens a value that is never closed; a value with a quote '
            "inside it must be in double quotes, with each quote inside it doubled"
        )
    return reason


def check_csv(data: bytes, max_bytes: int, max_rows: int | None = None) -> CsvFile:
    """The whole file read once, as on upload: CsvFileError if any of it cannot be imported."""
    parsed = open_csv(data, max_bytes, max_rows)
    for _ in iter_rows(data, parsed):
        pass
    return parsed


def _check_columns(columns: list[str], headings: list[str]) -> None:
    """`headings` as the file has them, `columns` as the import reads them (_named_as_read)."""
    if len(columns) > MAX_COLUMNS:
        raise CsvFileError(
            f"The header row has {len(columns):,} columns; a file of figures has at most "
            f"{MAX_COLUMNS} (the template has {len(COLUMNS)}). Delete the columns you do not "
            "need, empty ones included, and upload it again."
        )
    duplicates = sorted(c for c, n in Counter(c for c in headings if c).items() if n > 1)
    if duplicates:
        raise CsvFileError(f"The header names {', '.join(duplicates)} more than once.")
    missing = [c.name for c in COLUMNS if c.required and c.name not in columns]
    if not any(c in columns for c in PERIOD_COLUMNS):
        missing.append(" or ".join(PERIOD_COLUMNS))
    if missing and len([c for c in columns if c]) == 1:
        for separator, name in (("\t", "tabs"), ("|", "“|”")):
            if separator in columns[0] or separator in columns[-1]:
                # Excel's "Text (Tab delimited)", a BI tool's export: one long heading.
                raise CsvFileError(
                    f"This file's columns are separated by {name}, not commas or semicolons. "
                    "Save it as “CSV UTF-8 (Comma delimited)” and upload it again."
                )
    if missing:
        raise CsvFileError(
            f"The header row is missing: {', '.join(missing)}. It has: "
            f"{', '.join(c for c in columns if c) or 'nothing'}. "
            "Download the template to see the columns."
        )
