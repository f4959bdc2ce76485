"""Digits that are not ASCII digits, and numbers too large to store, get a clear answer,
never a 500."""

import pytest
from django.urls import reverse

from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


def test_an_organisation_filter_of_superscript_digits_is_ignored(client, board_member):
    client.force_login(board_member)
    assert client.get("/strategies/?organisation=²").status_code == 200


def test_an_owner_form_with_superscript_ids_is_refused_cleanly(client, admin_user):
    strategy = make_strategy(slug="s")
    milestone = make_milestone(make_objective(make_priority(strategy, number=1), number=1))
    client.force_login(admin_user)
    url = reverse("milestones:assign", args=["s", (1, 1), 1, milestone.pk])
    response = client.post(url, {"read_owner": "²", "read_delegates": "²,³", "owner": ""})
    assert response.status_code in (302, 400)


def test_bulk_assign_with_superscript_ticks_is_refused_cleanly(client, admin_user):
    make_strategy()  # an organisation they are an Admin of
    client.force_login(admin_user)
    response = client.post(reverse("milestones:bulk_assign"), {"milestones": ["²"]})
    assert response.status_code == 400


def test_too_many_spc_baseline_points_is_refused_with_a_message(client, admin_user):
    make_measure(make_objective(), code="M")
    client.force_login(admin_user)
    response = client.post(
        reverse("measures:spc_limits", args=["M"]),
        {"spc_baseline_points": "40000", "reason": "x", "read_limits": "|"},
    )
    assert response.status_code == 400
    assert "less than or equal to 1000" in response.content.decode()


def test_ids_too_large_for_any_row_are_refused_as_not_a_choice(client, admin_user):
    make_strategy()  # an organisation they are an Admin of
    client.force_login(admin_user)
    huge = str(2**63)
    response = client.post(
        reverse("milestones:bulk_assign"),
        {"milestones": [huge], "owner": huge, "add_delegates": [huge]},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
