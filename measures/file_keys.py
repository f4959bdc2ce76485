"""What an import needs from the whole file before it checks any row: the measure codes it
names, and which (measure, period) pairs appear on more than one line.

Memory does not grow with the file: instead of remembering every pair seen, the first pass
sets one bit per pair in a fixed 2 MB table, and notes a pair only when its bit is already
set (a repeat, or now and then another pair sharing the bit). A second pass, run only if
something was noted, counts those few pairs exactly and keeps the first lines of each.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from measures.csv_files import CsvRow
from measures.parsing import ParseError, parse_period

_TABLE_BITS = 24  # 2**24 bits = 2 MB
_FIBONACCI = 0x9E3779B97F4A7C15  # spreads packed keys evenly over the table
_ORDINAL_BITS = 22  # date(9999, 12, 31).toordinal() < 2**22
LINES_NAMED = 5  # a message names at most this many other lines


@dataclass
class Repeats:
    first_lines: list[int]  # up to LINES_NAMED + 1 of them
    count: int


@dataclass
class FileKeys:
    code_numbers: dict[str, int] = field(default_factory=dict)
    repeats: dict[int, Repeats] = field(default_factory=dict)  # by key, pairs on 2+ lines

    @property
    def codes(self) -> set[str]:
        return set(self.code_numbers)

    def key(self, code: str, period: dt.date) -> int:
        """The pair as one number, giving the code a number if it is new."""
        number = self.code_numbers.setdefault(code, len(self.code_numbers))
        return self._packed(number, period)

    @staticmethod
    def _packed(number: int, period: dt.date) -> int:
        return number << _ORDINAL_BITS | period.toordinal()

    def other_lines(self, code: str, period: dt.date, line: int) -> tuple[list[int], int] | None:
        """The other lines naming this row's pair (up to LINES_NAMED of them) and how many
        more there are; None if the pair is on this line only."""
        number = self.code_numbers.get(code)
        repeats = None if number is None else self.repeats.get(self._packed(number, period))
        if repeats is None:
            return None
        named = [other for other in repeats.first_lines if other != line][:LINES_NAMED]
        return named, repeats.count - 1 - len(named)


def file_keys(read_rows: Callable[[], Iterable[CsvRow]]) -> FileKeys:
    """`read_rows` reads the file's rows from the start each time it is called."""
    keys = FileKeys()

    def key_of(row: CsvRow) -> int | None:
        code = row.values.get("measure_code", "").strip().upper()
        keys.code_numbers.setdefault(code, len(keys.code_numbers))
        try:
            period = parse_period(row.values.get("period_end", ""), row.values.get("period", ""))
        except ParseError:
            return None  # the row has its own error
        return keys.key(code, period)

    table = bytearray(1 << (_TABLE_BITS - 3))
    noted = set()
    for row in read_rows():
        key = key_of(row)
        if key is None:
            continue
        bit = ((key * _FIBONACCI) & 0xFFFF_FFFF_FFFF_FFFF) >> (64 - _TABLE_BITS)
        byte, mask = bit >> 3, 1 << (bit & 7)
        if table[byte] & mask:
            noted.add(key)
        else:
            table[byte] |= mask
    del table

    if noted:
        found: dict[int, Repeats] = {}
        for row in read_rows():
            key = key_of(row)
            if key in noted:
                repeats = found.setdefault(key, Repeats([], 0))
                repeats.count += 1
                if len(repeats.first_lines) <= LINES_NAMED:
                    repeats.first_lines.append(row.line)
        keys.repeats = {key: r for key, r in found.items() if r.count > 1}
    return keys
