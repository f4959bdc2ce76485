"""Importing quarterly figures: every bad input gets a message and changes nothing."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from measures.models import ImportBatch, Measure, MeasureValue
from tests.factories import make_measure

pytestmark = pytest.mark.django_db
HEADER = "measure_code,period_end,value,note,source\r\n"


def _upload(client, content: bytes | str, name: str = "figures.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(reverse("measures:import_start"), {"file": SimpleUploadedFile(name, data)})


def _preview(client, content, name="figures.csv"):
    response = _upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def _confirm(client, preview_response, restate=False):
    """Confirm as the preview's form does: with which restatements it showed."""
    batch = preview_response.context["batch"]
    data = {"restatements_confirmed": "on"} if restate else {}
    form = preview_response.context.get("confirm_form")
    if form is not None:
        data["restatements_seen"] = form["restatements_seen"].value()
    return client.post(reverse("measures:import_confirm", args=[batch.pk]), data)


def _counts():
    return (MeasureValue.objects.count(), MeasureValue.history.count())


def test_a_good_file_previews_then_imports_every_row(signed_in_admin, measures, admin_user):
    page = _preview(
        signed_in_admin,
        HEADER + "PCT,2024-06-30,92.5,Q1 figure,ASC return\r\nCNT,2024-06-30,1200,,\r\n",
    )
    assert page.status_code == 200
    assert page.context["report"].totals == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    assert _counts() == (0, 0)  # the preview wrote nothing

    response = _confirm(signed_in_admin, page)

    assert response.status_code == 302
    value = MeasureValue.objects.get(measure__code="PCT")
    assert (value.period_end, value.value, value.note, value.source) == (
        dt.date(2024, 6, 30),
        Decimal("92.5"),
        "Q1 figure",
        "ASC return",
    )
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.new_count, batch.uploaded_by) == ("imported", 2, admin_user)
    assert len(batch.sha256) == 64
    history = MeasureValue.history.filter(measure_id=value.measure_id).get()
    assert (history.history_user, history.import_batch) == (admin_user, batch)
    assert (
        "Imported figures.csv: 2 new, 0 updated, 0 unchanged"
        in signed_in_admin.get(response["Location"]).content.decode()
    )


def test_importing_the_same_file_again_changes_nothing(signed_in_admin, measures):
    content = HEADER + "PCT,2024-06-30,92.5,,\r\nCNT,2024-06-30,1200,,\r\n"
    _confirm(signed_in_admin, _preview(signed_in_admin, content))
    before = _counts()

    page = _preview(signed_in_admin, content)
    assert page.context["report"].summary == "0 new, 0 updated, 2 unchanged"
    _confirm(signed_in_admin, page)
    assert _counts() == before
    assert ImportBatch.objects.filter(status="imported").count() == 2


def test_restating_a_reported_figure_needs_the_box_ticked(signed_in_admin, measures):
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,,\r\n"))
    page = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,93,,\r\n")
    row = page.context["report"].rows[0]
    assert (row.outcome, row.old_value, row.new_value) == ("update", Decimal("92.5"), Decimal("93"))
    assert "would change a figure already reported" in page.content.decode()
    before = _counts()

    refused = _confirm(signed_in_admin, page)
    assert refused.status_code == 409
    assert "would restate figures already reported" in refused.content.decode()
    box = refused.context["confirm_form"]["restatements_confirmed"].id_for_label
    assert f'<a href="#{box}">Go to the box to tick</a>' in refused.content.decode()
    assert _counts() == before

    assert _confirm(signed_in_admin, page, restate=True).status_code == 302
    assert MeasureValue.objects.get().value == Decimal(93)
    assert [h.value for h in MeasureValue.history.order_by("-history_id")] == [
        Decimal(93),
        Decimal("92.5"),
    ]


