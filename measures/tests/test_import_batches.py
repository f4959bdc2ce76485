"""Large files: checked and written a batch of rows at a time, exactly, with a history row for
every value written."""

import datetime as dt
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth import get_user_model

from measures import csv_files, importing
from measures.importing import ERROR_ROW_LIMIT, ImportRefused, confirm, preview, store_upload
from measures.models import ImportBatch, MeasureValue

pytestmark = pytest.mark.django_db
HEADER = "measure_code,period_end,value,note,source\n"


def _quarters(count: int) -> list[str]:
    ends = []
    for year in range(2000, 2030):
        for month_day in ("03-31", "06-30", "09-30", "12-31"):
            ends.append(f"{year}-{month_day}")
    return ends[:count]


def _upload(user, text: str, name: str = "figures.csv") -> ImportBatch:
    return store_upload(user=user, file_name=name, data=text.encode("utf-8"))


def _rows_of(measure_ids) -> list[tuple]:
    return sorted(
        MeasureValue.objects.filter(measure_id__in=measure_ids).values_list(
            "measure__code", "period_end", "period_text", "value", "note", "source"
        )
    )


def _history_of(measure_ids) -> list[tuple]:
    return sorted(
        MeasureValue.history.filter(measure_id__in=measure_ids).values_list(
            "measure_id",
            "period_end",
            "value",
            "note",
            "source",
            "history_type",
            "history_user__username",
            "import_batch__file_name",
        )
    )


@pytest.fixture
def small_batches():
    with mock.patch.object(importing, "BATCH_ROWS", 7):
        yield


def test_a_file_with_accents_and_crlf_line_ends_imports_every_character(measures, admin_user):
    text = HEADER + "".join(f"CNT,{q},{n},café {n},Équipe\r\n" for n, q in enumerate(_quarters(30)))
    batch = _upload(admin_user, text)
    assert preview(batch).totals["new"] == 30
    confirm(batch.pk, restatements_confirmed=False)
    value = MeasureValue.objects.get(measure=measures["CNT"], period_end=dt.date(2000, 6, 30))
    assert (value.value, value.note, value.source) == (Decimal(1), "café 1", "Équipe")
    assert MeasureValue.objects.filter(measure=measures["CNT"]).count() == 30


def test_duplicates_in_different_batches_name_each_other(measures, admin_user, small_batches):
    quarters = _quarters(40)
    text = HEADER + "".join(f"CNT,{q},1,,\n" for q in quarters) + f"CNT,{quarters[0]},2,,\n"
    report = preview(_upload(admin_user, text))
    errors = {r.line: r.messages for r in report.rows if r.outcome == "error"}
    assert errors == {
        2: ["This measure and period also appear on line 42."],
        42: ["This measure and period also appear on line 2."],
    }


def test_an_error_in_a_late_batch_leaves_the_earlier_batches_unwritten(
    measures, admin_user, small_batches
):
    text = HEADER + "".join(f"CNT,{q},1,,\n" for q in _quarters(40)) + "CNT,2024-05-31,1,,\n"
    batch = _upload(admin_user, text)
    with pytest.raises(ImportRefused):
        confirm(batch.pk, restatements_confirmed=True)
    assert MeasureValue.objects.count() == 0
    assert MeasureValue.history.count() == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == "previewed"


def test_restatements_in_every_batch_are_counted_and_need_the_tick(
    measures, admin_user, small_batches
):
    quarters = _quarters(20)
    confirm(
        _upload(admin_user, HEADER + "".join(f"CNT,{q},1,,\n" for q in quarters)).pk,
        restatements_confirmed=False,
    )
    restated = _upload(admin_user, HEADER + "".join(f"CNT,{q},2,,\n" for q in quarters))
    with pytest.raises(ImportRefused, match="20 rows would restate"):
        confirm(restated.pk, restatements_confirmed=False)
    assert set(MeasureValue.objects.values_list("value", flat=True)) == {Decimal(1)}
    report = confirm(restated.pk, restatements_confirmed=True)
    assert report.totals == {"new": 0, "update": 20, "unchanged": 0, "error": 0}
    assert set(MeasureValue.objects.values_list("value", flat=True)) == {Decimal(2)}


