"""The board report writes figures as its pages do: axis labels in millions that name each
gridline, and a measure's figures in "Changed since publication" each in its own unit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from measures.models import TrajectoryPoint
from reporting import structure_changes
from reporting.charts import chart_data, drawing
from reporting.tests.test_board_report_reading import _Spc
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "values",
    [
        [1_234_150.0, 1_234_300.0, 1_234_380.0],  # registered patients, a few hundred apart
        [999_992.0, 1_000_004.0, 1_000_008.0],  # about a million
    ],
)
def test_each_axis_label_in_millions_names_its_own_gridline(values):
    """Ticks 100 apart over a million all read "1.234m": the board sees four gridlines
    labelled the same, and cannot read any point's value off the axis."""
    d = drawing(chart_data(_Spc(values), None), "count")
    labels = [t["label"] for t in d.y_ticks]
    assert len(set(labels)) == len(labels), labels


def _money_measure(**extra):
    strategy = make_strategy(slug="s", published_at=timezone.now() - dt.timedelta(days=1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    return strategy, make_measure(objective, code="M", name="Measure", **extra)


def test_a_unit_changed_with_the_target_names_the_old_target_in_its_old_unit():
    """A measure recast from % to £ in one save: the old target was 70%, not £70."""
    strategy, measure = _money_measure(unit="%", target_value=Decimal(70))
    start = timezone.now()
    measure.unit, measure.target_value = "£", Decimal(1_200_000)
    measure.save()
    [change] = structure_changes.changes_between(strategy, start, timezone.now())
    assert "“£70”" not in change.what, change.what


def test_a_re_planned_trajectory_point_of_a_money_measure_is_written_in_pounds():
    """The README: "a measure's figures written as its pages write them, "£1,200,000" to
    "£1,150,000"". A planned point of the same £ measure still reads “1,200,000”."""
    strategy, measure = _money_measure(unit="£", target_value=Decimal(1_000_000))
    point = TrajectoryPoint.objects.create(
        measure=measure, period_end=dt.date(2025, 3, 31), value=Decimal(1_200_000)
    )
    start = timezone.now()
    point.value = Decimal(1_150_000)
    point.save()
    [change] = structure_changes.changes_between(strategy, start, timezone.now())
    assert "£1,200,000" in change.what and "£1,150,000" in change.what, change.what


def test_a_percentage_target_is_written_as_its_pages_write_it():
    """README: "a measure's figures written as its pages write them". Pages say 70% (with_unit);
    Changed since publication says “70” to “75”."""
    strategy, measure = _money_measure(unit="%", target_value=Decimal(70))
    start = timezone.now()
    measure.target_value = Decimal(75)
    measure.save()
    [change] = structure_changes.changes_between(strategy, start, timezone.now())
    assert "“70%”" in change.what and "“75%”" in change.what, change.what