def test_a_confirm_never_puts_back_a_note_written_after_its_preview(signed_in_admin, measures):
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,first,\r\n"))
    stale = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,first,\r\n")  # unchanged
    fixed = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,CORRECTED: ward 7,\r\n")
    assert _confirm(signed_in_admin, fixed).status_code == 302
    before = _counts()

    refused = _confirm(signed_in_admin, stale)
    assert refused.status_code == 409
    text = unescape(refused.content.decode())
    assert "Someone changed the notes or sources of figures this file writes" in text
    assert "Go to the box to tick" not in text  # not what stopped it
    assert _counts() == before
    assert MeasureValue.objects.get().note == "CORRECTED: ward 7"
    # Confirmed from the preview as it is now, the Admin's own note goes in knowingly.
    assert _confirm(signed_in_admin, refused).status_code == 302
    assert MeasureValue.objects.get().note == "first"


def test_a_restating_confirm_never_puts_back_a_note_written_after_its_preview(
    signed_in_admin, measures
):
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,first,\r\n"))
    mine = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,93,mine,\r\n")
    fixed = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,CORRECTED meanwhile,\r\n")
    assert _confirm(signed_in_admin, fixed).status_code == 302
    refused = _confirm(signed_in_admin, mine, restate=True)
    assert refused.status_code == 409
    assert MeasureValue.objects.get().note == "CORRECTED meanwhile"


def test_a_confirm_never_restates_a_figure_written_after_its_preview(signed_in_admin, measures):
    """Two Admins preview files for the same figure; the first confirms. The second's tick
    confirmed restating 92.5, not the first Admin's 95: nothing is written until they have
    seen the figure as it is now."""
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,,\r\n"))
    first = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,95,,\r\n")
    second = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,93,,\r\n")
    assert second.context["report"].rows[0].old_value == Decimal("92.5")
    assert _confirm(signed_in_admin, first, restate=True).status_code == 302
    before = _counts()

    refused = _confirm(signed_in_admin, second, restate=True)
    assert refused.status_code == 409
    text = unescape(refused.content.decode())
    assert "Figures this file restates have changed since your preview" in text
    assert _counts() == before
    assert MeasureValue.objects.get().value == Decimal(95)
    # The page is the preview as things are now, and confirming from it goes through.
    assert refused.context["report"].rows[0].old_value == Decimal(95)
    assert _confirm(signed_in_admin, refused, restate=True).status_code == 302
    assert MeasureValue.objects.get().value == Decimal(93)


def test_a_restating_confirm_not_sent_from_its_preview_is_refused(signed_in_admin, measures):
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,,\r\n"))
    page = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,93,,\r\n")
    url = reverse("measures:import_confirm", args=[page.context["batch"].pk])
    refused = signed_in_admin.post(url, {"restatements_confirmed": "on"})
    assert refused.status_code == 409
    assert MeasureValue.objects.get().value == Decimal("92.5")


def test_a_new_note_on_a_reported_figure_is_an_update_but_no_restatement(signed_in_admin, measures):
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,,\r\n"))
    content = HEADER + "PCT,2024-06-30,92.50,Typo fixed in the note,\r\nCNT,2024-06-30,7,,\r\n"
    page = _preview(signed_in_admin, content)
    report = page.context["report"]
    assert (report.totals["update"], report.restated, report.notes_only) == (1, 0, 1)
    html = page.content.decode()
    assert "would change a figure already reported" not in html
    assert "1 row changes only the note or source of a figure already reported" in html
    assert "<strong>Update: note or source only</strong>" in html
    # No tick needed: the figure is as it was.
    assert _confirm(signed_in_admin, page).status_code == 302
    stored = MeasureValue.objects.get(measure__code="PCT")
    assert (stored.value, stored.note) == (Decimal("92.5"), "Typo fixed in the note")


def test_a_row_is_unchanged_only_if_every_text_it_fills_is_as_stored(signed_in_admin, measures):
    stored = HEADER + "PCT,2024-06-30,92.5,A note,A source\r\n"
    _confirm(signed_in_admin, _preview(signed_in_admin, stored))
    rows = [
        "PCT,2024-06-30,92.50,A note,A source",  # the same, written otherwise
        "PCT,2024-06-30,92.5,,",  # empty cells leave the note and source
        "PCT,2024-06-30,92.5,A note,",
    ]
    for row in rows:
        page = _preview(signed_in_admin, HEADER + row + "\r\n")
        assert page.context["report"].summary == "0 new, 0 updated, 1 unchanged", row
    page = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,92.5,,Another source\r\n")
    assert (page.context["report"].totals["update"], page.context["report"].notes_only) == (1, 1)
    assert _confirm(signed_in_admin, page).status_code == 302
    value = MeasureValue.objects.get(measure__code="PCT")
    assert (value.value, value.note, value.source) == (Decimal("92.5"), "A note", "Another source")


