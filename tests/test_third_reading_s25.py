"""Found by a third reading of the twenty-fifth session's change: a year named by one number
after FY, a month typed into a workbook's Due date."""

import datetime as dt
import io

import openpyxl
import pytest

from editor.workbook_files import read_strategy_file, write_workbook
from measures.csv_files import CsvRow
from measures.importing import Figure, MeasureRules, check_row

TODAY = dt.date(2026, 12, 2)
RULES = {"SMK": MeasureRules(id=7, unit="%", baseline_period=None, low=0, high=100)}


@pytest.mark.parametrize("period", ["FY2024", "FY 2024", "fy2024"])
def test_a_financial_year_named_by_one_year_is_not_filed_as_that_calendar_year(period):
    """ "FY2024" names a financial year (April to March), never January to December; the
    period column files it at 2024-12-31, which is 2024/25 Q3's end, and every page then
    plots a year's figure nine months off (or three months early) whichever year was meant."""
    checked = check_row(
        CsvRow(2, {"measure_code": "SMK", "period": period, "value": "14.6"}), RULES, {}, TODAY
    )
    assert not (isinstance(checked, Figure) and checked.period_end == dt.date(2024, 12, 31)), (
        f"{period} filed as calendar year 2024 (ends 2024-12-31)"
    )


def _workbook_with_due_cell(value, number_format) -> bytes:
    rows = [
        {"level": "priority", "number": "1", "title": "Start well"},
        {"level": "objective", "number": "1.1", "title": "Fewer smokers"},
        {"level": "milestone", "parent": "1.1", "title": "Tobacco needs assessment"},
    ]
    strategy = {
        "title": "Day one",
        "slug": "day-one",
        "organisation": "Thurrock Council",
        "period_start": dt.date(2024, 4, 1),
        "period_end": dt.date(2027, 3, 31),
    }
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(strategy, rows)))
    items = book["Items"]
    headings = [c.value for c in items[1]]
    cell = items.cell(4, headings.index("Due date") + 1)
    cell.value = value
    cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("number_format", ["mmm-yy", "mmmm yyyy", "mmm yyyy"])
def test_a_month_typed_into_the_due_date_column_is_not_read_as_its_first_day(number_format):
    """Typing "March 2026" into the Due date column, Excel stores 1 March 2026 shown as
    "Mar-26" (format mmm-yy). The README's convention reads a named month as its last day
    (31 March 2026); the workbook reads 1 March silently, the words are lost, and the
    milestone is shown red, overdue, from 2 March."""
    data = _workbook_with_due_cell(dt.datetime(2026, 3, 1), number_format)
    items = read_strategy_file(data, "plan.xlsx", 5_000_000).rows
    milestone = next(r for r in items if r.values.get("level") == "milestone")
    read_silently_as_the_first = (
        milestone.values.get("due_date") == dt.date(2026, 3, 1) and not milestone.problems
    )
    assert not read_silently_as_the_first, milestone
