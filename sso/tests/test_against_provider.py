"""Signing in through a real OpenID Connect provider running on this machine (panva's
oidc-provider, tests/oidc_provider): every check the app makes of what comes back."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from joserfc.errors import ClaimError, ExpiredTokenError

from objectives.models import Organisation
from sso import signing_in
from sso.models import GroupRole
from strategy_tracker.roles import BOARD_MEMBER, user_roles
from tests.oidc_provider import oidc_provider, sign_in_without_browser  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
CALLBACK = "http://testserver/accounts/sso/callback/"
CLIENT = {
    "client_id": "strategy-tracker",
    "client_secret": "local-test-secret",
    "redirect_uris": [CALLBACK],
    "post_logout_redirect_uris": ["http://testserver/accounts/login/"],
}
OTHER = CLIENT | {"client_id": "another-app", "client_secret": "another-secret"}
SHORT = CLIENT | {"client_id": "short-lived", "client_secret": "short-secret"}
ACCOUNTS = {
    "bola": {
        "email": "bola.board@nhs.example",
        "email_verified": True,
        "name": "Bola Board",
        "groups": ["st-board"],
    },
    "eve": {"email": "eve@elsewhere.example", "email_verified": True, "name": "Eve"},
}


@pytest.fixture
def provider(oidc_provider, settings):  # noqa: F811
    running = oidc_provider([CLIENT, OTHER, SHORT], ACCOUNTS)
    settings.OIDC_DISCOVERY_URL = running.discovery_url
    settings.OIDC_CLIENT_ID = CLIENT["client_id"]
    settings.OIDC_CLIENT_SECRET = CLIENT["client_secret"]
    settings.OIDC_SCOPES = "openid email profile groups"
    settings.OIDC_ALLOWED_DOMAINS = ["nhs.example"]
    trust = Organisation.objects.create(name="Trust")
    GroupRole.objects.create(group="st-board", organisation=trust, role=BOARD_MEMBER)
    return running


def _our_request(client) -> dict:
    """Start signing in here; what the app asked the provider for (its state and nonce)."""
    response = client.get(reverse("sso:start"))
    assert response.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def _back_here(client, provider, login, **change):
    asked = _our_request(client)
    given = sign_in_without_browser(
        provider,
        CLIENT["client_id"],
        CLIENT["client_secret"],
        CALLBACK,
        login,
        scope=asked["scope"],
        nonce=change.get("nonce", asked["nonce"]),
        state=asked["state"],
        exchange=False,
        # PKCE: the challenge this app sent, which its token request answers.
        extra_params={k: asked[k] for k in ("code_challenge", "code_challenge_method")},
    )
    state = change.get("state", given["state"])
    return client.get(reverse("sso:callback"), {"code": given["code"], "state": state})


def _page(response, client) -> str:
    return client.get(response["Location"]).content.decode()


def test_a_first_sign_in_creates_the_person_with_their_mapped_role(client, provider):
    assert _our_request(client)["code_challenge_method"] == "S256"
    response = _back_here(client, provider, "bola")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(email="bola.board@nhs.example")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user_roles(user) == {BOARD_MEMBER}
    assert client.get(reverse("objectives:strategy_list")).status_code == 200
    assert client.get(reverse("editor:new_strategy")).status_code == 403  # not an Admin


def test_a_reply_with_another_state_is_refused(client, provider):
    response = _back_here(client, provider, "bola", state="not-the-one-sent")
    assert "That sign-in could not be checked" in _page(response, client)
    assert "_auth_user_id" not in client.session and not User.objects.exists()


def test_an_id_token_with_another_nonce_is_refused(client, provider):
    response = _back_here(client, provider, "bola", nonce="a-nonce-this-app-never-sent")
    assert "That sign-in could not be checked" in _page(response, client)
    assert "_auth_user_id" not in client.session and not User.objects.exists()


def test_an_address_at_a_domain_not_allowed_is_refused(client, provider):
    response = _back_here(client, provider, "eve")
    assert "Addresses at elsewhere.example cannot sign in here" in _page(response, client)
    assert not User.objects.exists()


def _tokens(provider, client_spec, nonce="n-1"):
    return sign_in_without_browser(
        provider,
        client_spec["client_id"],
        client_spec["client_secret"],
        CALLBACK,
        "bola",
        nonce=nonce,
    )["tokens"]


def test_an_id_token_issued_to_another_app_is_refused(provider):
    token = _tokens(provider, OTHER)
    # Authlib sees an audience that is not this app (and no authorised party naming it).
    with pytest.raises(ClaimError, match="aud|azp"):
        signing_in.provider().parse_id_token(token, nonce="n-1", leeway=0)


def test_an_expired_id_token_is_refused(provider, settings):
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = SHORT["client_id"], "short-secret"
    token = _tokens(provider, SHORT)
    time.sleep(2.2)  # its 1-second life, and past it
    with pytest.raises(ExpiredTokenError):
        signing_in.provider().parse_id_token(token, nonce="n-1", leeway=0)
    # The same token, read in time, is accepted: the check above is about the expiry.
    assert signing_in.provider().parse_id_token(token, nonce="n-1", leeway=60)["email"]


def test_signing_out_sends_the_person_to_the_providers_sign_out(client, provider):
    _back_here(client, provider, "bola")
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    sign_out_there = f'content="0;url={provider.issuer}/session/end?'
    assert sign_out_there in response.content.decode()
    assert "id_token_hint=" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_reply_without_a_code_or_with_the_providers_error_is_refused_in_words(client, provider):
    asked = _our_request(client)
    for reply in ({"state": asked["state"]}, {"error": "access_denied", "state": "x"}):
        response = client.get(reverse("sso:callback"), reply)
        assert response.status_code == 302
        assert "That sign-in could not be checked" in _page(response, client)
    assert "_auth_user_id" not in client.session
