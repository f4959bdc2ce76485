"""The Django admin keeps the same rules as the app's own pages."""

import pytest
from django.urls import reverse

from milestones.models import Milestone

pytestmark = pytest.mark.django_db


def _admin_post_data(client, milestone, **changes):
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "delegates"}
    data["read_version"] = form["read_version"].value()
    data["due_date"] = milestone.due_date.isoformat()
    return url, data | changes


def test_an_admin_edit_of_a_milestone_changed_since_it_was_opened_is_refused(
    client, admin_user, milestone, programme_lead
):
    client.force_login(admin_user)
    url, data = _admin_post_data(client, milestone, title="Retitled by the admin")
    milestone.record_update(
        by=programme_lead,
        expected_version=milestone.version,
        status="at_risk",
        commentary="Slipping.",
        forecast_date=None,
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "changed by someone else since you opened it" in response.content.decode()
    milestone.refresh_from_db()
    assert (milestone.title, milestone.status, milestone.commentary) == (
        "Clear the Lighthouse backlog",
        "at_risk",
        "Slipping.",
    )


def test_an_admin_edit_of_status_counts_as_an_update(client, admin_user, milestone):
    client.force_login(admin_user)
    url, data = _admin_post_data(client, milestone, status="off_track", commentary="Stopped.")
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.last_updated_by == admin_user
    assert milestone.version == 2


def test_only_leads_and_admins_can_be_made_owners_in_the_admin(
    client, admin_user, milestone, board_member
):
    client.force_login(admin_user)
    url, data = _admin_post_data(client, milestone, owner=board_member.pk)
    response = client.post(url, data)
    assert "Select a valid choice" in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).owner != board_member


def test_an_admin_cannot_make_anyone_a_superuser(client, admin_user, board_member):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[board_member.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    client.post(
        url,
        {
            "username": "board",
            "is_superuser": "on",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    board_member.refresh_from_db()
    assert not board_member.is_superuser
