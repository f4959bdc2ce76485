import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from objectives.models import Organisation
from strategy_tracker.roles import (
    ADMIN,
    APPROVER,
    BOARD_MEMBER,
    PROGRAMME_LEAD,
    organisations_where,
    user_roles,
)

pytestmark = pytest.mark.django_db


def _request():
    # django-axes checks every sign-in against the address it comes from.
    return RequestFactory().post("/accounts/login/")


def _create(**options) -> dict[str, str]:
    out = StringIO()
    call_command("create_demo_users", stdout=out, **options)
    return dict(re.findall(r"username: (\S+)\s+password: (\S+)", out.getvalue()))


def test_it_creates_one_user_per_role_with_printed_passwords(settings):
    settings.DEBUG = True
    trust, council = (Organisation.objects.create(name=n) for n in ("Trust", "Council"))
    passwords = _create()

    roles = {}
    for username, password in passwords.items():
        user = authenticate(_request(), username=username, password=password)
        assert user is not None, username
        roles[username] = user_roles(user)
    assert roles["board"] == {BOARD_MEMBER}
    assert roles["approver"] == {APPROVER}
    assert roles["lead"] == {PROGRAMME_LEAD}
    assert roles["admin"] == {ADMIN}
    # Each holds their role in every organisation; the site administrator reaches them all.
    admin = get_user_model().objects.get(username="admin")
    assert organisations_where(admin, ADMIN) == {trust.pk, council.pk}
    assert not admin.is_staff and not admin.is_superuser
    site_admin = get_user_model().objects.get(username="siteadmin")
    assert site_admin.is_superuser and site_admin.is_staff


def test_running_it_again_gives_new_passwords(settings):
    settings.DEBUG = True
    first = _create()
    second = _create()
    assert first["board"] != second["board"]
    assert authenticate(_request(), username="board", password=first["board"]) is None
    assert authenticate(_request(), username="board", password=second["board"]) is not None


def test_it_refuses_in_production_unless_asked(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to create demo users"):
        _create()
    assert not get_user_model().objects.exists()

    assert set(_create(allow_production=True)) == {
        "board",
        "approver",
        "lead",
        "lead2",
        "admin",
        "siteadmin",
    }
