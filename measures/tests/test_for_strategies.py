"""A strategy's measures, read as one query (for_strategies) or in two parts, one for each kind
of parent (for_strategies_apart): the same measures either way."""

import pytest
from django.utils import timezone

from measures.models import Measure
from tests.factories import make_measure, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


def test_the_two_parts_are_the_strategys_measures_and_no_others():
    strategy, other = make_strategy(), make_strategy()
    priority = make_priority(strategy)
    objective = make_objective(priority)
    on_priority = make_measure(priority=priority, code="ON-PRIORITY")
    on_objective = make_measure(objective, code="ON-OBJECTIVE")
    archived = make_measure(objective, code="ARCHIVED")
    Measure.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    make_measure(make_objective(make_priority(other)), code="ELSEWHERE")
    make_measure(priority=make_priority(other), code="ELSEWHERE-TOO")

    first, second = Measure.objects.for_strategies_apart([strategy.id])

    assert [m.code for m in first] == ["ON-PRIORITY"]
    assert [m.code for m in second] == ["ON-OBJECTIVE"]
    whole = set(Measure.objects.for_strategies([strategy.id]))
    assert set(first) | set(second) == whole == {on_priority, on_objective}
