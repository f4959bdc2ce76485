"""Who may open which page, for every role, is tests/test_permission_matrix.py. Here: where the
admin site sends people who may not use it, and that signing out ends the session."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_site_is_for_site_administrators_only(
    client, board_member, programme_lead, admin_user, site_admin
):
    for user in (board_member, programme_lead, admin_user):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    client.force_login(site_admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_signing_out_needs_a_post(client, board_member):
    client.force_login(board_member)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("objectives:strategy_list")).status_code == 302
