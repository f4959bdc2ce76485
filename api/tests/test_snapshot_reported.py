"""A closed quarter's milestone rows say, as the live milestones resource does (`reported`),
whether anyone had reported on the milestone: its `status` alone reads not_started for one
nobody reported on, which its board report calls "nothing reported"."""

import datetime as dt

import pytest
from django.utils import timezone

from api.models import ApiToken
from reporting.quarters import Quarter
from reporting.tests.helpers import close_quarter
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter():
    return Quarter.containing(timezone.localdate()).previous()


@pytest.fixture
def objective(quarter):
    strategy = make_strategy(slug="s", period_start=quarter.start - dt.timedelta(days=400))
    return make_objective(make_priority(strategy, number=1), number=1)


@pytest.fixture
def auth(board_member):
    _, key = ApiToken.issue(board_member, "Board pack", days=5)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _rows(client, auth, **params):
    return client.get("/api/v1/snapshots/", params, **auth).json()["results"]


def test_a_milestone_nobody_reported_on_is_not_reported(client, auth, objective, quarter):
    m = make_milestone(objective, title="Hub", due_date=quarter.end - dt.timedelta(days=10))
    close_quarter(objective.priority.strategy, quarter)
    live = client.get(f"/api/v1/milestones/{m.pk}/", **auth).json()
    assert (live["status"], live["reported"]) == ("not_started", False)
    (row,) = _rows(client, auth, level="milestone")
    assert (row["status"], row["reported"]) == ("not_started", False)


def test_a_milestone_its_lead_reported_not_started_is_reported(
    client, auth, objective, quarter, programme_lead
):
    m = make_milestone(objective, title="Hub", owner=programme_lead, due_date=quarter.end)
    m.record_update(
        by=programme_lead,
        expected_version=m.version,
        status="not_started",
        commentary="Starts next quarter.",
        forecast_date=None,
        reported_at=timezone.make_aware(dt.datetime.combine(quarter.start, dt.time(12))),
    )
    close_quarter(objective.priority.strategy, quarter)
    (row,) = _rows(client, auth, level="milestone")
    assert (row["status"], row["reported"]) == ("not_started", True)


def test_rows_that_are_not_milestones_have_no_reported(client, auth, objective, quarter):
    make_milestone(objective, title="Hub", due_date=quarter.end)
    close_quarter(objective.priority.strategy, quarter)
    rows = [row for row in _rows(client, auth) if row["level"] != "milestone"]
    assert rows and all(row["reported"] is None for row in rows)


def test_the_schema_documents_reported(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["SnapshotItem"]["properties"]["reported"]
    assert field["nullable"] is True and "nothing reported" in field["description"]
