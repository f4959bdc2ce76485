"""Random and mutated files thrown at the importer: it never fails unhandled, and it never
writes anything from a file with any error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.csv_files import CsvFileError
from measures.importing import ImportRefused, confirm, preview, store_upload
from measures.models import ImportBatch, MeasureValue

GOOD = (
    "measure_code,period_end,value,note,source\n"
    "CNT,2024-03-31,5,first,ASC return\n"
    "PCT,2024-06-30,50%,second,ASC return\n"
    "NUM,2024-09-30,-3,third,Finance\n"
)
NASTY_CELLS = [
    "",
    "n/a",
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(1)",
    "\t",
    '"',
    '""',
    ",",
    ";",
    "\r\n",
    "9" * 400,
    "x" * 5000,
    "−1",
    "1e309",
    "NaN",
    "∞",
    "\x00",
    "\ufeff",
    "2024-02-30",
    "2024/25 Q5",
    "CNT",
    "pct",
    "\u202e",
    "😀",
    "1,2,3",
    "1.23456",
    "99999999999",
    "s" * 301,
    "2099-03-31",
    "2024-05-31",
]


def _mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    cells = [line.split(",") for line in text.splitlines()]
    for row_number, column, replacement in edits:
        row = cells[row_number % len(cells)]
        row[column % len(row)] = replacement
    return "\n".join(",".join(row) for row in cells) + "\n"


hostile_files = st.one_of(
    st.binary(max_size=2000),
    st.builds(
        lambda edits, encoding, delimiter: (
            _mutate(GOOD, edits).replace(",", delimiter).encode(encoding, errors="replace")
        ),
        st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 4), st.sampled_from(NASTY_CELLS)),
            max_size=6,
        ),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
        st.sampled_from([",", ";", "\t"]),
    ),
)


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=hostile_files)
def test_no_hostile_file_breaks_the_importer_or_writes_from_a_bad_file(measures, admin_user, data):
    before = MeasureValue.objects.count()
    try:
        batch = store_upload(user=admin_user, file_name="hostile.csv", data=data)
    except CsvFileError:
        assert MeasureValue.objects.count() == before
        return
    report = preview(batch)
    try:
        confirm(batch.pk, restatements_confirmed=True)
    except ImportRefused:
        assert report.has_errors
        assert MeasureValue.objects.count() == before
        assert ImportBatch.objects.get(pk=batch.pk).status == "previewed"
    else:
        assert not report.has_errors
    MeasureValue.objects.all().delete()
