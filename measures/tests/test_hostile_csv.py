"""Random and mutated files thrown at the importer: it never fails unhandled, and it never
writes anything from a file with any error."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.csv_files import CsvFileError
from measures.importing import ImportRefused, confirm, preview, store_upload
from measures.models import ImportBatch, MeasureValue
from tests.examples import examples

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
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
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


# --- whatever the preview passes, the database takes ---------------------------------------

_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40
)
# Spaces between a quarter's parts, up to far more than the wording's column holds.
_padding = st.one_of(st.text(alphabet=" \t\u00a0\u2003", max_size=8), st.just(" " * 120))
_quarter_wording = st.builds(
    lambda start, q, pads: (
        f"{pads[0]}{start}{pads[1]}/{pads[2]}{(start + 1) % 100:02d}{pads[3]}Q{q}{pads[4]}"
    ),
    st.integers(1988, 2024),
    st.integers(1, 4),
    st.lists(_padding, min_size=5, max_size=5),
)
_quarter_end = st.builds(
    lambda year, md: f"{year:04d}-{md}",
    st.one_of(st.integers(1989, 2024), st.integers(1, 9999)),
    st.sampled_from(["03-31", "06-30", "09-30", "12-31"]),
)
# Mostly figures that fit, up to the column's last digit, beside some that do not.
_value = st.one_of(
    st.decimals(min_value=0, max_value=Decimal("9999999999.9999"), places=4),
    st.integers(0, 5).flatmap(
        lambda places: st.decimals(
            min_value=-(10**11), max_value=10**11, places=places, allow_nan=False
        )
    ),
).map(lambda d: f"{d:f}")
_source = st.one_of(
    _text,
    st.sampled_from(["s" * 300, "s" * 301, "'=" + "s" * 299, "'=" + "s" * 300]),
)
figure_rows = st.lists(
    st.tuples(
        st.sampled_from(["NUM", "CNT"]),
        st.one_of(st.tuples(_quarter_end, st.just("")), st.tuples(st.just(""), _quarter_wording)),
        _value,
        st.one_of(_text, st.just("n" * 10_000)),
        _source,
    ),
    min_size=1,
    max_size=6,
)


def _figures_file(rows) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure_code", "period_end", "period", "value", "note", "source"])
    for code, (period_end, period), value, note, source in rows:
        writer.writerow([code, period_end, period, value, note, source])
    return out.getvalue().encode()


@pytest.mark.django_db
@settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=figure_rows)
def test_every_file_the_preview_passes_the_database_takes(measures, admin_user, rows):
    try:
        batch = store_upload(user=admin_user, file_name="f.csv", data=_figures_file(rows))
    except CsvFileError:
        return
    report = preview(batch)
    if not report.has_errors:
        # Refusing here (ImportRefused, or any database error) would mean the preview
        # passed something the database does not take.
        written = confirm(batch.pk, restatements_confirmed=True)
        assert written.totals == report.totals
        assert MeasureValue.objects.count() == report.totals["new"]
    MeasureValue.objects.all().delete()
