"""The check for pairs on more than one line is exact, however often pairs share a bit of its
table, and names a bounded number of lines however many there are."""

import datetime as dt
from collections import defaultdict
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from measures import file_keys
from measures.csv_files import CsvRow
from measures.parsing import ParseError, parse_period

# The last two are 2**20 days apart: a key that kept too few bits for the date would mix up
# a measure's pair on one with the next measure's pair on the other.
QUARTERS = [
    dt.date(2024, 3, 31),
    dt.date(9999, 12, 31),
    dt.date(1, 3, 31),
    dt.date.fromordinal(dt.date(1, 3, 31).toordinal() + 2**20),
]
rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "a ", "B", "C", "D"]),
        st.sampled_from([q.isoformat() for q in QUARTERS] + ["not a date", ""]),
    ),
    max_size=60,
)


def _csv_rows(pairs):
    return [
        CsvRow(line, {"measure_code": code, "period_end": period, "value": "1"})
        for line, (code, period) in enumerate(pairs, start=2)
    ]


@given(pairs=rows, table_bits=st.sampled_from([3, 6, 24]))
def test_each_line_names_exactly_the_other_lines_of_its_pair(pairs, table_bits):
    lines_by_pair = defaultdict(list)
    for row in _csv_rows(pairs):
        try:
            period = parse_period(row.values["period_end"], "")
        except ParseError:
            continue
        lines_by_pair[(row.values["measure_code"].strip().upper(), period)].append(row.line)

    with mock.patch.object(file_keys, "_TABLE_BITS", table_bits):
        found = file_keys.file_keys(lambda: iter(_csv_rows(pairs)))

    assert found.codes == {code.strip().upper() for code, _ in pairs}
    for (code, period), lines in lines_by_pair.items():
        for line in lines:
            others = [other for other in lines if other != line]
            expected = (others[:5], len(others) - len(others[:5])) if others else None
            assert found.other_lines(code, period, line) == expected


def test_a_period_given_two_ways_is_the_same_period():
    rows = [
        CsvRow(2, {"measure_code": "A", "period_end": "2024-06-30"}),
        CsvRow(3, {"measure_code": "A", "period": "2024/25 Q1"}),
    ]
    found = file_keys.file_keys(lambda: iter(rows))
    assert found.other_lines("A", dt.date(2024, 6, 30), 2) == ([3], 0)


def test_a_pair_on_thousands_of_lines_keeps_a_few_of_them():
    rows = [CsvRow(n, {"measure_code": "A", "period_end": "2024-06-30"}) for n in range(2, 20_002)]
    found = file_keys.file_keys(lambda: iter(rows))
    assert found.other_lines("A", dt.date(2024, 6, 30), 9) == ([2, 3, 4, 5, 6], 19_994)
    assert len(found.repeats[found.key("A", dt.date(2024, 6, 30))].first_lines) == 6
