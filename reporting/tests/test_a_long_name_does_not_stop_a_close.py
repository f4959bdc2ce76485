"""A person's full name may be 301 characters (Django's first and last names are 150 each):
the snapshot kept the owner's in 300, and on PostgreSQL the close failed (a 500) and the
quarter could not be reported at all."""

import datetime as dt

import pytest

from reporting.models import RiskSnapshot, SnapshotItem
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter
from strategy_tracker.roles import ADMIN, PROGRAMME_LEAD
from tests.factories import (
    make_milestone,
    make_objective,
    make_priority,
    make_risk,
    make_strategy,
)

pytestmark = pytest.mark.django_db


def test_a_quarter_closes_whose_owners_have_the_longest_names(make_user):
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    lead = make_user("longname", PROGRAMME_LEAD, first_name="A" * 150, last_name="B" * 150)
    admin = make_user("longadmin", ADMIN, first_name="C" * 150, last_name="D" * 150)
    make_milestone(
        objective, title="Owned by a long name", owner=lead, due_date=dt.date(2024, 5, 1)
    )
    make_risk(objective, owner=admin)

    period = close_quarter(strategy, Quarter(2024, 1))

    assert period.state == "closed"
    (milestone,) = SnapshotItem.objects.filter(period=period, level="milestone")
    assert milestone.owner == "A" * 150 + " " + "B" * 150
    assert RiskSnapshot.objects.get(period=period).owner == "C" * 150 + " " + "D" * 150