def test_a_semicolon_file_whose_value_may_have_a_decimal_comma_is_refused(
    signed_in_admin, measures
):
    """2,500 in a file separated by semicolons, as Excel writes where a comma marks decimals:
    two and a half, or two thousand five hundred? Refused rather than guessed."""
    content = "measure_code;period_end;value\r\nCNT;2024-06-30;2,500\r\nCNT;2024-09-30;1,234.5\r\n"
    page = _preview(signed_in_admin, content)
    report = page.context["report"]
    assert (report.totals["error"], report.totals["new"]) == (1, 1)
    assert "“2,500” could mean 2500 or 2.5" in unescape(page.content.decode())
    assert _confirm(signed_in_admin, page).status_code != 302
    assert not MeasureValue.objects.exists()


def test_a_new_wording_of_the_period_alone_is_an_update_that_says_so(signed_in_admin, measures):
    wording = "measure_code,period,value,note\r\nPCT,{period},92.5,\r\n"
    _confirm(signed_in_admin, _preview(signed_in_admin, wording.format(period="2022/23 Q3")))
    page = _preview(signed_in_admin, wording.format(period="FY2022/2023 Q3"))
    report = page.context["report"]
    assert (report.totals["update"], report.restated, report.notes_only) == (1, 0, 1)
    html = unescape(page.content.decode())
    assert "<strong>Update: the period's wording, note or source only</strong>" in html
    assert "1 row changes only the period's wording, note or source of a figure" in html
    assert _confirm(signed_in_admin, page).status_code == 302
    stored = MeasureValue.objects.get(measure__code="PCT")
    assert (stored.value, stored.period_text) == (Decimal("92.5"), "FY2022/2023 Q3")


def _future_quarter_end() -> str:
    today = timezone.localdate()
    return dt.date(today.year + 1, 3, 31).isoformat()


@pytest.mark.parametrize(
    "rows,message",
    [
        ("NOPE,2024-06-30,1,,", "Unknown measure code “NOPE”"),
        ("CNT,30/06/2024,1,,", "“30/06/2024” is not a date in the form YYYY-MM-DD"),
        ("CNT,2024-02-30,1,,", "“2024-02-30” is not a real date"),
        ("CNT,2024-05-31,1,,", "31 May 2024 is not the end of a quarter"),
        ("CNT,2024-06-30,n/a,,", "“n/a” is not a number"),
        ("CNT,2024-06-30,,,", "The value is empty"),
        ("PCT,2024-06-30,101,,", "101 is outside this measure's range (0% to 100%)"),
        ("CNT,2024-06-30,-5,,", "-5 is outside this measure's range (at least 0)"),
        ("CNT,2024-06-30,12%,,", "“12%” has a % sign, but this measure is not a percentage"),
        ("PCT,2019-12-31,50,,", "before this measure's baseline (31 March 2020)"),
        ("CNT,{future},1,,", "is in the future"),
        ("CNT,,1,,", "No period"),
        ("CNT,2024-06-30,1.23456,,", "1.23456 has more than 4 decimal places"),
        ("CNT,2024-06-30,12345678901,,", "is too large"),
        ("CNT,2024-06-30,1,," + "s" * 301, "The source is longer than 300 characters"),
        ("CNT,0001-06-30,1,,", "The period ending 30 June 0001 is before 1990"),
        ("CNT,1989-12-31,1,,", "The period ending 31 December 1989 is before 1990"),
    ],
)
def test_a_bad_row_is_named_by_line_and_nothing_is_written(
    signed_in_admin, measures, rows, message
):
    content = HEADER + "CNT,2024-03-31,5,,\r\n" + rows.format(future=_future_quarter_end()) + "\r\n"
    page = _preview(signed_in_admin, content)
    html = unescape(page.content.decode())
    assert re.search(rf"<li>Line 3: [^<]*{re.escape(message)}", html), html[
        html.find("row-errors") :
    ][:800]
    assert page.context["report"].totals["error"] == 1
    [error_row] = [r for r in page.context["report"].rows if r.outcome == "error"]
    assert len(error_row.messages) == 1, error_row.messages  # only the row's own problem
    assert "Confirm and import" not in html
    before = _counts()
    refused = _confirm(signed_in_admin, page)
    assert refused.status_code == 409
    assert _counts() == before == (0, 0)


