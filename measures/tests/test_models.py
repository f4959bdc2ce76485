import datetime as dt
from decimal import Decimal

import pytest

from measures.models import Measure, MeasureValue
from tests.factories import make_measure, make_objective, violates

pytestmark = pytest.mark.django_db


def test_a_measure_belongs_to_exactly_one_parent():
    objective = make_objective()
    priority = objective.priority

    assert violates(lambda: Measure.objects.create(code="NONE", name="No parent"))
    assert violates(
        lambda: Measure.objects.create(
            code="BOTH", name="Both", priority=priority, objective=objective
        )
    )
    assert not violates(lambda: Measure.objects.create(code="P", name="P", priority=priority))
    assert not violates(lambda: Measure.objects.create(code="O", name="O", objective=objective))


def test_a_measure_code_is_unique():
    make_measure(code="THK-SMOKING-ADULT")
    assert violates(lambda: make_measure(code="THK-SMOKING-ADULT"))


def test_a_measure_tolerance_cannot_be_negative():
    assert violates(lambda: make_measure(tolerance=Decimal("-0.1")))
    assert not violates(lambda: make_measure(tolerance=Decimal("0")))


def test_a_measure_direction_and_unit_must_be_known_ones():
    assert violates(lambda: make_measure(direction="sideways"))
    assert violates(lambda: make_measure(unit="furlongs"))


def test_one_value_per_measure_and_period():
    measure = make_measure()
    end = dt.date(2024, 6, 30)
    MeasureValue.objects.create(measure=measure, period_end=end, value=Decimal("12.5"))

    assert violates(
        lambda: MeasureValue.objects.create(measure=measure, period_end=end, value=Decimal("13"))
    )
    assert not violates(
        lambda: MeasureValue.objects.create(
            measure=make_measure(), period_end=end, value=Decimal("13")
        )
    )


def test_a_measure_knows_its_strategy_through_either_parent():
    objective = make_objective()
    strategy = objective.priority.strategy

    assert make_measure(objective=objective).strategy == strategy
    assert make_measure(priority=objective.priority).strategy == strategy


def test_changes_to_values_are_kept_in_history():
    value = MeasureValue.objects.create(
        measure=make_measure(), period_end=dt.date(2024, 3, 31), value=Decimal("1")
    )
    value.value = Decimal("2")
    value.save()

    assert [h.value for h in value.history.all()] == [Decimal("2"), Decimal("1")]
