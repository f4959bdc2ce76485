"""Someone whose account is linked to the organisation's sign-in signs in only through it:
they are not offered a password form they can never use (its "current password" would only
count towards locking them out)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from sso.models import ProviderAccount

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lighthouse-backlog-2026"


@pytest.fixture
def sign_on(settings):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "strategy-tracker"


@pytest.fixture
def ada(make_user):
    ada = make_user("ada@nhs.example", "Board member", email="ada@nhs.example")
    ada.set_unusable_password()
    ada.save()
    ProviderAccount.objects.create(user=ada, issuer="https://provider.example", subject="ada-1")
    return ada


def test_the_change_password_page_says_they_sign_in_through_their_organisation(
    client, sign_on, ada
):
    client.force_login(ada)

    page = client.get(reverse("password_change"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "You sign in through your organisation" in text
    assert 'name="old_password"' not in text
    assert reverse("password_reset") not in text


def test_a_password_posted_to_the_page_changes_nothing_and_counts_no_failure(client, sign_on, ada):
    from axes.models import AccessAttempt

    client.force_login(ada)

    response = client.post(
        reverse("password_change"),
        {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "You sign in through your organisation" in response.content.decode()
    assert not User.objects.get(pk=ada.pk).has_usable_password()
    assert not AccessAttempt.objects.exists()


def test_the_header_offers_change_password_only_to_those_with_a_password(
    client, sign_on, ada, programme_lead
):
    link = f'<a href="{reverse("password_change")}">Change password</a>'
    client.force_login(ada)
    assert link not in client.get(reverse("objectives:strategy_list")).content.decode()
    client.force_login(programme_lead)
    assert link in client.get(reverse("objectives:strategy_list")).content.decode()


def test_with_sign_on_no_longer_configured_their_password_page_is_back(client, ada):
    client.force_login(ada)
    page = client.get(reverse("password_change")).content.decode()
    assert 'name="old_password"' in page
    assert f'<a href="{reverse("password_change")}">Change password</a>' in page


def test_with_passwords_switched_off_nobody_is_offered_change_password(
    client, settings, programme_lead
):
    settings.LOCAL_PASSWORDS = False
    client.force_login(programme_lead)
    page = client.get(reverse("objectives:strategy_list")).content.decode()
    assert reverse("password_change") not in page
