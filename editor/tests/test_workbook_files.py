"""Reading and writing strategy workbooks and CSV files: values come back as written, and
every file or cell that cannot be read is refused or reported in plain words."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.formula import ArrayFormula

from editor.columns import ITEM_COLUMNS, STRATEGY_COLUMNS
from editor.workbook_files import (
    WorkbookError,
    read_strategy_file,
    write_csv,
    write_workbook,
)
from tests.examples import examples

MB = 1_000_000
STRATEGY = {
    "title": "Living well",
    "slug": "living-well",
    "organisation": "Essex Partnership University NHS Foundation Trust",
    "period_start": dt.date(2023, 4, 1),
    "period_end": dt.date(2028, 3, 31),
    "illustrative": False,
}
STRATEGY_ROWS = [
    ["Field", "Value"],
    ["Title", "Living well"],
    ["Short name in addresses", "living-well"],
    ["Organisation", "EPUT"],
    ["Period start", dt.datetime(2023, 4, 1)],
    ["Period end", "31/03/2028"],
]
HEADER = ["Level", "Number", "Parent", "Title", "Due date", "Baseline", "Unit"]


def book(items, strategy=STRATEGY_ROWS, header=HEADER):
    """An openpyxl workbook laid out as the template: Strategy, then Items."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Strategy"
    for row in strategy:
        sheet.append(row)
    sheet = workbook.create_sheet("Items")
    sheet.append(header)
    for row in items:
        sheet.append(row)
    return workbook


def saved(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(data, name="plan.xlsx", max_bytes=10 * MB, **kwargs):
    if not isinstance(data, bytes):
        data = saved(data)
    return read_strategy_file(data, name, max_bytes, **kwargs)


def refusal(data, name="plan.xlsx", **kwargs) -> str:
    with pytest.raises(WorkbookError) as error:
        read(data, name, **kwargs)
    return str(error.value)


def only_row(workbook):
    (row,) = read(workbook).rows
    return row


def filled(**values):
    return {
        c.key: values.get(c.key, "" if c.kind in ("text", "choice") else None) for c in ITEM_COLUMNS
    }


# Round trips

MEASURE = {
    "level": "measure",
    "parent": "2.1",
    "code": "EPUT-SO2-VACANCY",
    "title": "=SUM(A1:A3)",
    "description": "+44 1234\n- first line\n- second line",
    "definition": "@risk; 'quoted'",
    "kind": "success",
    "unit": "rate per 1,000",
    "direction": "lower",
    "baseline_value": Decimal("0.1"),
    "baseline_period": dt.date(2020, 3, 31),
    "baseline_period_text": "2019/20",
    "target_value": Decimal("1E+2"),
    "target_date": dt.date(2025, 3, 31),
    "tolerance": Decimal("12.3456"),
    "minimum_value": Decimal("23.2000"),
    "maximum_value": Decimal("1234567890.123456789"),
    "spc_baseline_points": 12,
    "spc_rebase_from": dt.date(1899, 12, 31),
    "trajectory": "2025-03-31=60; 2026-03-31=65",
}


def test_a_workbook_gives_back_what_was_written():
    rows = [filled(level="priority", number="2", title="Care"), filled(**MEASURE)]
    result = read(write_workbook({**STRATEGY, "aims": "-x"}, rows))
    assert result.file_kind == "xlsx"
    assert result.strategy == {**filled_strategy(), **STRATEGY, "aims": "-x"}
    assert result.strategy_problems == []
    assert [r.values for r in result.rows] == rows
    assert [(r.sheet, r.row, r.problems) for r in result.rows] == [
        ("Items", 2, []),
        ("Items", 3, []),
    ]
    measure = result.rows[1].values
    assert str(measure["target_value"]) == "100"
    assert str(measure["minimum_value"]) == "23.2"


def test_a_csv_file_gives_back_what_was_written():
    rows = [filled(level="priority", number="2", title="Care"), filled(**MEASURE)]
    result = read(write_csv(rows), "items.csv")
    assert (result.file_kind, result.strategy, result.strategy_problems) == ("csv", None, [])
    assert [r.values for r in result.rows] == rows
    assert [(r.sheet, r.row, r.problems) for r in result.rows] == [
        ("Items", 2, []),
        ("Items", 3, []),
    ]
    assert str(result.rows[1].values["target_value"]) == "100"


def test_text_that_looks_like_a_formula_is_written_as_text():
    data = write_workbook(STRATEGY, [filled(level="measure", title="=SUM(A1:A3)")])
    cell = openpyxl.load_workbook(io.BytesIO(data))["Items"]["E2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=SUM(A1:A3)", "s", True)
    csv_text = write_csv([filled(level="measure", title="=cmd|' /C calc'!A0")]).decode("utf-8-sig")
    assert "\r\nmeasure,,,,'=cmd|' /C calc'!A0," in csv_text


def test_a_csv_file_is_utf8_with_a_bom_and_iso_dates():
    data = write_csv([filled(level="milestone", title="Café", due_date=dt.date(2025, 3, 31))])
    assert data.startswith(b"\xef\xbb\xbfLevel,Number,Parent,Measure code,Title,")
    assert "milestone,,,,Café,,,,,,,2025-03-31," in data.decode("utf-8-sig")


def filled_strategy():
    return {c.key: None if c.kind in ("date", "bool") else "" for c in STRATEGY_COLUMNS}


# No control characters but newlines and tabs, and no surrounding spaces: the reader strips
# them, as it turns CRLF into LF.
texts = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters="\n\t"), max_size=30
).map(str.strip)


