"""The limits of an import: how wide and long a file may be, what the preview shows and
checks, and which encodings it reads. Whatever is accepted previews and imports in bounded
work, and whatever the preview passes, the database takes."""

import datetime as dt
from html import unescape
from unittest import mock

import pytest
from django.core.cache import cache

from measures import csv_files, importing
from measures.importing import preview, store_upload
from measures.models import ImportBatch, MeasureValue
from measures.tests.test_import import HEADER, _confirm, _preview, _upload

pytestmark = pytest.mark.django_db


def _quarter_ends(count: int) -> list[str]:
    return [f"{2000 + n // 4}-{('03-31', '06-30', '09-30', '12-31')[n % 4]}" for n in range(count)]


# --- a wide header ---------------------------------------------------------------------------


def test_a_header_wider_than_any_file_of_figures_is_refused_before_any_row_is_read(
    signed_in_admin, measures
):
    extra = [f"extra{n}" for n in range(5_000)]
    header = ",".join(["measure_code", "period_end", "value", *extra])
    content = header + "\n" + "CNT,2024-06-30,5" + "," * len(extra) + "\n"
    with mock.patch.object(csv_files, "iter_rows", side_effect=AssertionError("a row was read")):
        response = _upload(signed_in_admin, content)
    assert response.status_code == 400
    assert "The header row has 5,003 columns; a file of figures has at most 50" in unescape(
        response.content.decode()
    )
    assert not ImportBatch.objects.exists()


def test_the_wide_header_of_the_report_is_refused_from_its_header_alone():
    # The file of the finding: 80,000 columns in 160 KB. The header is all that is read.
    data = (",".join(["measure_code", "period_end", "value"] + ["x"] * 80_000) + "\n").encode()
    with pytest.raises(csv_files.CsvFileError, match="80,003 columns"):
        csv_files.open_csv(data, 10**7)


def test_a_header_of_fifty_columns_is_accepted_and_its_extra_columns_named(
    signed_in_admin, measures
):
    extra = [f"extra{n}" for n in range(47)]
    content = ",".join(["measure_code", "period_end", "value", *extra]) + "\n"
    content += "CNT,2024-06-30,5" + "," * len(extra) + "\n"
    page = _preview(signed_in_admin, content)
    assert page.context["report"].totals["new"] == 1
    assert page.context["report"].csv.extra_columns == extra


def test_a_header_naming_a_column_twice_is_refused(signed_in_admin, measures):
    response = _upload(signed_in_admin, "measure_code,period_end,value,value\nCNT,2024-06-30,5,6\n")
    assert response.status_code == 400
    assert "The header names value more than once." in response.content.decode()


# --- a long file -----------------------------------------------------------------------------


def test_a_file_over_the_row_limit_is_refused_at_upload_saying_the_limit(
    signed_in_admin, measures, settings
):
    settings.MEASURE_IMPORT_MAX_ROWS = 20
    over = HEADER + "".join(f"CNT,{q},1,,\n" for q in _quarter_ends(21))
    response = _upload(signed_in_admin, over)
    assert response.status_code == 400
    assert "The file has more than 20 rows of figures; the limit is 20 a file" in unescape(
        response.content.decode()
    )
    assert not ImportBatch.objects.exists()

    at_the_limit = HEADER + "".join(f"CNT,{q},1,,\n" for q in _quarter_ends(20))
    assert _preview(signed_in_admin, at_the_limit).context["report"].totals["new"] == 20


def test_a_stored_file_over_a_lowered_row_limit_is_refused_before_any_row_is_checked(
    signed_in_admin, measures, settings
):
    page = _preview(signed_in_admin, HEADER + "".join(f"CNT,{q},1,,\n" for q in _quarter_ends(30)))
    batch = page.context["batch"]
    settings.MEASURE_IMPORT_MAX_ROWS = 10
    cache.clear()
    with mock.patch.object(importing, "check_row", side_effect=AssertionError("a row was checked")):
        again = signed_in_admin.get(batch.get_absolute_url())
        refused = _confirm(signed_in_admin, page)
    assert again.status_code == 200
    assert "more than 10 rows" in unescape(again.content.decode())
    assert "Confirm and import" not in again.content.decode()
    assert refused.status_code == 409
    assert "more than 10 rows" in unescape(refused.content.decode())
    assert MeasureValue.objects.count() == 0


def test_the_row_limit_is_a_setting_with_a_default():
    from django.conf import settings

    assert settings.MEASURE_IMPORT_MAX_ROWS == 100_000


# --- what the preview catches ----------------------------------------------------------------


def test_a_period_padded_with_inner_spaces_imports_with_its_spaces_closed_up(
    signed_in_admin, measures
):
    padded = "2024" + " " * 150 + "/  25" + " " * 100 + "Q1"
    page = _preview(signed_in_admin, f'measure_code,period,value\nCNT,"{padded}",5\n')
    assert page.context["report"].totals == {"new": 1, "update": 0, "unchanged": 0, "error": 0}
    response = _confirm(signed_in_admin, page)
    assert response.status_code == 302
    value = MeasureValue.objects.get()
    assert (value.period_end, value.period_text) == (dt.date(2024, 6, 30), "2024 / 25 Q1")