def test_a_code_stored_in_lower_case_receives_its_figures_whatever_the_files_case(
    signed_in_admin, measures
):
    lower = make_measure(measures["CNT"].objective, code="t1-lower", unit="count")
    for code in ("t1-lower", "T1-LOWER"):
        page = _preview(signed_in_admin, HEADER + f"{code},2024-06-30,5,,\r\n")
        assert page.context["report"].totals["error"] == 0, code
    assert _confirm(signed_in_admin, page).status_code == 302
    assert lower.values.get().value == 5


def test_a_code_two_measures_share_but_for_case_is_refused_as_ambiguous(signed_in_admin, measures):
    make_measure(measures["CNT"].objective, code="AB-1", unit="count")
    make_measure(measures["CNT"].objective, code="ab-1", unit="count")
    for code in ("ab-1", "AB-1"):  # neither is taken for the other, even the exact one
        page = _preview(signed_in_admin, HEADER + f"{code},2024-06-30,5,,\r\n")
        assert "Measure code AB-1 matches 2 measures (AB-1, ab-1)" in unescape(
            page.content.decode()
        )
        assert page.context["report"].totals["error"] == 1


def test_blank_lines_above_the_header_are_skipped_and_lines_counted_as_in_the_file(
    signed_in_admin, measures
):
    page = _preview(signed_in_admin, "\n\n" + HEADER + "CNT,2024-06-30,5,,\r\nCNT,x,1,,\r\n")
    html = unescape(page.content.decode())
    assert page.context["report"].totals["new"] == 1
    assert "Line 5: “x” is not a date" in html


def test_a_spreadsheets_empty_rows_above_a_semicolon_header_are_skipped(signed_in_admin, measures):
    content = ";;\n;;\nmeasure_code;period_end;value\nCNT;2024-06-30;5\n"
    page = _preview(signed_in_admin, content)
    assert page.context["report"].totals["new"] == 1


def test_a_financial_quarter_in_year_zero_is_a_row_error(signed_in_admin, measures):
    page = _preview(signed_in_admin, "measure_code,period,value\nCNT,0000/01 Q1,5\n")
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Line 2: “0000/01 Q1” is not a real financial quarter." in html


def test_a_figure_with_a_space_inside_is_refused_not_read_as_another(signed_in_admin, measures):
    page = _preview(signed_in_admin, HEADER + "CNT,2024-06-30,1 5,,\r\n")
    assert "Line 2: “1 5” has a space inside the number" in unescape(page.content.decode())
    assert page.context["report"].totals["error"] == 1


def test_the_same_measure_and_period_twice_names_both_lines(signed_in_admin, measures):
    # The same quarter written two ways, and the code in another case, is still the same row.
    content = (
        "measure_code,period_end,period,value\n"
        "CNT,2024-06-30,,1\nPCT,2024-06-30,,5\ncnt,,2024/25 Q1,2\n"
    )
    page = _preview(signed_in_admin, content)
    html = page.content.decode()
    assert "Line 2: This measure and period also appear on line 4." in html
    assert "Line 4: This measure and period also appear on line 2." in html


@pytest.mark.parametrize(
    "value,measure,expected",
    [
        ("1,234.5", "CNT", "1234.5"),
        ("12%", "PCT", "12"),
        ("\u22123.5", "NUM", "-3.5"),
        (" 7 ", "CNT", "7"),
    ],
)
def test_numbers_as_people_write_them(signed_in_admin, measures, value, measure, expected):
    page = _preview(
        signed_in_admin, f'measure_code,period_end,value\n{measure},2024-06-30,"{value}"\n'
    )
    assert page.context["report"].totals["new"] == 1, page.context["report"].rows[0].messages
    _confirm(signed_in_admin, page)
    assert MeasureValue.objects.get().value == Decimal(expected)