def cell_values(column):
    if column.kind == "date":
        return st.none() | st.dates(dt.date(1800, 1, 1), dt.date(2200, 12, 31))
    if column.kind == "decimal":
        return st.none() | st.decimals(-(10**12), 10**12, places=6, allow_nan=False)
    if column.kind == "integer":
        return st.none() | st.integers(0, 10**18)
    if column.kind == "bool":
        return st.none() | st.booleans()
    if column.kind == "choice":
        return st.just("") | st.sampled_from(column.choices)
    return texts


def rows_of(columns):
    return st.fixed_dictionaries({c.key: cell_values(c) for c in columns})


def item_rows():
    # Every row has a level and a title, so no row is blank and none lacks either.
    return (
        rows_of(ITEM_COLUMNS)
        .map(lambda r: {**r, "level": r["level"] or "measure"})
        .filter(lambda r: r["title"])
    )


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategy=rows_of(STRATEGY_COLUMNS), rows=st.lists(item_rows(), max_size=3))
def test_any_values_survive_a_workbook(strategy, rows):
    result = read(write_workbook(strategy, rows))
    assert result.strategy == strategy
    assert [r.values for r in result.rows] == rows
    assert all(r.problems == [] for r in result.rows)
    assert all(_no_exponent(v) for r in result.rows for v in r.values.values())


@settings(max_examples=examples(40), deadline=None)
@given(rows=st.lists(item_rows(), min_size=1, max_size=3))
def test_any_values_survive_a_csv_file(rows):
    result = read(write_csv(rows), "items.csv")
    assert [r.values for r in result.rows] == rows
    assert all(r.problems == [] for r in result.rows)
    assert all(_no_exponent(v) for r in result.rows for v in r.values.values())


def _no_exponent(value):
    return not isinstance(value, Decimal) or "E" not in str(value)


def test_the_empty_template_has_no_items_and_asks_for_the_strategy():
    result = read(write_workbook({}, []))
    assert result.rows == []
    assert result.strategy == filled_strategy()
    assert result.strategy_problems == [
        'Sheet "Strategy", row 2 (Title): is empty; every strategy needs one',
        'Sheet "Strategy", row 3 (Short name in addresses): is empty; every strategy needs one',
        'Sheet "Strategy", row 4 (Organisation): is empty; every strategy needs one',
        'Sheet "Strategy", row 6 (Period start): is empty; every strategy needs one',
        'Sheet "Strategy", row 7 (Period end): is empty; every strategy needs one',
    ]


def test_the_template_explains_each_column_and_offers_lists():
    workbook = openpyxl.load_workbook(io.BytesIO(write_workbook({}, [])))
    assert workbook.sheetnames == ["Strategy", "Items", "Read me"]
    items = workbook["Items"]
    assert [c.value for c in items[1]] == [c.heading for c in ITEM_COLUMNS]
    assert items["A1"].font.b and items.freeze_panes == "A2"
    read_me = [[c.value for c in row] for row in workbook["Read me"].iter_rows(max_col=5)]
    assert ["Items", "Due date", "milestone", "A date: 31/03/2025", None] in read_me
    assert ["Items", "Level", "every row", "Required. priority, objective, milestone or measure",
            "priority, objective, milestone, measure"] in read_me  # fmt: skip
    lists = {str(v.sqref): v.formula1 for v in items.data_validations.dataValidation}
    assert lists["A2:A1048576"] == "'Read me'!$H$5:$H$8"
    assert [workbook["Read me"].cell(r, 8).value for r in range(4, 9)] == [
        "Level", "priority", "objective", "milestone", "measure"
    ]  # fmt: skip


