"""Reasons kept in the history are kept in full (the column once held 100 characters, and
ordinary Admin actions failed on PostgreSQL)."""

import datetime as dt

import pytest
from django.urls import reverse

from measures.tests.test_spc import quarters
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.factories import make_measure, make_milestone, make_objective, make_value

pytestmark = pytest.mark.django_db


def test_a_third_delegate_with_long_names_is_kept_with_the_whole_reason(make_user, admin_user):
    milestone = make_milestone(make_objective())
    people = [
        make_user(
            f"person{n}",
            PROGRAMME_LEAD,
            first_name="Bartholomew-Alexander",
            last_name=f"Fotheringham-Worthington-Smythe {n}",
        )
        for n in range(3)
    ]
    for person in people:
        milestone.assign(by=admin_user, add_delegates=[person])
    reason = milestone.history.first().history_change_reason
    assert len(reason) > 100
    assert reason.endswith("Fotheringham-Worthington-Smythe 2")


def test_an_spc_reason_of_five_hundred_characters_is_kept(client, admin_user):
    measure = make_measure(make_objective(), code="LONG")
    for end in quarters(16):
        make_value(measure, end, 10 + end.month % 3)
    client.force_login(admin_user)
    why = "A new triage model started across all three localities. " * 9
    why = why[:500].strip()
    response = client.post(
        reverse("measures:spc_limits", args=["LONG"]),
        {"spc_baseline_points": "12", "reason": why, "read_limits": "|"},
    )
    assert response.status_code == 302
    assert measure.history.first().history_change_reason == f"SPC limits: {why}"


def test_a_bulk_assignment_with_long_names_is_saved(client, admin_user, make_user):
    objective = make_objective()
    milestones = [make_milestone(objective, due_date=dt.date(2027, 3, 31)) for _ in range(3)]
    people = [
        make_user(f"p{n}", PROGRAMME_LEAD, first_name="Maximiliana", last_name="Ravensworth-" * 4)
        for n in range(3)
    ]
    client.force_login(admin_user)
    response = client.post(
        reverse("milestones:bulk_assign"),
        {"milestones": [m.pk for m in milestones], "add_delegates": [p.pk for p in people]},
    )
    assert response.status_code == 302
    assert all(m.delegates.count() == 3 for m in milestones)
