import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from objectives.models import Objective, Organisation, Priority, Strategy
from tests.factories import make_objective, make_priority, make_strategy, violates

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "start, end, refused",
    [
        (dt.date(2024, 4, 1), dt.date(9999, 3, 31), {"period_end"}),
        (dt.date(1, 1, 1), dt.date(2028, 3, 31), {"period_start"}),
        (dt.date(1990, 1, 1), dt.date(2100, 12, 31), set()),
    ],
)
def test_a_strategy_period_is_refused_off_the_plausible_calendar(start, end, refused):
    strategy = make_strategy(slug="plan")
    strategy.period_start, strategy.period_end = start, end
    try:
        strategy.full_clean()
        found = set()
    except ValidationError as error:
        found = set(error.message_dict)
    assert found == refused


def test_a_strategy_period_must_start_before_it_ends():
    org = Organisation.objects.create(name="Org")
    kwargs = {"organisation": org, "title": "S", "status": "published"}

    assert violates(
        lambda: Strategy.objects.create(
            slug="a", period_start=dt.date(2024, 1, 1), period_end=dt.date(2023, 1, 1), **kwargs
        )
    )
    assert violates(
        lambda: Strategy.objects.create(
            slug="b", period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 1, 1), **kwargs
        )
    )
    assert not violates(
        lambda: Strategy.objects.create(
            slug="c", period_start=dt.date(2023, 1, 1), period_end=dt.date(2024, 1, 1), **kwargs
        )
    )


def test_a_strategy_slug_is_unique():
    make_strategy(slug="thurrock")
    assert violates(lambda: make_strategy(slug="thurrock"))


def test_a_strategy_status_must_be_a_known_one():
    assert violates(lambda: make_strategy(status="archived"))


def test_priority_numbers_are_unique_within_a_part_of_a_strategy():
    strategy = make_strategy()
    make_priority(strategy, number=1, part=1)

    assert violates(lambda: make_priority(strategy, number=1, part=1))
    # Thurrock's Part Two restarts its numbering at 1.
    assert not violates(lambda: make_priority(strategy, number=1, part=2))
    # Another strategy has its own numbering.
    assert not violates(lambda: make_priority(make_strategy(), number=1, part=1))


def test_priority_and_objective_numbers_start_at_one():
    assert violates(lambda: make_priority(number=0))
    assert violates(lambda: make_objective(number=0))


def test_objective_numbers_are_unique_within_a_priority():
    priority = make_priority()
    make_objective(priority, number=1)

    assert violates(lambda: make_objective(priority, number=1))
    assert not violates(lambda: make_objective(priority, number=2))


def test_priorities_and_objectives_keep_the_documents_order():
    strategy = make_strategy()
    for number in (3, 1, 2):
        make_priority(strategy, number=number)
    priority = Priority.objects.get(strategy=strategy, number=2)
    for number in (2, 1):
        make_objective(priority, number=number)

    assert [p.number for p in strategy.priorities.all()] == [1, 2, 3]
    assert [o.number for o in Objective.objects.filter(priority=priority)] == [1, 2]


def test_deleting_an_organisation_with_strategies_is_refused():
    from django.db.models import ProtectedError

    strategy = make_strategy()
    with pytest.raises(ProtectedError):
        strategy.organisation.delete()
