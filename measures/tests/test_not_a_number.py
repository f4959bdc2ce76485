"""A figure or limit that is not a number is refused in words, never a crash."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from measures.models import Measure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["minimum_value", "maximum_value"])
def test_a_limit_that_is_not_a_number_is_refused_not_a_crash(field):
    """A strategy file's "minimum_value": "NaN" reaches the range check as the baseline did."""
    measure = Measure(
        code="X-1", name="X", unit="count", baseline_value=Decimal("5"), **{field: Decimal("NaN")}
    )
    with pytest.raises(ValidationError):
        measure.full_clean(exclude=["priority", "objective"])


def test_a_strategy_file_with_a_minimum_that_is_not_a_number_is_refused_in_words(admin_user):
    from objectives.strategy_json import StrategyImportError, export_strategy, import_strategy
    from tests.factories import make_measure, make_objective, make_priority, make_strategy

    strategy = make_strategy(slug="nan-plan")
    make_measure(
        make_objective(make_priority(strategy)),
        code="NAN-1",
        unit="count",
        baseline_value=Decimal("5"),
    )
    data = export_strategy(strategy)
    strategy.delete()
    Measure.everything.all().delete()
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("code") == "NAN-1":
                node["minimum_value"] = "NaN"
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    assert found
    with pytest.raises(StrategyImportError):
        import_strategy(data)
