"""The figures import fed files as analysts' tools save them (found by a pass with real-world
files: a value stored a thousand times too big, a restatement ticked unseen)."""

import datetime as dt
from decimal import Decimal

import pytest

from measures.csv_files import CsvFileError
from measures.importing import preview, store_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 1, 1)


def _outcome(admin_user, data: bytes):
    """The preview's rows, or the refusal of the whole file."""
    try:
        batch = store_upload(user=admin_user, file_name="figures.csv", data=data)
    except CsvFileError as error:
        return str(error)
    return preview(batch, today=TODAY)


@pytest.mark.parametrize(
    "content",
    [
        # A comma file: "0,123" cannot be thousands (no number is written with a leading
        # group of 0), so it is 0.123 written with a decimal comma (LibreOffice in a
        # decimal-comma locale saving comma-separated "as shown"), never 123.
        'measure_code,period_end,value\r\nNUM,2024-06-30,"0,123"\r\n',
        'measure_code,period_end,value\r\nNUM,2024-06-30,"-0,500"\r\n',
        # A semicolon file: two commas are read as thousands, "0,000,001" as 1.
        "measure_code;period_end;value\r\nNUM;2024-06-30;0,000,001\r\n",
        # Spaces between thousands: "0 123" is not a thousands grouping either.
        "measure_code,period_end,value\r\nNUM,2024-06-30,0 123\r\n",
    ],
)
def test_a_leading_group_of_zero_is_never_read_as_thousands(admin_user, measures, content):
    report = _outcome(admin_user, content.encode())
    assert not isinstance(report, str), report
    (row,) = report.rows
    # Now: new, 123 / -500 / 1 / 123 (1000 times the figure meant, or a millionth of it).
    assert row.outcome == "error", (row.outcome, row.new_value)


def test_an_excel_for_mac_csv_is_not_stored_with_its_accents_garbled(admin_user, measures):
    """Excel for Mac's "Comma Separated Values (.csv)" is Mac Roman with CR line ends. Read as
    Windows-1252 (which the preview says it read), a note's ’ becomes Õ, – becomes Ð and é
    becomes Ž, and that is what the confirm stores. Refused, or read right: never garbled."""
    note = "Trust’s figure – provisional; café data"
    data = f"measure_code,period_end,value,note\rCNT,2024-06-30,5,{note}\r".encode("mac_roman")
    report = _outcome(admin_user, data)
    assert isinstance(report, str), "read, garbled"
    assert "Excel for Mac" in report and "CSV UTF-8" in report


def test_the_financial_year_1999_00_is_a_financial_year(admin_user, measures):
    """'1999/00 Q1' is April-June 1999 (Fingertips' own reader, _later_year, rolls the
    century over); the import says "a financial year runs from one year to the next"."""
    report = _outcome(admin_user, b"measure_code,period,value\r\nCNT,1999/00 Q4,5\r\n")
    (row,) = report.rows
    assert (row.outcome, row.messages) == ("new", [])
    assert row.new_value == Decimal(5)


def test_a_tab_separated_file_is_refused_saying_what_is_wrong(admin_user, measures):
    """Excel's "Text (Tab delimited)" (or a BI tool's TSV): refused, but the message says
    the header is missing measure_code while quoting a header that has it."""
    message = _outcome(
        admin_user, "measure_code\tperiod_end\tvalue\r\nCNT\t2024-06-30\t5\r\n".encode("cp1252")
    )
    assert isinstance(message, str)
    assert "tab" in message.lower() or "separat" in message.lower(), message


def _quarter_ends(first_year: int, last_year: int):
    for year in range(first_year, last_year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            yield dt.date(year, month, day)


def test_a_restatement_after_the_first_200_rows_is_shown_in_the_preview(admin_user, measures):
    """A quarter's file often carries history first: 250 new figures, then one row that
    restates a figure the board has seen. The preview lists the first 200 rows without
    errors, so it says "1 row would change a figure already reported" and offers the tick,
    but never shows which figure, from what to what: the tick confirms a restatement the
    preview did not show (README: "The tick confirms the restatements the preview showed")."""
    from measures.models import MeasureValue

    MeasureValue.objects.create(
        measure=measures["PCT"], period_end=dt.date(2024, 6, 30), value=Decimal(50)
    )
    lines = ["measure_code,period_end,value"]
    lines += [f"CNT,{end},{i}" for i, end in enumerate(_quarter_ends(1991, 2024))]
    lines += [f"NUM,{end},{i}" for i, end in enumerate(_quarter_ends(1991, 2019))]
    lines.append("PCT,2024-06-30,60")
    report = _outcome(admin_user, ("\r\n".join(lines) + "\r\n").encode())
    assert report.restated == 1 and not report.has_errors  # the tick is offered
    shown = [row for row in report.rows if row.outcome == "update"]
    # Now: [] — the 200 rows listed are all "new".
    assert [(row.measure_code, row.old_value, row.new_value) for row in shown] == [
        ("PCT", Decimal(50), Decimal(60))
    ]
