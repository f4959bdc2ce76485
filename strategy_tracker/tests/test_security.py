from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_sends_a_strict_content_security_policy(client, board_member):
    client.force_login(board_member)
    policy = client.get("/strategies/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no other origin
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy  # no third-party origin anywhere


def test_no_template_has_an_inline_script():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    offenders = []
    for root in roots:
        for template in root.rglob("*.html"):
            text = template.read_text()
            for chunk in text.split("<script")[1:]:
                tag = chunk.split(">", 1)[0]
                if "src=" not in tag and 'type="application/json"' not in tag:
                    offenders.append(str(template))
            if " on" in text and any(
                f" on{e}=" in text for e in ("click", "load", "change", "submit")
            ):
                offenders.append(str(template))
    assert offenders == []


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(
    client, board_member, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "board", "wrong")
        assert "Please enter a correct username and password" in response.content.decode()
    assert _login(client, "board", "wrong").status_code == 429  # the last allowed failure
    locked = _login(client, "board", TEST_PASSWORD)  # even the right password, now
    assert locked.status_code == 429
    assert "Too many wrong passwords for this username" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_out_colleagues_at_the_same_address(
    client, board_member, programme_lead, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "board", "wrong")
    response = _login(client, "lead", TEST_PASSWORD)
    assert response.status_code == 302
    # Nor the same person from another address.
    assert _login(client, "board", TEST_PASSWORD, address="10.0.0.2").status_code == 302


def test_passwords_are_checked_by_djangos_validators():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password")
    with pytest.raises(ValidationError):
        validate_password("12345678901")


def test_sessions_end_after_inactivity(client, board_member, settings):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(board_member)
    key = client.session.session_key
    # Each request pushes the expiry on by the session age ...
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get("/strategies/").status_code == 200
    assert Session.objects.get(pk=key).expire_date > timezone.now() + dt.timedelta(minutes=30)
    # ... and a session left idle past it is over: the next request must sign in again.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/strategies/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_behind_a_proxy_the_client_address_is_read_from_x_forwarded_for(
    client, board_member, settings
):
    proxy = "10.9.9.9"  # every request arrives from the proxy
    settings.TRUSTED_PROXIES = [proxy]

    def login(password, forwarded_for, remote=proxy):
        return client.post(
            reverse("login"),
            {"username": "board", "password": password},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("wrong", "192.0.2.10")
    assert login(TEST_PASSWORD, "192.0.2.10").status_code == 429
    # The same person on another machine behind the same proxy is not locked out ...
    assert login(TEST_PASSWORD, "192.0.2.20").status_code == 302
    client.logout()
    # ... and a client cannot dodge the lock by writing its own X-Forwarded-For: the proxy's
    # own (right-most) entry is the one that counts.
    assert login(TEST_PASSWORD, "203.0.113.1, 192.0.2.10").status_code == 429
    # With two hops, the inner proxy's own entry is skipped.
    settings.TRUSTED_PROXIES = [proxy, "10.9.9.8"]
    assert login(TEST_PASSWORD, "192.0.2.10, 10.9.9.8").status_code == 429
    # Nor does anyone not behind a trusted proxy choose their address by header.
    assert login(TEST_PASSWORD, "192.0.2.99", remote="198.51.100.7").status_code == 302