def test_a_workbook_without_a_strategy_sheet_gives_items_alone():
    workbook = book([["priority", "1", "", "Care"]])
    del workbook["Strategy"]
    result = read(workbook)
    assert (result.strategy, result.strategy_problems, len(result.rows)) == (None, [], 1)


def test_the_content_decides_not_the_name():
    assert read(book([["priority", "1", "", "Care"]]), "plan.ods").file_kind == "xlsx"
    assert (
        read(write_csv([filled(level="priority", title="x")]), "plan.xlsx.txt").file_kind == "csv"
    )


# Whole files refused


def test_it_refuses_a_file_over_the_limit():
    data = b"Level,Title\n" + b"priority,x\n" * 200_000
    assert refusal(data, "big.csv", max_bytes=2 * MB) == (
        "The file is 2.2 MB; the limit is 2 MB. Split it into smaller files."
    )


def test_it_refuses_an_empty_file():
    assert refusal(b"", "plan.xlsx") == "The file is empty."
    assert refusal(b"\xef\xbb\xbf\r\n", "plan.csv") == "The file is empty."


def test_it_refuses_an_old_excel_workbook():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "Workbook".encode("utf-16-le")
    assert refusal(data, "plan.xls") == (
        "This is an old Excel workbook (.xls). Open it in Excel and save it as an Excel "
        "Workbook (.xlsx)."
    )


def test_it_refuses_a_password_protected_workbook():
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le")
    )
    assert refusal(data, "plan.xlsx") == (
        "This workbook is protected by a password, so it cannot be read. Open it in Excel, "
        "remove the password (File › Info › Protect Workbook › Encrypt with Password) and "
        "save it as an Excel Workbook (.xlsx)."
    )


DAMAGED = (
    '"plan.xlsx" could not be read as an Excel workbook (.xlsx): it may be damaged. Open it '
    "in Excel and save it again as an Excel Workbook (.xlsx)."
)


