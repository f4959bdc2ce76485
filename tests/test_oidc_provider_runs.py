"""The test OpenID Connect provider (tests/oidc_provider.py) starts, and a sign-in through it
gives a real ID token with the claims the app reads: the tests of the sign-in rely on both."""

import pytest

from tests.oidc_provider import jwt_claims, running_provider, sign_in_without_browser

REDIRECT_URI = "http://127.0.0.1:8000/oidc/callback/"
CLIENT = {
    "client_id": "strategy-tracker",
    "client_secret": "a-test-secret",
    "redirect_uris": [REDIRECT_URI],
    "post_logout_redirect_uris": ["http://127.0.0.1:8000/"],
    "grant_types": ["authorization_code"],
    "response_types": ["code"],
    "token_endpoint_auth_method": "client_secret_basic",
}
ADA = {
    "email": "ada@nhs.example",
    "email_verified": True,
    "name": "Ada Admin",
    "groups": ["st-admins"],
}


@pytest.mark.slow
def test_a_sign_in_through_the_provider_gives_an_id_token_with_the_claims():
    with running_provider([CLIENT], {"ada": ADA}) as provider:
        discovery = provider.discovery()
        assert discovery["issuer"] == provider.issuer
        assert discovery["end_session_endpoint"].startswith(provider.issuer)

        result = sign_in_without_browser(
            provider,
            CLIENT["client_id"],
            CLIENT["client_secret"],
            REDIRECT_URI,
            "ada",
            nonce="the-nonce",
            state="the-state",
        )

        assert result["state"] == "the-state"
        assert result["code"]
        claims = jwt_claims(result["tokens"]["id_token"])
        assert claims["iss"] == provider.issuer
        assert claims["aud"] == CLIENT["client_id"]
        assert claims["sub"] == "ada"
        assert claims["nonce"] == "the-nonce"
        assert claims["email"] == "ada@nhs.example"
        assert claims["email_verified"] is True
        assert claims["groups"] == ["st-admins"]
        assert claims["exp"] > claims["iat"]

        refused = sign_in_without_browser(
            provider, CLIENT["client_id"], CLIENT["client_secret"], REDIRECT_URI, "nobody"
        )
        assert refused["error"] == "access_denied"
        assert refused["code"] is None