def test_a_uk_financial_quarter_gives_its_end_date(signed_in_admin, measures):
    page = _preview(
        signed_in_admin, "measure_code,period,value\nCNT,2024/25 Q1,5\nCNT,2024/25 Q4,6\n"
    )
    _confirm(signed_in_admin, page)
    values = MeasureValue.objects.order_by("period_end")
    assert [(v.period_end, v.period_text) for v in values] == [
        (dt.date(2024, 6, 30), "2024/25 Q1"),
        (dt.date(2025, 3, 31), "2024/25 Q4"),
    ]


def test_files_as_excel_saves_them(signed_in_admin, measures):
    # Windows-1252, semicolons, CRLF, a quoted field with a delimiter and a line break,
    # and trailing blank lines.
    content = (
        "measure_code;period_end;value;note\r\n"
        'CNT;2024-03-31;5;"Caf\xe9 data; first\r\nquarter"\r\n'
        "CNT;2024-06-30;6;£ figures\r\n\r\n\r\n"
    ).encode("cp1252")
    page = _preview(signed_in_admin, content)
    report = page.context["report"]
    assert report.csv.encoding == "cp1252"
    assert "Windows-1252" in page.content.decode()
    assert [(r.line, r.outcome) for r in report.rows] == [(2, "new"), (4, "new")]
    _confirm(signed_in_admin, page)
    assert MeasureValue.objects.get(period_end="2024-03-31").note == "Café data; first\r\nquarter"


def test_utf8_with_a_byte_order_mark(signed_in_admin, measures):
    page = _preview(
        signed_in_admin, "\ufeffmeasure_code,period_end,value,note\nCNT,2024-06-30,5,naïve\n"
    )
    assert page.context["report"].csv.encoding == "utf-8-sig"
    _confirm(signed_in_admin, page)
    assert MeasureValue.objects.get().note == "naïve"


def test_extra_columns_are_reported_and_ignored(signed_in_admin, measures):
    page = _preview(
        signed_in_admin,
        "measure_code,measure_name,period_end,value,comment\nCNT,Referrals,2024-06-30,5,hi\n",
    )
    assert page.context["report"].csv.extra_columns == ["comment"]
    assert "Columns not used and ignored: comment." in page.content.decode()


def test_excels_trailing_empty_columns_are_not_named_as_columns_ignored(signed_in_admin, measures):
    """The preview said "Columns not used and ignored: , , ." (found by a bad-input pass)."""
    page = _preview(signed_in_admin, "measure_code,period_end,value,,,\nCNT,2024-06-30,5,,,\n")
    assert page.context["report"].csv.extra_columns == []
    assert "Columns not used and ignored" not in page.content.decode()
    assert page.context["report"].totals["new"] == 1


