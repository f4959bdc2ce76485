"""A reset link's token stays out of the request log however the link arrives."""

import json
import logging

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tail", ["", "%20", "/."])
def test_a_reset_token_is_not_logged_when_its_link_arrives_a_little_mangled(client, caplog, tail):
    """The link without its last slash (a mail client's wrapping, a copy and paste) or with a
    stray character after it does not resolve to password_reset_confirm, so request_log writes
    request.path, token and all: CommonMiddleware's APPEND_SLASH redirect, or a 404. The token
    is still good: the redirect leads straight to the form that sets the password."""
    user = User.objects.create_user("resetme", "resetme@nhs.example", "Xy!long-pass-123")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = f"/accounts/reset/{uid}/{token}" + (tail if tail else "")
    with caplog.at_level(logging.INFO, logger="strategy_tracker.requests"):
        client.get(path)
    logged = [
        json.loads(r.getMessage()) for r in caplog.records if r.name == "strategy_tracker.requests"
    ]
    assert logged
    assert all(token not in line["path"] for line in logged), logged
