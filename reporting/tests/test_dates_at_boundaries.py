"""The quarter's last day at close: a risk's review due then is overdue, as a milestone due
then is (found by a pass over dates and time zones)."""

import pytest

from reporting.models import Level
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter, q2_strategy
from tests.factories import make_milestone, make_risk

pytestmark = pytest.mark.django_db
Q2 = Quarter(2024, 2)  # July to September 2024


def test_a_review_due_on_the_quarters_last_day_is_overdue_at_close_as_a_milestone_is(
    admin_user, programme_lead
):
    strategy = q2_strategy(programme_lead)
    objective = strategy.priorities.get().objectives.get()
    make_milestone(objective, title="Due on the last day", due_date=Q2.end, status="not_started")
    make_risk(objective, title="Staffing", review_date=Q2.end, owner=admin_user)
    period = close_quarter(strategy, Q2, admin_user)  # closed the day after, still unreviewed
    milestone = period.snapshot_rows().get(level=Level.MILESTONE, title="Due on the last day")
    assert milestone.finding == "overdue"  # "was due 30 September 2024, the quarter's last day"
    assert period.risk_snapshot.get().review_overdue  # fails: same day, opposite verdict
