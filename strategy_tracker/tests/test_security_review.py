"""Found by a security review: a reset token in the log, a session outliving the browser on a
shared PC, inline styles allowed where no chart needs them, refusals without the security
headers."""

import json
import logging

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db


def test_a_password_reset_token_is_not_written_to_the_request_log(client, caplog):
    user = User.objects.create_user("resetme", "resetme@nhs.example", "Xy!long-pass-123")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with caplog.at_level(logging.INFO, logger="strategy_tracker.requests"):
        response = client.get(f"/accounts/reset/{uid}/{token}/")
    assert response.status_code == 302  # the token is good, and still unused
    logged = [
        json.loads(r.getMessage()) for r in caplog.records if r.name == "strategy_tracker.requests"
    ]
    assert logged, "no request line"
    # Anyone who reads the logs could set this person's password within 24 hours.
    assert all(token not in line["path"] for line in logged), logged


def test_the_session_cookie_ends_with_the_browser(client):
    """A shared ward or office PC: closing the browser without signing out should not leave
    the next person signed in for up to 8 hours."""
    User.objects.create_user("shared", "shared@nhs.example", "Xy!long-pass-123")
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    response = client.post(
        "/accounts/login/", {"username": "shared", "password": "Xy!long-pass-123"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"], cookie.output()


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/", "/api/tokens/"])
def test_pages_without_charts_do_not_allow_inline_styles(client, path):
    client.force_login(User.objects.create_user("csp", "csp@nhs.example", "Xy!long-pass-123"))
    policy = client.get(path)["Content-Security-Policy"]
    assert "unsafe-inline" not in policy, policy


def test_a_page_with_charts_allows_their_inline_styles_and_no_inline_script(client, admin_user):
    from tests.factories import make_measure

    measure = make_measure()
    client.force_login(admin_user)
    policy = client.get(measure.get_absolute_url())["Content-Security-Policy"]
    assert "style-src-elem 'self' 'unsafe-inline'" in policy
    assert "style-src-attr 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy + ";"


def test_the_413_refusal_carries_the_security_headers(client):
    response = client.post(
        "/measures/import/", data=b"", content_type="text/plain", CONTENT_LENGTH="52428800"
    )
    assert response.status_code == 413
    missing = [
        h
        for h in ("X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy")
        if not response.has_header(h)
    ]
    assert not missing, missing


def test_a_refused_host_carries_the_frame_and_content_policies(settings):
    """Over plain HTTP the HTTPS redirect asks the host first, and its 400 went out bare."""
    from django.test import Client

    settings.SECURE_SSL_REDIRECT, settings.ALLOWED_HOSTS = True, ["tracker.example.nhs.uk"]
    response = Client().get("/healthz", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.has_header("Content-Security-Policy")
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_history_allows_the_style_attribute_of_its_own(client, site_admin):
    """django-simple-history's list of versions has a style attribute: the policy without
    inline styles blocked it (a console violation on every admin history page)."""
    from tests.factories import make_milestone

    milestone = make_milestone()
    client.force_login(site_admin)
    response = client.get(f"/admin/milestones/milestone/{milestone.pk}/history/")
    assert response.status_code == 200
    assert "style-src-attr 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "style-src-attr" not in client.get("/admin/")["Content-Security-Policy"]