def test_a_source_at_its_column_limit_imports_once_a_formula_guard_is_taken_off(
    signed_in_admin, measures
):
    # An exported source starting with "=" carries a guarding "'": 301 characters in the file,
    # 300 stored, which fits.
    source = "'=" + "s" * 299
    page = _preview(signed_in_admin, HEADER + f"CNT,2024-06-30,5,,{source}\n")
    assert page.context["report"].totals["new"] == 1, page.context["report"].rows[0].messages
    assert _confirm(signed_in_admin, page).status_code == 302
    assert MeasureValue.objects.get().source == source[1:]


# --- encodings, and the preview shows the text ------------------------------------------------


def test_a_utf8_file_with_one_windows_1252_byte_is_refused_naming_its_line(
    signed_in_admin, measures
):
    content = (
        HEADER.encode()
        + "CNT,2024-03-31,5,Café opened,Équipe\n".encode()
        + "CNT,2024-06-30,6,Naïve count,ASC\n".encode("cp1252")
        + "CNT,2024-09-30,7,Crème,ASC\n".encode()
    )
    response = _upload(signed_in_admin, content)
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "This file mixes two encodings" in html
    assert "accented text on line 2 is UTF-8" in html
    assert "line 3 has a byte that is not UTF-8 (0xEF, which is “ï” in Windows-1252)" in html
    assert not ImportBatch.objects.exists()


def test_a_stray_byte_before_any_utf8_text_is_named_too(signed_in_admin, measures):
    content = (
        HEADER.encode()
        + "CNT,2024-03-31,5,Caf\xe9,\n".encode("cp1252")
        + "CNT,2024-06-30,6,Café,\n".encode()
    )
    html = unescape(_upload(signed_in_admin, content).content.decode())
    assert "accented text on line 3 is UTF-8), but line 2 has a byte that is not UTF-8" in html


def test_a_byte_order_mark_then_a_byte_that_is_not_utf8_is_refused_naming_its_line(
    signed_in_admin, measures
):
    content = b"\xef\xbb\xbf" + HEADER.encode() + b"CNT,2024-03-31,5,\x93quoted\x94,\n"
    html = unescape(_upload(signed_in_admin, content).content.decode())
    assert "it starts with a UTF-8 byte-order mark" in html
    assert "line 2 has a byte that is not UTF-8 (0x93, which is ““” in Windows-1252)" in html


def test_a_lone_cr_counts_as_a_line_end_for_the_line_named():
    data = b"measure_code,period_end,value,note\rCNT,2024-03-31,5,\xc3\xa9\rCNT,2024-06-30,6,\xe9\r"
    with pytest.raises(csv_files.CsvFileError, match="line 3 has a byte"):
        csv_files.open_csv(data, 10**7)


def test_a_windows_1252_file_with_no_utf8_in_it_is_still_read_as_windows_1252(
    signed_in_admin, measures
):
    content = (HEADER + "CNT,2024-03-31,5,Café “quoted” – £5,Équipe\n").encode("cp1252")
    page = _preview(signed_in_admin, content)
    assert page.context["report"].csv.encoding == "cp1252"
    assert "Café “quoted” – £5" in unescape(page.content.decode())


def test_a_byte_windows_1252_leaves_undefined_is_refused_naming_its_line(signed_in_admin, measures):
    content = HEADER.encode() + b"CNT,2024-03-31,5,ok,\nCNT,2024-06-30,5,\x81,\n"
    html = unescape(_upload(signed_in_admin, content).content.decode())
    assert "neither UTF-8 nor Windows-1252 (line 3 has the byte 0x81)" in html


def test_the_preview_shows_each_rows_note_and_source(signed_in_admin, measures):
    page = _preview(
        signed_in_admin,
        HEADER + "CNT,2024-03-31,5,Café reopened,ASC return\nNOPE,2024-03-31,5,Crème,Finance\n",
    )
    html = unescape(page.content.decode())
    assert '<th scope="col">Note</th><th scope="col">Source</th>' in html
    assert "<td>Café reopened</td><td>ASC return</td>" in html
    assert "<td>Crème</td><td>Finance</td>" in html


def test_a_long_note_is_shown_shortened_in_the_preview_and_stored_in_full(
    signed_in_admin, measures
):
    note = "n" * 5000
    page = _preview(signed_in_admin, HEADER + f"CNT,2024-03-31,5,{note},\n")
    [row] = page.context["report"].rows
    assert row.texts["note"] == "n" * 199 + "…"
    _confirm(signed_in_admin, page)
    assert MeasureValue.objects.get().note == note


def test_a_preview_keeps_at_most_a_fixed_share_of_each_row(admin_user, measures):
    long_text = "x" * 9000
    text = HEADER + f"NOPE,2024-03-31,5,{long_text},{long_text}\n"
    report = preview(store_upload(user=admin_user, file_name="f.csv", data=text.encode()))
    [row] = report.rows
    assert len(row.texts["note"]) == len(row.texts["source"]) == 200


def test_a_message_repeats_only_the_start_of_a_long_cell(admin_user, measures):
    # A preview of 1,000 such rows once repeated every cell in full: a 27 MB page.
    long = "z" * 9000
    text = f"measure_code,period_end,value\n{long},{long},{long}\n"
    report = preview(store_upload(user=admin_user, file_name="f.csv", data=text.encode()))
    [row] = report.rows
    assert row.messages == [
        "Unknown measure code “" + "z" * 39 + "…”.",
        "“" + "z" * 39 + "…” is not a date in the form YYYY-MM-DD, e.g. 2024-06-30.",
        "“" + "z" * 39 + "…” is not a number.",
    ]
    assert len(row.measure_code) == len(row.period_end) == 40