def test_the_preview_keeps_the_first_errors_and_counts_them_all(measures, admin_user):
    bad = "".join(f"NOPE{n},2024-06-30,1,,\n" for n in range(ERROR_ROW_LIMIT + 25))
    report = preview(_upload(admin_user, HEADER + "CNT,2024-06-30,1,,\n" + bad))
    assert report.totals["error"] == ERROR_ROW_LIMIT + 25
    assert sum(r.outcome == "error" for r in report.rows) == ERROR_ROW_LIMIT
    assert report.errors_not_shown == 25
    assert report.rows[0].line == 2 and report.rows[0].outcome == "new"


def test_the_preview_page_says_how_many_errors_it_does_not_list(
    client, measures, admin_user, settings
):
    bad = "".join(f"NOPE{n},2024-06-30,1,,\n" for n in range(ERROR_ROW_LIMIT + 3))
    batch = _upload(admin_user, HEADER + bad)
    client.force_login(admin_user)
    html = client.get(batch.get_absolute_url()).content.decode()
    assert "and 3 more rows with errors, not listed here" in html


def test_a_long_file_name_is_shortened_in_the_history_not_refused(measures, admin_user):
    name = "quarterly-figures-" + "x" * 200 + ".csv"
    batch = _upload(admin_user, HEADER + "CNT,2024-06-30,5,,\n", name)
    confirm(batch.pk, restatements_confirmed=False)
    history = MeasureValue.history.get()
    assert history.history_change_reason.startswith(f"Import {batch.pk}: quarterly-figures-xxx")
    assert history.import_batch == batch


TRICKY_NOTES = ['say "hi"', "two\nlines", "back\\.slash", "tab\there", "comma, here", "é ünïcode"]


def _quoted(text: str) -> str:
    return text.replace('"', '""')


@pytest.mark.parametrize("small", [False, True])
def test_values_and_their_history_are_written_exactly(measures, admin_user, small, request):
    """The first import creates, the second restates some rows (one with an empty note,
    which keeps the old one, beside one with a new note) and leaves others alone."""
    if small:
        request.getfixturevalue("small_batches")
    header = "measure_code,period,period_end,value,note,source\n"
    quarters = _quarters(12)
    first = (
        header
        + "".join(
            f'{code},,{q},{n}.25,"{_quoted(TRICKY_NOTES[n % len(TRICKY_NOTES)])}",src\n'
            for n, q in enumerate(quarters)
            for code in ("CNT", "NUM")
        )
        + 'PCT,2024/25 Q1,,50%,"with, comma",\n'
    )
    second = (
        header
        + "".join(f"CNT,,{q},{n + 1},,new source\n" for n, q in enumerate(quarters[:6]))
        + "NUM,,2002-12-31,\u221212,,\n"
        + "NUM,,2002-09-30,7,replaced note,\n"
    )
    for text in (first, second):
        confirm(_upload(admin_user, text, "same.csv").pk, restatements_confirmed=True)
    ids = [m.id for m in measures.values()]
    reasons = {
        re.sub(r"Import \d+", "Import N", reason)
        for reason in MeasureValue.history.values_list("history_change_reason", flat=True)
    }
    dates_per_import = MeasureValue.history.values("import_batch").distinct().count()
    one_date_each = MeasureValue.history.values("import_batch", "history_date").distinct()
    assert one_date_each.count() == dates_per_import == 2
    rows, history = _rows_of(ids), _history_of(ids)
    assert reasons == {"Import N: same.csv"}
    assert len(rows) == 25 and len(history) == 25 + 8
    assert ("NUM", dt.date(2002, 12, 31), "", Decimal("-12"), TRICKY_NOTES[11 % 6], "src") in rows
    assert ("NUM", dt.date(2002, 9, 30), "", Decimal(7), "replaced note", "src") in rows
    assert ("CNT", dt.date(2000, 3, 31), "", Decimal(1), TRICKY_NOTES[0], "new source") in rows
    assert ("PCT", dt.date(2024, 6, 30), "2024/25 Q1", Decimal(50), "with, comma", "") in rows
    assert {note for *_, note, _source in rows} >= set(TRICKY_NOTES)
    assert {h[5] for h in history} == {"+", "~"}
    assert {h[6] for h in history} == {get_user_model().objects.get(pk=admin_user.pk).username}