def test_a_value_under_a_column_with_no_heading_is_refused_by_its_line(signed_in_admin, measures):
    """A figure typed under a column with no heading was dropped without a word."""
    page = _preview(
        signed_in_admin, "measure_code,period_end,,value\nCNT,2024-06-30,99,50\nCNT,2024-09-30,,7\n"
    )
    report = page.context["report"]
    assert report.totals["error"] == 1 and report.totals["new"] == 1
    assert (
        "Column 3 has a value but no heading in the header row: give the column its heading"
        in page.content.decode()
    )


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "The file is empty"),
        (b"  \r\n", "The file is empty"),
        (b"\xef\xbb\xbf", "The file is empty"),  # a byte-order mark and nothing else
        (b"PK\x03\x04\x14\x00\x06\x00rest-of-a-workbook", "This is an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "old-style Excel workbook (.xls)"),
        (b"GIF89a\x00\x00\x01", "This is not a text file"),
        (b"\xff\xfem\x00e\x00", "UTF-16"),
        ("measure_code,period_end,value\nCNT,2024-06-30,5\n".encode("utf-16-le"), "UTF-16"),
        ("measure_code,period_end,value\nCNT,2024-06-30,5\n".encode("utf-16-be"), "UTF-16"),
        (b"measure_code,value\nCNT,5\n", "missing: period_end or period"),
        (
            b"code,when,amount\nCNT,2024-06-30,5\n",
            "missing: measure_code, value, period_end or period",
        ),
        (b"measure_code,period_end,value\n", "header row but no figures"),
        (b'measure_code,period_end,value\nCNT,2024-06-30,"5\n', "cannot be read as CSV"),
        (
            b'measure_code,period_end,value,note\nCNT,2024-06-30,5,"open\n',
            'Line 2 cannot be read as CSV: a double quote (") opens a value that is never closed',
        ),
        (
            b"measure_code,period_end,value,note\nCNT,2024-06-30,5," + b"n" * 10_001 + b"\n",
            "Line 2 cannot be read as CSV: it has a cell longer than 10,000 characters, the most",
        ),
        (
            b'measure_code,period_end,value,note\nCNT,2024-06-30,5,"open\n'
            + b"CNT,2024-06-30,5,a note that is not the end of the one above\n" * 400,
            'a double quote (") that is never closed makes the rest of the file one cell',
        ),
        (
            b'measure_code,period_end,value,"note\n',
            'The header row cannot be read as CSV: a double quote (") opens a value that is never',
        ),
        (
            b"measure_code,period_end,value\nCNT,2024-06-30,5,6\n",
            "Line 2 has 4 fields but the header has 3",
        ),
        # A NUL far into the file, past where the first look for binary content stops.
        (
            b"measure_code,period_end,value,note\n"
            + b"CNT,2024-06-30,5,ok\n" * 5000
            + b"CNT,2024-03-31,5,o\x00k\n",
            "This is not a text file",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_before_any_row(
    signed_in_admin, measures, content, message
):
    response = _upload(signed_in_admin, content, "figures.csv")
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused(signed_in_admin, measures, settings):
    settings.MEASURE_IMPORT_MAX_BYTES = 1000
    response = _upload(signed_in_admin, HEADER + "CNT,2024-06-30,5,,\n" * 60)
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_database_error_part_way_leaves_the_data_as_it_was(signed_in_admin, measures):
    from measures import importing

    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "CNT,2023-12-31,1,,\n"))
    rows = "".join(
        f"CNT,{y}-{md},{y},,\n"
        for y in range(2010, 2023)
        for md in ("03-31", "06-30", "09-30", "12-31")
    )
    page = _preview(signed_in_admin, HEADER + "PCT,2024-06-30,50,,\n" + rows)
    before = _counts()
    real = importing.create
    calls = []

    def fail_on_second_batch(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        return real(objs, *args, **kwargs)

    with (
        mock.patch.object(importing, "create", fail_on_second_batch),
        mock.patch.object(importing, "BATCH_ROWS", 10),
    ):
        response = _confirm(signed_in_admin, page)

    assert len(calls) >= 2  # the first batch was written before the failure
    assert response.status_code == 409
    assert "The database refused the figures, so nothing was written" in response.content.decode()
    assert _counts() == before
    assert ImportBatch.objects.get(pk=page.context["batch"].pk).status == "previewed"


def test_confirming_twice_imports_once(signed_in_admin, measures):
    page = _preview(signed_in_admin, HEADER + "CNT,2024-06-30,5,,\n")
    _confirm(signed_in_admin, page)
    before = _counts()
    again = _confirm(signed_in_admin, page)
    assert again.status_code == 409
    assert "already been imported" in again.content.decode()
    assert _counts() == before


def test_the_template_lists_every_measure(signed_in_admin, measures):
    response = signed_in_admin.get(reverse("measures:import_template"))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "measure_code,measure_name,period,period_end,value,note,source"
    assert "CNT,Referrals,,,,," in lines
    assert len(lines) == 1 + len(measures)


def test_the_templates_rows_left_unfilled_are_left_out_and_counted(signed_in_admin, measures):
    """Filling in one row of the template, as its page suggests, gave "52 rows have errors,
    so nothing can be imported": every other measure's row, with no period and no value."""
    template = signed_in_admin.get(reverse("measures:import_template")).content.decode("utf-8-sig")
    lines = template.splitlines()
    filled = [line.replace("CNT,Referrals,,,,,", "CNT,Referrals,,2024-06-30,5,,") for line in lines]
    assert filled != lines
    page = _preview(signed_in_admin, "\n".join(filled) + "\n")
    report = page.context["report"]
    assert report.totals == {"new": 1, "update": 0, "unchanged": 0, "error": 0}
    assert report.left_blank == len(measures) - 1
    assert f"{len(measures) - 1} row" in page.content.decode()
    _confirm(signed_in_admin, page)
    assert MeasureValue.objects.get().value == 5
    # A row with a figure but no period is still an error: only a row with nothing is left out.
    half = _preview(signed_in_admin, HEADER + "CNT,,5,,\n").context["report"]
    assert half.totals["error"] == 1 and half.left_blank == 0


def test_the_template_as_downloaded_has_nothing_to_import(signed_in_admin, measures):
    template = signed_in_admin.get(reverse("measures:import_template")).content
    page = _preview(signed_in_admin, template)
    assert "No row has a figure, so there is nothing to import" in page.content.decode()
    assert "Confirm and import" not in page.content.decode()
    assert 'tabindex="0"' not in page.content.decode()  # no empty table of rows to stop at
    # A confirm sent anyway records no import of nothing.
    forged = _confirm(signed_in_admin, page)
    assert "nothing to import" in forged.content.decode()
    assert ImportBatch.objects.get(pk=page.context["batch"].pk).status == "previewed"


def test_the_example_file_in_fixtures_fills_the_illustrative_strategy_only(
    signed_in_admin, admin_user, programme_lead, make_user
):
    from io import StringIO
    from pathlib import Path

    from django.conf import settings as django_settings
    from django.core.management import call_command
    from django.utils import timezone

    from objectives.example_strategy import load_example
    from strategy_tracker.roles import PROGRAMME_LEAD

    call_command("load_seeds", stdout=StringIO())
    users = {"admin": admin_user, "lead": programme_lead}
    users["lead2"] = make_user("lead2", PROGRAMME_LEAD, first_name="Lena", last_name="Second")
    load_example(timezone.localdate(), users)
    example = Path(django_settings.BASE_DIR) / "fixtures" / "example-quarterly-figures.csv"
    page = _preview(signed_in_admin, example.read_bytes(), example.name)
    report = page.context["report"]
    assert report.totals["error"] == 0, [r.messages for r in report.rows if r.messages]
    assert report.totals["new"] >= 8
    codes = {row.measure_code for row in report.rows}
    strategies = {
        m.strategy
        for m in Measure.objects.filter(code__in=codes).select_related(
            "priority__strategy", "objective__priority__strategy"
        )
    }
    assert [s.illustrative for s in strategies] == [True]


def test_the_list_of_imports_shows_who_when_and_what(signed_in_admin, measures):
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "CNT,2024-06-30,5,,\n", "q1.csv"))
    html = signed_in_admin.get(reverse("measures:import_list")).content.decode()
    batch = ImportBatch.objects.get()
    assert "q1.csv" in html and "Ada Admin" in html and batch.sha256[:12] in html


