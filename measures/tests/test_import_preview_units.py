"""The figures import preview writes each figure with its measure's unit, as the rest of the
app does (strategy_tracker/numbers.py): "2395500" for a sum of money hid that it was pounds."""

import datetime as dt
from decimal import Decimal

import pytest

from measures.models import MeasureValue
from measures.tests.test_import import HEADER, _preview
from tests.factories import make_measure, make_objective

pytestmark = pytest.mark.django_db


def _cells(page: str, line: int) -> list[str]:
    """The figure cells ("Reported", "New") of the preview's row for a line of the file."""
    row = page.split(f'<td class="num">{line}</td>')[1].split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]]


def test_the_preview_writes_each_figure_with_its_measures_unit(signed_in_admin):
    objective = make_objective()
    money = make_measure(objective, code="SPEND", unit="£")
    make_measure(objective, code="WAIT", unit="days")
    make_measure(objective, code="PCT", unit="%")
    make_measure(objective, code="CNT", unit="count")
    MeasureValue.objects.create(
        measure=money, period_end=dt.date(2024, 3, 31), value=Decimal(2000000)
    )
    page = _preview(
        signed_in_admin,
        HEADER
        + "SPEND,2024-03-31,2395500,,\r\n"  # restates £2,000,000
        + "spend,2024-06-30,1234567,,\r\n"  # a code in lower case is the same measure
        + "WAIT,2024-06-30,12.5,,\r\n"
        + "PCT,2024-06-30,8.4,,\r\n"
        + "CNT,2024-06-30,1182,,\r\n",
    ).content.decode()
    assert _cells(page, 2) == ["£2,000,000", "£2,395,500"]
    assert _cells(page, 3) == ["", "£1,234,567"]  # nothing reported yet: an empty cell
    assert _cells(page, 4) == ["", "12.5 days"]
    assert _cells(page, 5) == ["", "8.4%"]
    assert _cells(page, 6) == ["", "1,182"]  # a count, bare as everywhere


def test_a_row_of_an_unknown_measure_shows_no_unit(signed_in_admin, measures):
    page = _preview(
        signed_in_admin, HEADER + "PCT,2024-06-30,92.5,,\r\nNOPE,2024-06-30,5,,\r\n"
    ).content.decode()
    assert "Unknown measure code" in page
    assert _cells(page, 2) == ["", "92.5%"]
    assert _cells(page, 3) == ["", ""]  # an error row has no figure to show


def test_the_units_are_read_once_per_measure_not_per_row(signed_in_admin):
    objective = make_objective()
    make_measure(objective, code="SPEND", unit="£")
    rows = "".join(f"SPEND,{2000 + year}-03-31,{year}.5,,\r\n" for year in range(1, 21))
    page = _preview(signed_in_admin, HEADER + rows)
    assert page.context["report"].units == {"SPEND": "£"}
    assert "£1.5" in page.content.decode()
