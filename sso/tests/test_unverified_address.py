"""An address nobody verified never links a sign-in to an existing account (found by an
attacker's pass)."""

import pytest

from sso.models import ProviderAccount
from sso.signing_in import SignInRefused, user_for
from strategy_tracker.roles import ADMIN

pytestmark = pytest.mark.django_db


def test_an_unverified_address_never_takes_over_an_existing_account(settings, make_user):
    """Entra ID's settings (README): OIDC_REQUIRE_VERIFIED_EMAIL=false. OIDC_ALLOWED_DOMAINS
    is left at its default (empty: any). The README says the first sign-in's match by
    address is then limited to OIDC_ALLOWED_DOMAINS; with none listed, a provider account
    whose unverified `email` claim names an existing Admin's address is linked to that Admin's
    account, and signs in as them from then on."""
    settings.OIDC_REQUIRE_VERIFIED_EMAIL = False
    settings.OIDC_ALLOWED_DOMAINS = []
    admin = make_user("ada", ADMIN, email="ada.admin@trust.example")
    attacker = {
        "iss": "https://provider.example",
        "sub": "someone-else",
        "email": "ada.admin@trust.example",  # no email_verified: nobody vouched for it
    }
    with pytest.raises(SignInRefused):
        user_for(attacker)
    assert not ProviderAccount.objects.filter(user=admin).exists()


def test_an_unverified_address_in_the_organisations_own_domains_still_matches(settings, make_user):
    """Entra ID as the README sets it up: no email_verified, the tenant's own domains listed."""
    settings.OIDC_REQUIRE_VERIFIED_EMAIL = False
    settings.OIDC_ALLOWED_DOMAINS = ["trust.example"]
    admin = make_user("ada", ADMIN, email="ada.admin@trust.example")
    claims = {"iss": "https://provider.example", "sub": "ada", "email": "ada.admin@trust.example"}
    assert user_for(claims) == admin
