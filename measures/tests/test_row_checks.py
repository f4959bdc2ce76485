"""Checking an import's rows (measures/parsing.py, measures/importing.py): the common cell is
read without the work an unusual one needs, and reads the same as it would with that work; and
in a file separated by semicolons, a number that reads two ways is refused, not guessed."""

import datetime as dt
import re
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures import importing, parsing
from measures.csv_files import CsvRow
from measures.importing import Figure, MeasureRules, check_row
from measures.parsing import ParseError, parse_number

PLAIN = st.from_regex(r"-?[0-9]{1,12}(\.[0-9]{1,6})?", fullmatch=True)
RULES = {"CNT": MeasureRules(id=7, unit="count", baseline_period=None, low=None, high=None)}
TODAY = dt.date(2026, 12, 1)


@given(PLAIN)
def test_a_plain_number_reads_as_the_same_number_written_with_spaces_or_separators(text):
    read = parse_number(text, allow_percent=False)
    assert read == Decimal(text)
    assert read.as_tuple() == Decimal(text).as_tuple()  # its decimal places kept, as written
    assert parse_number(f" {text}\u00a0", allow_percent=False).as_tuple() == read.as_tuple()
    whole, _, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    minus = "\u2212" if text.startswith("-") else ""
    assert parse_number(minus + grouped, allow_percent=True) == read


def test_a_plain_number_is_read_without_being_tidied_first():
    refusing = mock.Mock(**{"match.side_effect": AssertionError("tidied")})
    with mock.patch.object(parsing, "_NUMBER", refusing):
        assert parse_number("1234.50", allow_percent=False) == Decimal("1234.50")
        assert parse_number("-7", allow_percent=False) == Decimal("-7")
        with pytest.raises(AssertionError, match="tidied"):
            parse_number("1,234", allow_percent=False)


@pytest.mark.parametrize(
    "text,message",
    [
        ("1.23456", "1.23456 has more than 4 decimal places"),
        ("1.00000", "1.00000 has more than 4 decimal places"),
        ("12345678901", "is too large"),
        ("-10000000000", "is too large"),
    ],
)
def test_a_value_beyond_what_is_stored_is_refused(text, message):
    checked = check_row(
        CsvRow(2, {"measure_code": "CNT", "period_end": "2024-06-30", "value": text}),
        RULES,
        {},
        TODAY,
    )
    assert any(message in m for m in checked), checked


@pytest.mark.parametrize("text", ["1.2345", "100000", "9999999999", "-9999999999.9999"])
def test_a_value_within_what_is_stored_is_kept(text):
    checked = check_row(
        CsvRow(2, {"measure_code": "CNT", "period_end": "2024-06-30", "value": text}),
        RULES,
        {},
        TODAY,
    )
    assert checked == Figure(7, dt.date(2024, 6, 30), Decimal(text), {})


def test_the_text_cells_a_row_leaves_empty_are_not_read_and_leave_what_is_stored():
    refusing = mock.Mock(side_effect=AssertionError("an empty cell was read"))
    row = {
        "measure_code": "CNT",
        "period_end": "2024-06-30",
        "period": "",
        "value": "5",
        "note": "",
    }
    with (
        mock.patch.object(importing, "unneutralise", refusing),
        mock.patch.object(importing, "period_wording", refusing),
    ):
        assert check_row(CsvRow(2, row), RULES, {}, TODAY).texts == {}


def test_the_text_cells_a_row_fills_are_kept_as_they_would_be_stored():
    row = {
        "measure_code": "CNT",
        "period": "2024/25  Q1",
        "value": "5",
        "note": "'=a formula, neutralised on export",
        "source": "",
    }
    figure = check_row(CsvRow(2, row), RULES, {}, TODAY)
    assert figure.texts == {
        "period_text": "2024/25 Q1",
        "note": "=a formula, neutralised on export",
    }


@pytest.mark.parametrize(
    "text,message",
    [
        ("2,500", "“2,500” could mean 2500 or 2.5: in a file separated by semicolons"),
        ("2.500", "“2.500” could mean 2500 or 2.5:"),
        ("12.345", "could mean 12345 or 12.345:"),
        ("12.345", "Write 12345 or 12.3450 (a fourth decimal place, so it is not thousands)."),
        ("2.500", "thousands. Write 2500 or 2.5."),
        ("\u0662.\u0665\u0660\u0660", "could mean 2500 or 2.5:"),  # Arabic-Indic digits
        ("\u0662,\u0665\u0660\u0660", "could mean 2500 or 2.5:"),
        ("\uff12.\uff15\uff10\uff10", "could mean 2500 or 2.5:"),  # full-width digits
        ("\u0667\u0667,\u0665", "has a decimal comma: write 77.5, with a point."),
        ("-2,000", "could mean -2000 or -2:"),
        ("+2,500", "could mean +2500 or +2.5:"),
        ("12,500%", "could mean 12500% or 12.5%:"),
        ("77,5", "“77,5” has a decimal comma: write 77.5, with a point."),
        ("0,500", "has a decimal comma: write 0.500, with a point."),
        ("1.234,5", "has a decimal comma: write 1234.5, with a point."),
        ("12,5%", "has a decimal comma: write 12.5%, with a point."),
        ("1,23", "has a decimal comma: write 1.23, with a point."),
        ("1" * 60 + ",5", "has a decimal comma: write " + "1" * 39 + "…, with a point."),
    ],
)
def test_in_a_file_separated_by_semicolons_a_number_that_reads_two_ways_is_refused(text, message):
    with pytest.raises(parsing.ParseError, match=re.escape(message)):
        parse_number(text, allow_percent=True, comma_may_be_decimal=True)