def test_it_refuses_a_damaged_workbook():
    whole = saved(book([["priority", "1", "", "Care"]]))
    assert refusal(whole[: len(whole) // 2]) == DAMAGED  # cut short: no zip directory
    assert refusal(b"PK\x03\x04" + b"\x17" * 500) == DAMAGED


def test_it_refuses_a_workbook_whose_parts_openpyxl_cannot_read():
    out = io.BytesIO()
    with zipfile.ZipFile(whole := io.BytesIO(saved(book([])))) as source:
        with zipfile.ZipFile(out, "w") as broken:
            for name in source.namelist():
                text = source.read(name)
                broken.writestr(name, b"<not xml" if name == "xl/workbook.xml" else text)
    assert whole and refusal(out.getvalue()) == DAMAGED


def test_it_refuses_text_named_as_a_workbook():
    assert refusal(b"Level,Title\npriority,Care\n", "plan.xlsx") == DAMAGED


def test_it_refuses_an_opendocument_spreadsheet():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert refusal(out.getvalue(), "plan.ods") == (
        "This is an OpenDocument spreadsheet (.ods). Open it and save it as an Excel "
        "Workbook (.xlsx)."
    )


def test_it_refuses_a_workbook_that_unpacks_to_too_much():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 21 * MB)
    assert len(out.getvalue()) < MB
    assert refusal(out.getvalue(), max_bytes=MB) == (
        "The workbook unpacks to 21 MB, more than the 20 MB a workbook may hold. Delete what "
        "the import does not need (pictures, other sheets, formatting of empty cells) and "
        "upload it again."
    )


def test_it_refuses_a_workbook_with_another_sheet():
    workbook = book([["priority", "1", "", "Care"]])
    workbook.create_sheet("Sheet2")["A1"] = "forgotten"
    workbook.create_sheet("Read me")
    assert refusal(workbook) == (
        'The workbook has a sheet "Sheet2" that is not read: move its rows to "Items" or '
        "delete the sheet."
    )


def test_it_refuses_a_workbook_without_an_items_sheet():
    workbook = book([])
    workbook["Items"].title = "Sheet1"
    assert refusal(workbook) == (
        'The workbook has no sheet called “Items” (its sheets are "Strategy", "Sheet1"). The '
        "items must be on a sheet called “Items”, as in the template: rename the sheet, or "
        "copy the rows into the template."
    )


def test_it_refuses_unknown_headings():
    assert refusal(book([], header=["Level", "Title", "Foo"])) == (
        'Sheet "Items", row 1: column "Foo" is not one the import reads. Rename it to a '
        "heading from the template, or delete the column."
    )
    assert refusal(book([], header=["Level", "Title", "Foo", "Bar"])) == (
        'Sheet "Items", row 1: columns "Foo", "Bar" are not ones the import reads. Rename each '
        "to a heading from the template, or delete it."
    )


def test_it_refuses_missing_headings():
    assert refusal(book([], header=["Number", "Parent"])) == (
        'Sheet "Items", row 1: there is no column "Level" or "Title", and every file needs '
        "them. Download the template to see the columns."
    )
    assert refusal(write_csv([]).replace(b"Title,", b""), "items.csv") == (
        'Row 1: there is no column "Title", and every file needs one. Download the template '
        "to see the columns."
    )


def test_it_refuses_a_heading_given_twice():
    assert refusal(book([], header=["Level", "Title", "level"])) == (
        'Sheet "Items", row 1: the heading "Level" is in columns A and C; keep one of them.'
    )


def test_it_refuses_an_empty_or_merged_header_row():
    workbook = book([["priority", "1", "", "Care"]])
    workbook["Items"].delete_rows(1)
    workbook["Items"].insert_rows(1)
    assert refusal(workbook) == (
        'Sheet "Items", row 1 is empty: the column headings must be in row 1, as in the template.'
    )
    workbook = book([])
    workbook["Items"].merge_cells("A1:B1")
    assert refusal(workbook) == (
        'Sheet "Items", row 1: cells A1:B1 are merged; unmerge them and give each column its '
        "own heading."
    )


def test_it_refuses_more_rows_than_the_limit():
    workbook = book([["measure", "", "", f"M{i}"] for i in range(6)])
    assert len(read(workbook, max_rows=6).rows) == 6
    assert refusal(workbook, max_rows=5) == (
        'Sheet "Items" has 6 rows of items; the limit is 5. Split it into smaller files.'
    )


def test_it_refuses_a_hidden_column_with_values():
    workbook = book([["measure", "", "", "Vacancies", "", "", "%"]])
    workbook["Items"].column_dimensions["G"].hidden = True
    assert refusal(workbook) == (
        'Sheet "Items": column G (Unit) is hidden but has values in it; unhide it (or delete '
        "it) so what is imported is what you can see."
    )


def test_a_hidden_column_without_values_is_read():
    workbook = book([["measure", "", "", "Vacancies"]])
    workbook["Items"].column_dimensions["G"].hidden = True
    assert only_row(workbook).problems == []


# Problems in rows


def test_a_hidden_row_is_a_problem_and_a_blank_one_is_skipped():
    workbook = book([["priority", "1", "", "Care"], [], ["priority", "2", "", "Hidden"]])
    workbook["Items"].row_dimensions[3].hidden = True
    workbook["Items"].row_dimensions[4].hidden = True
    rows = read(workbook).rows
    assert [(r.row, r.problems) for r in rows] == [
        (2, []),
        (4, ["row is hidden; unhide it (or delete it) so what is imported is what you can see"]),
    ]


def test_merged_cells_are_a_problem_on_each_row_they_cover():
    workbook = book([["objective", "1.1", "1", "Care"], ["objective", "1.2", "", "More care"]])
    workbook["Items"].merge_cells("C2:C3")
    problem = "cells C2:C3 are merged; unmerge them and give each cell its own value"
    assert [(r.row, r.problems) for r in read(workbook).rows] == [(2, [problem]), (3, [problem])]


def test_a_formula_is_a_problem():
    workbook = book([["measure", "", "", "Vacancies", "", "=SUM(A1:A3)"]])
    workbook["Items"]["G2"] = ArrayFormula("G2", "=MAX(A1:A3*2)")
    assert only_row(workbook).problems == [
        "Baseline: holds a formula (=SUM(A1:A3)); type the value itself",
        "Unit: holds a formula (=MAX(A1:A3*2)); type the value itself",
    ]


def test_an_error_value_is_a_problem():
    assert only_row(book([["measure", "", "", "Vacancies", "", "#N/A"]])).problems == [
        "Baseline: holds the error #N/A; type the value itself"
    ]


def test_a_value_without_a_heading_is_a_problem():
    row = only_row(book([["priority", "1", "", "Care", "", "", "", "", "stray"]]))
    assert row.problems == [
        "column I has a value but no heading in row 1; give the column a heading or delete the "
        "value"
    ]


def test_an_empty_level_or_title_is_a_problem():
    row = only_row(book([["", "1", "", "", "", "", "%"]]))
    assert row.problems == [
        "Level: is empty; every row needs one",
        "Title: is empty; every row needs one",
    ]


def test_a_date_in_words_is_a_problem_that_names_the_wording_column():
    row = only_row(book([["milestone", "1.1.1", "1.1", "Open", "March 2014"]]))
    assert row.values["due_date"] is None
    assert row.problems == [
        'Due date: "March 2014" is not a date; type it as 31/03/2014 and put the document\'s '
        'wording in "Due (document wording)"'
    ]
    header = ["Level", "Title", "Target date", "Baseline period end"]
    row = only_row(book([["measure", "Vacancies", "March 2014", "2019/20"]], header=header))
    assert row.problems == [
        'Target date: "March 2014" is not a date; type it as 31/03/2014 and put the '
        'document\'s wording in "Target date (document wording)"',
        'Baseline period end: "2019/20" is not a date; type it as 31/03/2014 and put the '
        'document\'s wording in "Baseline period (document wording)"',
    ]


def test_an_impossible_date_is_a_problem():
    row = only_row(book([["milestone", "1.1.1", "1.1", "Open", "31/02/2014"]]))
    assert row.problems == ["Due date: there is no 31 February 2014"]
    row = only_row(book([["milestone", "1.1.1", "1.1", "Open", "2014-13-01"]]))
    assert row.problems == ['Due date: "2014-13-01" is not a date; type it as 31/03/2014']


def test_dates_are_read_from_date_cells_and_from_text():
    header = ["Level", "Title", "Due date", "Target date", "Baseline period end", "SPC rebase from"]
    dates = [dt.datetime(2014, 3, 31), dt.date(2014, 3, 31), "2014-03-31", "31/3/2014"]
    row = only_row(book([["measure", "x", *dates]], header=header))
    assert row.problems == []
    keys = ("due_date", "target_date", "baseline_period", "spc_rebase_from")
    assert [row.values[k] for k in keys] == [dt.date(2014, 3, 31)] * 4


def test_a_date_with_a_time_or_a_serial_number_is_a_problem():
    row = only_row(book([["milestone", "1.1.1", "1.1", "Open", dt.datetime(2014, 3, 31, 14, 30)]]))
    assert row.problems == [
        "Due date: 31/03/2014 14:30 has a time of day; type the date alone: 31/03/2014"
    ]
    row = only_row(book([["milestone", "1.1.1", "1.1", "Open", 41729]]))
    assert row.problems == ["Due date: 41729 is a number, not a date; type the date as 31/03/2014"]


def test_a_huge_number_in_a_date_cell_is_quoted_as_excel_shows_it():
    row = only_row(book([["milestone", "1.1.1", "1.1", "Open", 1e300]]))
    assert row.problems == ["Due date: 1E+300 is a number, not a date; type the date as 31/03/2014"]


def _with_infinity(workbook) -> bytes:
    """The workbook with its cells of 12345 holding 1e999, as Excel can store: openpyxl
    reads it as infinity (and would not write it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved(workbook))) as source, zipfile.ZipFile(out, "w") as to:
        for part in source.infolist():
            data = source.read(part)
            if part.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v>12345</v>", b"<v>1e999</v>")
            to.writestr(part, data)
    return out.getvalue()


@pytest.mark.parametrize("column", ["Title", "Number", "Level", "Due date", "Baseline"])
def test_an_infinite_number_in_any_cell_is_a_problem_of_its_row(column):
    cells = {"Level": "milestone", "Number": "1.1.1", "Parent": "1.1", "Title": "Open"}
    cells[column] = 12345
    (row,) = read(_with_infinity(book([[cells.get(heading) for heading in HEADER]]))).rows
    said = ("too large", '"inf" is not a number')  # a number column said so already
    assert any(words in problem for problem in row.problems for words in said), row.problems


def test_an_infinite_number_on_the_strategy_sheet_is_refused_in_words():
    strategy = [*STRATEGY_ROWS, ["Vision", 12345]]
    problems = read(_with_infinity(book([], strategy=strategy))).strategy_problems
    assert any("Vision" in p and "too large" in p for p in problems), problems


def test_numbers_are_read_from_number_cells_and_from_text():
    header = ["Level", "Title", "Baseline", "Target", "Tolerance", "Minimum", "SPC baseline points"]
    cells = [0.1, "1,234.5", Decimal("23.2000"), "−3", "12"]
    row = only_row(book([["measure", "x", *cells]], header=header))
    assert row.problems == []
    keys = ("baseline_value", "target_value", "tolerance", "minimum_value")
    assert [row.values[k] for k in keys] == [
        Decimal("0.1"), Decimal("1234.5"), Decimal("23.2"), Decimal("-3")
    ]  # fmt: skip
    assert row.values["spc_baseline_points"] == 12


def test_a_number_that_is_not_one_is_a_problem():
    header = ["Level", "Title", "Baseline", "Target", "Tolerance", "Minimum", "SPC baseline points"]
    cells = ["12%", "1,5", "about 3", "1e400", 2.5]
    row = only_row(book([["measure", "x", *cells]], header=header))
    assert row.values["baseline_value"] is None
    assert row.problems == [
        'Baseline: "12%" is not a number; type 12, not 12%',
        'Target: "1,5" is not a number; type it with a full stop before any decimals, as 1234.5',
        'Tolerance: "about 3" is not a number',
        'Minimum: "1e400" is too large a number',
        'SPC baseline points: "2.5" is not a whole number',
    ]


def test_numbers_typed_in_a_text_column_come_back_as_typed():
    header = ["Level", "Number", "Parent", "Title", "Source reference"]
    rows = [["objective", 2.1, 2, "x", 1.2345e16], ["milestone", "2.1.4", 2.0, "y", 0.5]]
    values = [r.values for r in read(book(rows, header=header)).rows]
    assert [(v["number"], v["parent"], v["source_ref"]) for v in values] == [
        ("2.1", "2", "12345000000000000"),
        ("2.1.4", "2", "0.5"),
    ]


def test_a_date_in_a_text_column_is_a_problem():
    header = ["Level", "Title", "Due (document wording)"]
    row = only_row(book([["milestone", "Open", dt.datetime(2014, 3, 1)]], header=header))
    assert row.problems == [
        "Due (document wording): Excel has turned what was typed into a date or time "
        "(01/03/2014); format the column as Text and type it again"
    ]


def test_text_too_long_is_a_problem():
    row = only_row(book([["priority", "1", "", "x" * 10_001]]))
    assert row.values["title"] == ""
    assert row.problems == ["Title: is 10,001 characters long; the most a cell may hold is 10,000"]


def test_text_is_stripped_and_choices_take_the_template_spelling():
    header = ["Level", "Title", "Unit", "Kind", "Direction"]
    row = only_row(
        book([["  Measure ", " Vacancies\n", "RATE PER 1,000", "Success", "Lower"]], header=header)
    )
    assert row.problems == []
    values = [row.values[k] for k in ("level", "title", "unit", "kind", "direction")]
    assert values == ["measure", "Vacancies", "rate per 1,000", "success", "lower"]


def test_an_unknown_choice_is_a_problem_listing_the_allowed_values():
    row = only_row(book([["goal", "1", "", "Care", "", "", "percent"]]))
    assert row.values["level"] == ""
    assert row.problems == [
        'Level: "goal" is not one of "priority", "objective", "milestone" or "measure"',
        'Unit: "percent" is not one of "%", "count", "rate per 1,000", "rate per 10,000", '
        '"rate per 100,000", "days", "£", "score", "ratio" or "number"',
    ]


# The Strategy sheet


def test_strategy_values_are_typed():
    strategy = read(book([], strategy=[*STRATEGY_ROWS, ["illustrative", "Y"]])).strategy
    assert strategy["period_start"] == dt.date(2023, 4, 1)
    assert strategy["period_end"] == dt.date(2028, 3, 31)
    assert strategy["illustrative"] is True


def test_strategy_sheet_problems_name_the_row_and_field():
    rows = [
        ["Field", "Value"],
        ["Title", "Living well"],
        ["Organisation", "EPUT"],
        ["Period start", "April 2023"],
        ["Period end", "31/03/2028", "typed in C"],
        ["Colour", "blue"],
        ["Title", "Living better"],
        ["Illustrative", "maybe"],
        [None, "orphan"],
    ]
    assert read(book([], strategy=rows)).strategy_problems == [
        'Sheet "Strategy", row 4 (Period start): "April 2023" is not a date; type it as 31/03/2014',
        'Sheet "Strategy", row 5 (Period end): column C has a value, but only column B is read',
        'Sheet "Strategy", row 6: "Colour" is not a field the import reads; use the fields in '
        "the template",
        'Sheet "Strategy", row 7 (Title): is given again (first in row 2); keep one',
        'Sheet "Strategy", row 8 (Illustrative): "maybe" is not yes or no',
        'Sheet "Strategy", row 9: has a value but no field name in column A',
        'Sheet "Strategy": there is no row for "Short name in addresses", which every strategy '
        "needs; add one, with its value in column B",
    ]


def test_a_hidden_or_merged_strategy_row_is_a_problem():
    workbook = book([])
    workbook["Strategy"].row_dimensions[2].hidden = True
    workbook["Strategy"].merge_cells("B3:C3")
    assert read(workbook).strategy_problems == [
        'Sheet "Strategy", row 2 (Title): row is hidden; unhide it (or delete it) so what is '
        "imported is what you can see",
        'Sheet "Strategy", row 3 (Short name in addresses): cells B3:C3 are merged; unmerge '
        "them and give each cell its own value",
    ]


# CSV files


def test_a_csv_file_in_windows_1252_with_semicolons_is_read():
    data = "level;TITLE;Unit;Baseline\r\nmeasure;Café £;£;1234,5\r\nmeasure;x;%;1,500\r\n"
    rows = read(data.encode("cp1252"), "items.csv").rows
    assert (rows[0].values["title"], rows[0].values["unit"]) == ("Café £", "£")
    # With ";" between fields, a comma may be a decimal comma: never read as thousands.
    message = (
        'Baseline: "{}" is not a number; type it with a full stop before any decimals, as 1234.5'
    )
    assert [r.problems for r in rows] == [[message.format("1234,5")], [message.format("1,500")]]


def test_a_number_with_a_point_before_three_digits_in_a_semicolon_file_is_refused():
    """2.500 in a file separated by semicolons may be 2500 written with a point for
    thousands: refused, as the figures import refuses it (measures/parsing.py), never read
    as 2.5. With commas between fields, or with other digits, a point marks decimals."""
    data = "level;title;Baseline\r\nmeasure;a;2.500\r\nmeasure;b;-2.500\r\nmeasure;c;2.5\r\n"
    data += "measure;d;0.500\r\nmeasure;e;12.5000\r\n"
    rows = read(data.encode(), "items.csv").rows
    assert rows[0].problems == [
        'Baseline: "2.500" could mean 2500 or 2.5: in a file separated by semicolons a comma '
        "may mark decimals and a point thousands. Write 2500 or 2.5"
    ]
    assert rows[1].problems[0].startswith('Baseline: "-2.500" could mean -2500 or -2.5:')
    assert [r.values["baseline_value"] for r in rows[2:]] == [
        Decimal("2.5"),
        Decimal("0.5"),
        Decimal("12.5"),
    ]
    assert [r.problems for r in rows[2:]] == [[], [], []]
    arabic = "level;title;Baseline\r\nmeasure;a;\u0662.\u0665\u0660\u0660\r\n".encode()
    (other_script,) = read(arabic, "items.csv").rows
    assert "could mean 2500 or 2.5:" in other_script.problems[0]
    (percent,) = read(b"level;title;Baseline\r\nmeasure;a;2.500%\r\n", "items.csv").rows
    assert percent.problems[0].startswith('Baseline: "2.500%" could mean 2500 or 2.5:')
    (comma_file,) = read(b"level,title,Baseline\r\nmeasure,a,2.500\r\n", "items.csv").rows
    assert (comma_file.values["baseline_value"], comma_file.problems) == (Decimal("2.5"), [])


def test_a_minus_sign_as_word_processors_type_it_is_read_as_the_figures_import_reads_it():
    data = "level,title,Baseline,Target\r\nmeasure,a,\u22122.5,\u20133\r\n".encode()
    (row,) = read(data, "items.csv").rows
    assert (row.values["baseline_value"], row.values["target_value"], row.problems) == (
        Decimal("-2.5"),
        Decimal("-3"),
        [],
    )


def test_a_csv_file_in_utf8_with_a_bom_and_keys_as_headings_is_read():
    data = "\ufefflevel,title,due_date\r\n\r\nmilestone,Ünïcode,31/03/2025\r\n".encode()
    (row,) = read(data, "items.csv").rows
    assert (row.row, row.values["title"], row.values["due_date"]) == (
        3,
        "Ünïcode",
        dt.date(2025, 3, 31),
    )


def test_a_csv_field_that_starts_with_an_apostrophe_keeps_it_unless_it_guards_a_formula():
    data = b"Level,Title,Description\r\nmeasure,'=1+1,'quoted\r\nmeasure,''=x,x\r\n"
    rows = read(data, "items.csv").rows
    assert [(r.values["title"], r.values["description"]) for r in rows] == [
        ("=1+1", "'quoted"),
        ("'=x", "x"),
    ]


def test_it_refuses_csv_files_it_cannot_decode():
    assert refusal(b"Level,Title\r\nmeasure,a\x00b\r\n", "items.csv") == (
        "This is not a text file, so it cannot be a CSV file."
    )
    mixed = "Level,Title\r\nmeasure,Café\r\n".encode() + b"measure,caf\xe9\r\n"
    assert refusal(mixed, "items.csv").startswith("This file mixes two encodings: it is UTF-8")


@pytest.mark.parametrize("separator", [",", ";"])
def test_a_file_of_figures_brought_here_is_named_as_one(separator):
    header = separator.join(["measure_code", "period", "period_end", "value", "note", "source"])
    data = (
        f"{header}\r\nEX-1{separator}2022/23 Q1{separator}{separator}38.9{separator}{separator}\r\n"
    )
    assert refusal(data.encode(), "figures.csv") == (
        "This is a file of quarterly figures (measure_code, value): import it under Import "
        "figures (/measures/import/). This page reads a strategy's items."
    )


def test_a_file_whose_headings_are_all_unknown_is_split_at_its_commas():
    problem = refusal(b"colour,size\r\nred,2\r\n", "items.csv")
    assert problem.startswith('Row 1: columns "colour", "size" are not ones the import reads')


def test_it_refuses_a_csv_field_over_the_cell_limit():
    data = b"Level,Title\r\n\r\nmeasure,ok\r\nmeasure," + b"x" * 10_001 + b"\r\n"
    assert refusal(data, "items.csv") == (
        "Row 4 has a value longer than 10,000 characters, the most a cell may hold."
    )


def test_a_csv_row_with_more_values_than_headings_is_a_problem():
    (row,) = read(b"Level,Title\r\nmeasure,x,extra\r\n", "items.csv").rows
    assert row.problems == [
        "column C has a value but no heading in row 1; give the column a heading or delete the "
        "value"
    ]


@pytest.mark.parametrize(
    ("stored", "shown_as", "advice"),
    [(0.75, "0%", "type 75, not 75%"), (0.831, "0.0%", "type 83.1, not 83.1%")],
)
def test_a_percentage_typed_in_excel_is_refused_as_in_a_csv(stored, shown_as, advice):
    """Excel stores 75% typed into a cell as 0.75 shown as a percentage: read as 0.75, a %
    measure's baseline of 75% became 0.75% (found by a bad-input pass)."""
    workbook = book([["measure", "", "1", "Vacancies", "", stored, "%"]], header=HEADER)
    workbook["Items"]["F2"].number_format = shown_as
    row = only_row(workbook)
    assert any(advice in problem for problem in row.problems), row.problems


def test_a_percent_sign_the_format_only_writes_is_read_as_the_number():
    workbook = book([["measure", "", "1", "Vacancies", "", 75, "%"]], header=HEADER)
    workbook["Items"]["F2"].number_format = '0"%"'  # shows 75 as 75%
    row = only_row(workbook)
    assert row.values["baseline_value"] == Decimal("75"), row.problems


def test_a_downloaded_workbooks_text_cells_are_text_when_typed_over():
    """Only the columns were Text: a written cell was General, so 1.10 typed over a Parent
    cell (a measure moved to objective 1.10) was stored as 1.1 and the measure moved to
    objective 1.1 (found by a bad-input pass)."""
    rows = [
        {"level": "priority", "number": "1", "title": "P"},
        {"level": "objective", "number": "1.10", "parent": "1", "title": "O"},
        {"level": "measure", "parent": "1.10", "code": "M-1", "title": "M"},
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(write_workbook({}, rows)))["Items"]
    header = [c.value for c in sheet[1]]
    written = 0
    for column in ("Number", "Parent", "Title"):
        index = header.index(column) + 1
        for row in range(2, 5):
            cell = sheet.cell(row, index)
            if cell.value is not None:
                written += 1
                assert cell.number_format == "@", (cell.coordinate, cell.number_format)
    assert written == 7
