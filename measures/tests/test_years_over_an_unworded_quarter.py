"""A quarterly figure stored by its period end alone (as the template's period_end column,
and every export before today, give them) is still a quarter's: a file giving years pooled
("2022-24") or a year ("2024") ending the same day must not pass as a change of its wording."""

import datetime as dt

import pytest

from measures.models import MeasureValue
from measures.tests.test_a_year_and_its_last_quarter import _import, _suicides, _value

pytestmark = pytest.mark.django_db

QUARTERS = [
    (dt.date(2024, 6, 30), "2.1"),
    (dt.date(2024, 9, 30), "2.3"),
    (dt.date(2024, 12, 31), "2.5"),  # 2024/25 Q3, imported by its period_end alone
    (dt.date(2025, 3, 31), "2.4"),
]


@pytest.mark.parametrize("imported", ["2022-24", "2024"])
def test_years_over_an_unworded_quarter_are_refused(client, admin_user, imported):
    _, measure = _suicides()
    for end, value in QUARTERS:
        _value(measure, end, "", value)
    client.force_login(admin_user)

    preview, _ = _import(client, f"measure_code,period,value\nSUI,{imported},2.5\n")

    stored = MeasureValue.objects.get(measure=measure, period_end=dt.date(2024, 12, 31))
    assert stored.period_text == "", f"the quarter's figure is now {stored.period_text}'s"
    assert "another period ending that day" in preview, preview[preview.find("Preview") :][:600]
    assert "A quarterly figure, given by its period end alone, is stored" in preview


def test_a_years_wording_for_a_measures_only_figure_is_a_change_of_its_wording(client, admin_user):
    """A lone figure makes no series: its period end says nothing of its type, so a file
    naming it as the year it ends is its wording, as before."""
    _, measure = _suicides()
    _value(measure, dt.date(2024, 12, 31), "", "2.5")
    client.force_login(admin_user)

    preview, _ = _import(client, "measure_code,period,value\nSUI,2024,2.5\n")

    assert "another period ending that day" not in preview


def test_a_quarter_over_an_unworded_years_figure_names_it_an_annual_one(client, admin_user):
    _, measure = _suicides()
    for year, value in ((2023, "2.1"), (2024, "2.3"), (2025, "2.5")):
        _value(measure, dt.date(year, 3, 31), "", value)
    client.force_login(admin_user)

    preview, _ = _import(client, "measure_code,period,value\nSUI,2024/25 Q4,2.5\n")

    assert "An annual figure, given by its period end alone, is stored" in preview, preview[
        preview.find("Preview") :
    ][:600]
