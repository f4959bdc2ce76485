import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_milestone, make_objective, make_priority, make_strategy


@pytest.fixture
def milestone(programme_lead):
    strategy = make_strategy(slug="eput", period_start=dt.date(2023, 4, 1))
    objective = make_objective(make_priority(strategy, number=1), number=1)
    return make_milestone(
        objective,
        title="Clear the Lighthouse backlog",
        due_date=timezone.localdate() + dt.timedelta(days=120),
        owner=programme_lead,
    )


@pytest.fixture
def other_lead(make_user):
    from strategy_tracker.roles import PROGRAMME_LEAD

    return make_user("lead2", PROGRAMME_LEAD, first_name="Lena", last_name="Other")


@pytest.fixture
def delegate(make_user, milestone, admin_user):
    from strategy_tracker.roles import PROGRAMME_LEAD

    user = make_user("deputy", PROGRAMME_LEAD, first_name="Dee", last_name="Deputy")
    milestone.assign(by=admin_user, add_delegates=[user])
    return user