def _text_reaching(byte: int, last_note: str) -> str:
    """Rows whose last note starts just before `byte` of the encoded file."""
    text = HEADER
    row = "NUM,2024-06-30,1," + "x" * 40 + ",\n"
    while len(text.encode()) + len(row) < byte - 100:
        text += row
    head = text + "CNT,2024-03-31,1,"
    return head + "y" * (byte - len(head.encode())) + last_note + ",\n"


def test_a_file_longer_than_one_piece_is_read_right_across_the_joins():
    # A two-byte character split by the 64 KB piece at which the encoding is checked.
    data = _text_reaching(65_535, "é").encode()
    assert data[65_535:65_537] == "é".encode()
    parsed = csv_files.open_csv(data, 10**7)
    assert parsed.encoding == "utf-8"
    last = list(csv_files.iter_rows(data, parsed))[-1]
    assert last.values["note"].endswith("yé")

    # A Windows-1252 byte only after the first piece.
    data = _text_reaching(70_000, "café").encode("cp1252")
    parsed = csv_files.open_csv(data, 10**7)
    assert parsed.encoding == "cp1252"
    last = list(csv_files.iter_rows(data, parsed))[-1]
    assert last.values["note"].endswith("ycafé")

    # Valid UTF-8 in the first piece, then a byte that is not, pieces later: refused, naming
    # the line of that byte (read as either encoding, one of the two "é"s would be garbled).
    later_rows = _text_reaching(70_000, "café").encode("cp1252")[len(HEADER) :]
    data = HEADER.encode() + "CNT,2023-12-31,1,é,\n".encode() + later_rows
    odd_line = data[: data.index(b"\xe9")].count(b"\n") + 1
    assert odd_line > 1000
    with pytest.raises(csv_files.CsvFileError, match=f"but line {odd_line} has a byte"):
        csv_files.open_csv(data, 10**7)


def test_many_lines_with_one_pair_are_named_a_few_at_a_time(measures, admin_user):
    report = preview(_upload(admin_user, HEADER + "CNT,2024-06-30,5,,\n" * 8))
    messages = {r.line: r.messages for r in report.rows}
    assert messages[2] == [
        "This measure and period also appear on lines 3, 4, 5, 6, 7 and 2 other lines."
    ]
    assert messages[9] == [
        "This measure and period also appear on lines 2, 3, 4, 5, 6 and 2 other lines."
    ]


def test_a_file_of_many_batches_finds_the_figures_it_restates_in_any_batch(
    measures, admin_user, small_batches
):
    """Only measures with a value within the file's periods are looked up batch by batch; a
    restated figure in any batch, of any of them, is still an update."""
    quarters = _quarters(30)
    make = MeasureValue.objects.create
    make(measure=measures["CNT"], period_end=dt.date.fromisoformat(quarters[25]), value=5)
    make(measure=measures["NUM"], period_end=dt.date.fromisoformat(quarters[3]), value=5)
    text = HEADER + "".join(f"CNT,{q},7,,\nNUM,{q},5,,\n" for q in quarters)
    report = preview(_upload(admin_user, text))
    outcomes = {(r.measure_code, r.period_end): r.outcome for r in report.rows}
    assert report.totals == {"new": 58, "update": 1, "unchanged": 1, "error": 0}
    assert outcomes[("CNT", quarters[25])] == "update"
    assert outcomes[("NUM", quarters[3])] == "unchanged"


@pytest.mark.parametrize(("rows", "reads"), [(7, 1), (8, 2)])
def test_a_file_of_one_batch_is_read_once_and_a_longer_one_a_batch_at_a_time(
    measures, admin_user, small_batches, rows, reads
):
    """The scan keeps a batch's worth of rows for the checks; past that it keeps none, so an
    import holds at most a batch of rows however long its file."""
    batch = _upload(admin_user, HEADER + "".join(f"CNT,{q},1,,\n" for q in _quarters(rows)))
    with mock.patch.object(importing, "iter_rows", wraps=importing.iter_rows) as read:
        report = preview(batch)
    assert read.call_count == reads
    assert report.totals["new"] == rows and [r.line for r in report.rows] == list(
        range(2, rows + 2)
    )