@pytest.mark.parametrize(
    "text,read",
    [
        ("1,234.5", "1234.5"),
        ("1,234,567", "1234567"),
        ("2500", "2500"),
        ("0.125", "0.125"),
        ("2.5", "2.5"),
    ],
)
def test_in_a_file_separated_by_semicolons_a_number_that_reads_one_way_is_read(text, read):
    assert parse_number(text, allow_percent=False, comma_may_be_decimal=True) == Decimal(read)


@pytest.mark.parametrize("text,read", [("2,500", "2500"), ("2.500", "2.500"), ("77.5", "77.5")])
def test_in_a_file_separated_by_commas_a_separator_reads_as_it_always_has(text, read):
    assert parse_number(text, allow_percent=False).as_tuple() == Decimal(read).as_tuple()


@pytest.mark.parametrize("text", ["2,500", "2.500", "12.345", "-1.125", "+2,000", "12,500%"])
def test_each_writing_an_ambiguous_number_is_told_to_use_is_read_as_meant(text):
    """The message names the number each way it could be meant, written so that it reads
    only that way in the same file."""
    with pytest.raises(ParseError) as refused:
        parse_number(text, allow_percent=True, comma_may_be_decimal=True)
    message = str(refused.value)
    meant = re.search(r"could mean (\S+) or (\S+):", message).groups()
    written = re.search(r"Write (\S+) or ([^ (]+?)\.?(?: \(|$)", message).groups()
    for number, suggestion in zip(meant, written, strict=True):
        read = parse_number(suggestion, allow_percent=True, comma_may_be_decimal=True)
        assert read == Decimal(number.rstrip("%"))


@pytest.mark.parametrize(
    "text",
    [
        "\u0662\u0660\u0662\u0664-\u0660\u0666-\u0663\u0660",  # Arabic-Indic digits
        "\uff12\uff10\uff12\uff14-\uff10\uff16-\uff13\uff10",  # full-width digits
        "2024\u201306\u201330",  # en dashes, as a word processor types them
    ],
)
def test_a_date_in_other_scripts_digits_or_dashes_reads_as_numbers_in_them_do(text):
    assert parse_number("\u0663\u0660", allow_percent=False) == Decimal(30)
    assert parsing.parse_iso_date(text) == dt.date(2024, 6, 30)


def test_a_date_that_is_not_one_is_quoted_as_it_was_typed():
    with pytest.raises(
        ParseError, match="“\uff12\uff10\uff12\uff14-\uff11\uff13-\uff10\uff11” is not a real"
    ):
        parsing.parse_iso_date("\uff12\uff10\uff12\uff14-\uff11\uff13-\uff10\uff11")
    with pytest.raises(ParseError, match="“2024/06/30” is not a date in the form YYYY-MM-DD"):
        parsing.parse_iso_date("2024/06/30")


@pytest.mark.parametrize(
    "text,read",
    [("1 000", "1000"), ("1\u00a0234 567.5", "1234567.5"), ("12 %", "12"), ("-2 500", "-2500")],
)
def test_spaces_between_thousands_and_before_a_percent_sign_are_read(text, read):
    assert parse_number(text, allow_percent=True) == Decimal(read)


def test_a_decimal_comma_after_spaced_thousands_is_named_as_such():
    with pytest.raises(ParseError, match="decimal comma"):
        parse_number("1 234,5", allow_percent=False, comma_may_be_decimal=True)


@pytest.mark.parametrize("text", ["1 5", "12 34.5", "1.2 3", "1,23 4", "- 5", "1 0000"])
def test_a_space_anywhere_else_in_a_number_is_refused_not_closed_up(text):
    with pytest.raises(ParseError, match="has a space inside the number"):
        parse_number(text, allow_percent=True)


@pytest.mark.parametrize("text", ["0000/01 Q1", "0000/0001 Q3", "٠٠٠٠/٠١ Q2"])
def test_a_financial_quarter_in_year_zero_is_not_a_real_quarter(text):
    with pytest.raises(ParseError, match="is not a real financial quarter"):
        parsing.parse_financial_quarter(text)


@pytest.mark.parametrize("text", ["£1,234.00", "$12", "€5.5"])
def test_a_figure_with_a_currency_sign_says_to_type_it_without(text):
    """Excel writes a currency cell as "£1,234.00": refused as "not a number" without
    saying why (found by a bad-input pass)."""
    advice = re.escape(f"type it without the {text[0]}, as {text[1:]}.")
    with pytest.raises(ParseError, match=advice):
        parse_number(text, allow_percent=False)
