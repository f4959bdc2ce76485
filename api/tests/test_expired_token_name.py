"""An expired token's name can be used for its replacement (found by an attacker's pass)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_an_expired_tokens_name_can_be_used_again_for_its_replacement(client, board_member):
    """A token that has expired works no more and has no Revoke button; making its
    replacement under the same name ("Power BI") must not be refused as a duplicate."""
    old, _ = ApiToken.issue(board_member, "Power BI", days=1)
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(board_member)
    listed = client.get(reverse("api:tokens")).content.decode()
    assert "Expired" in listed and "Revoke Power BI" not in listed  # nothing to revoke
    made = client.post(reverse("api:tokens"), {"name": "Power BI", "days": 90})
    assert made.status_code == 200, made.context["form"].errors
    assert made.context["key"]
    old.refresh_from_db()
    assert old.revoked_at == old.expires_at  # it stopped working when it expired
    listed = client.get(reverse("api:tokens")).content.decode()
    assert listed.count("Power BI") >= 2  # both kept in the list