def test_a_values_history_links_back_to_its_import(signed_in_admin, measures):
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "CNT,2024-06-30,5,,\n", "q1.csv"))
    batch = ImportBatch.objects.get()
    html = signed_in_admin.get("/measures/CNT/").content.decode()
    assert f'<a href="/measures/import/{batch.pk}/">Import {batch.pk}: q1.csv</a>' in html


@pytest.mark.parametrize("user_fixture", ["board_member", "programme_lead"])
def test_only_admins_may_import(client, request, measures, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    for url in [
        reverse("measures:import_start"),
        reverse("measures:import_template"),
        reverse("measures:import_list"),
    ]:
        assert client.get(url).status_code == 403, url
    assert _upload(client, HEADER + "CNT,2024-06-30,5,,\n").status_code == 403
    assert not ImportBatch.objects.exists()


def test_another_users_forged_confirm_is_refused(client, signed_in_admin, measures, programme_lead):
    page = _preview(signed_in_admin, HEADER + "CNT,2024-06-30,5,,\n")
    client.force_login(programme_lead)
    assert _confirm(client, page).status_code == 403
    assert _counts() == (0, 0)


def test_the_preview_query_count_does_not_grow_with_the_file(
    signed_in_admin, measures, django_assert_max_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = _upload(signed_in_admin, HEADER + "CNT,2024-06-30,5,,\n")
    with CaptureQueriesContext(connection) as few:
        signed_in_admin.get(small["Location"])
    few = len(few)
    quarters = [
        f"{y}-{md}" for y in range(2021, 2026) for md in ("03-31", "06-30", "09-30", "12-31")
    ]
    big = _upload(
        signed_in_admin,
        HEADER + "".join(f"{c},{q},5,,\n" for c in ("CNT", "PCT", "NUM") for q in quarters),
    )
    cache.clear()
    with django_assert_max_num_queries(few):
        response = signed_in_admin.get(big["Location"])
    assert response.context["report"].totals["new"] == 60


def test_another_admins_upload_is_not_theirs_and_a_site_administrator_is_credited(
    signed_in_admin, client, measures, make_user, site_admin
):
    from strategy_tracker.roles import ADMIN

    page = _preview(signed_in_admin, HEADER + "CNT,2024-06-30,5,,\n")
    batch = ImportBatch.objects.get()
    # Its rows may name measures another organisation's Admin does not reach.
    client.force_login(make_user("admin2", ADMIN))
    assert client.get(f"/measures/import/{batch.pk}/").status_code == 404
    assert _confirm(client, page).status_code == 404
    assert batch.pk not in [
        b.pk for b in client.get("/measures/import/history/").context["batches"]
    ]
    client.force_login(site_admin)
    assert _confirm(client, page).status_code == 302
    batch.refresh_from_db()
    assert batch.imported_by == site_admin
    assert MeasureValue.history.get().history_user == site_admin


def test_the_measure_page_shows_an_import_at_once(signed_in_admin, measures):
    first = signed_in_admin.get("/measures/CNT/").content.decode()  # now cached
    assert "No values reported yet" in first
    _confirm(signed_in_admin, _preview(signed_in_admin, HEADER + "CNT,2024-06-30,4321,,\n"))
    again = signed_in_admin.get("/measures/CNT/").content.decode()
    assert "4,321" in again and "No values reported yet" not in again


@pytest.mark.parametrize("admin_first", [True, False])
def test_the_measure_page_shows_each_reader_their_own_links_and_form(
    client, admin_user, measures, board_member, admin_first
):
    """The page is cached, but an import's link is for those who may import, and the SPC
    form and its CSRF token are the Admin's own, whoever opened the page first."""
    from django.test import Client

    admin, board = Client(), Client()
    admin.force_login(admin_user)
    board.force_login(board_member)
    _confirm(admin, _preview(admin, HEADER + "CNT,2024-06-30,5,,\n", "q1.csv"))
    batch = ImportBatch.objects.get()
    link = f'<a href="/measures/import/{batch.pk}/">Import {batch.pk}: q1.csv</a>'
    readers = [admin, board] if admin_first else [board, admin]
    pages = {id(c): c.get("/measures/CNT/").content.decode() for c in readers}
    admin_page, board_page = pages[id(admin)], pages[id(board)]
    assert link in admin_page and "Save SPC limits" in admin_page
    assert link not in board_page and f"Import {batch.pk}: q1.csv" in board_page
    assert "Save SPC limits" not in board_page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', admin_page).group(1)
    assert token not in board_page


def test_each_measures_rules_are_its_own_and_each_range_is_worked_out_once(admin_user):
    """A file names a thousand measures of a handful of units and ranges: the checks get
    each measure's own range, worked out once per distinct unit and range."""
    from measures import importing, models
    from tests.factories import make_measure, make_objective

    objective = make_objective()
    made = [
        make_measure(objective, unit=unit, minimum_value=low, maximum_value=high)
        for unit, low, high in [
            ("%", None, None),
            ("%", None, None),
            ("%", Decimal("10"), None),
            ("count", None, None),
            ("count", None, Decimal("500")),
            ("count", None, Decimal("500")),
        ]
    ]
    worked_out = []
    real = models.allowed_range

    def counted(*args):
        worked_out.append(args)
        return real(*args)

    with mock.patch.object(importing, "allowed_range", counted):
        rules = importing.MeasureRules.by_code([m.code for m in made], admin_user)
    assert len(worked_out) == 4
    for measure in made:
        rule = rules[measure.code]
        assert (rule.id, rule.unit) == (measure.pk, measure.unit)
        assert (rule.low, rule.high) == real(
            measure.unit, measure.minimum_value, measure.maximum_value
        )
    assert (rules[made[2].code].low, rules[made[2].code].high) == (10, 100)
