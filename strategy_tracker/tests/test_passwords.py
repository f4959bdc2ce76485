"""People's own passwords (issue 15, finding 2): change it signed in, reset it by e-mail,
throttled like signing in."""

import re
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import TEST_PASSWORD
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lighthouse-backlog-2026"
RESET_LINK = re.compile(r"https?://\S+/accounts/reset/\S+/")


@pytest.fixture
def lead(programme_lead):
    programme_lead.email = "lee.lead@example.invalid"
    programme_lead.save()
    return programme_lead


def _change(client, old: str, new: str = NEW_PASSWORD, **extra):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        **extra,
    )


def _sign_in(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _ask_for_link(client, email: str, **extra):
    """Ask, then let the task worker send what the request queued."""
    response = client.post(reverse("password_reset"), {"email": email}, **extra)
    run_queued_tasks()
    return response


def _link_in(message) -> str:
    return RESET_LINK.search(message.body).group(0)


# Changing your own password.


def test_a_signed_in_user_changes_their_password(client, lead):
    client.force_login(lead)

    response = _change(client, TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    lead.refresh_from_db()
    assert lead.check_password(NEW_PASSWORD)
    assert client.get(reverse("objectives:strategy_list")).status_code == 200  # still signed in
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()


def test_the_change_says_the_api_tokens_still_work_and_where_to_revoke_them(client, lead):
    """Anywhere else they were signed in, they are signed out; their API tokens go on reading
    the API, which the page did not say to someone changing a password they fear is known."""
    from api.models import ApiToken

    ApiToken.issue(lead, "Power BI", days=30)
    ApiToken.issue(lead, "Board pack", days=30)
    revoked, _ = ApiToken.issue(lead, "Old", days=30)
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    client.force_login(lead)

    page = client.get(_change(client, TEST_PASSWORD)["Location"]).content.decode()

    assert "Your 2 read-API tokens still work: a new password does not end them." in page
    assert f'<a href="{reverse("api:tokens")}">Revoke any' in page
    assert ApiToken.usable_count(lead) == 2  # told, not revoked


def test_without_api_tokens_the_change_says_nothing_of_them(client, lead):
    client.force_login(lead)
    page = client.get(_change(client, TEST_PASSWORD)["Location"]).content.decode()
    assert "Your password has been changed" in page and "read-API token" not in page


def test_the_header_offers_change_password_and_sign_in_offers_a_reset(client, lead):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    client.force_login(lead)
    page = client.get(reverse("objectives:strategy_list")).content.decode()
    assert f'<a href="{reverse("password_change")}">Change password</a>' in page


def test_a_wrong_current_password_is_refused_and_counts_as_a_failed_sign_in(client, lead):
    client.force_login(lead)

    response = _change(client, "not-my-password")

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    lead.refresh_from_db()
    assert lead.check_password(TEST_PASSWORD)
    attempt = AccessAttempt.objects.get(username="lead")
    assert attempt.failures_since_start == 1
    # What was typed is never stored with the attempt.
    assert "not-my-password" not in attempt.post_data
    assert NEW_PASSWORD not in attempt.post_data


def test_an_empty_form_is_not_counted_as_a_failed_sign_in(client, lead):
    client.force_login(lead)
    assert client.post(reverse("password_change"), {}).status_code == 200
    assert not AccessAttempt.objects.exists()


def test_wrong_current_passwords_lock_the_account_out_like_signing_in(client, lead, settings):
    client.force_login(lead)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _change(client, "not-my-password").status_code == 200
    assert _change(client, "not-my-password").status_code == 429  # the last allowed failure

    refused = _change(client, TEST_PASSWORD)  # even the right one, now

    assert refused.status_code == 429
    assert "Too many wrong passwords for this username" in refused.content.decode()
    assert client.get(reverse("password_change")).status_code == 429
    lead.refresh_from_db()
    assert lead.check_password(TEST_PASSWORD)
    client.logout()
    assert _sign_in(client, "lead", TEST_PASSWORD).status_code == 429  # sign-in is locked too
    assert _sign_in(client, "lead", TEST_PASSWORD, address="10.0.0.2").status_code == 302


def test_a_sign_in_lockout_also_locks_the_change_form(client, lead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "lead", "wrong")
    client.force_login(lead)  # a session from before the lockout

    assert _change(client, TEST_PASSWORD).status_code == 429
    lead.refresh_from_db()
    assert lead.check_password(TEST_PASSWORD)


def test_the_admins_own_change_password_page_leads_to_the_throttled_one(client, admin_user):
    client.force_login(admin_user)
    for method in (client.get, client.post):
        response = method("/admin/password_change/")
        assert response.status_code == 302
        assert response["Location"] == reverse("password_change")


# Resetting by e-mail.


def test_a_reset_request_emails_a_link_built_on_site_url_even_with_a_forged_host(
    client, lead, settings
):
    settings.SITE_URL = "https://tracker.example.nhs.uk"
    settings.ALLOWED_HOSTS = ["*"]  # a careless deployment: the Host header is not checked

    response = _ask_for_link(client, "Lee.Lead@example.invalid", HTTP_HOST="evil.example")

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lee.lead@example.invalid"]
    assert _link_in(message).startswith("https://tracker.example.nhs.uk/accounts/reset/")
    assert "evil.example" not in message.body
    assert "Your username is: lead" in message.body


def test_a_reset_request_for_an_unknown_address_looks_identical_and_sends_nothing(
    client, lead, make_user
):
    make_user("gone", email="gone@example.invalid", is_active=False)
    known = _ask_for_link(client, "lee.lead@example.invalid")
    assert len(mail.outbox) == 1

    for address in ("nobody@example.invalid", "gone@example.invalid"):
        unknown = _ask_for_link(client, address)
        assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1
    done = client.get(known["Location"]).content.decode()
    assert "If an account uses the address you entered" in done
    assert "The link works once, for 24 hours." in done
    assert "nobody@example.invalid" not in done


def test_a_new_account_without_a_password_can_ask_for_a_link(client, lead):
    lead.set_unusable_password()
    lead.save()
    _ask_for_link(client, "lee.lead@example.invalid")
    assert [m.to for m in mail.outbox] == [["lee.lead@example.invalid"]]


def test_reset_requests_are_limited_per_client_address(client, settings):
    limit = settings.PASSWORD_RESET_REQUESTS_PER_HOUR
    for n in range(limit):
        assert _ask_for_link(client, f"person{n}@example.invalid").status_code == 302

    refused = _ask_for_link(client, "one-more@example.invalid")

    assert refused.status_code == 429
    assert "Please wait an hour and try again" in refused.content.decode()
    # Someone else, at another address, is not held back.
    assert (
        _ask_for_link(client, "one-more@example.invalid", REMOTE_ADDR="10.0.0.2").status_code == 302
    )


def test_reset_requests_are_limited_per_address_typed(client, lead, settings):
    limit = settings.PASSWORD_RESET_REQUESTS_PER_HOUR
    for n in range(limit):
        response = _ask_for_link(client, "lee.lead@example.invalid", REMOTE_ADDR=f"10.0.1.{n}")
        assert response.status_code == 302

    refused = _ask_for_link(client, "LEE.LEAD@example.invalid", REMOTE_ADDR="10.0.2.1")

    assert refused.status_code == 429
    assert len(mail.outbox) == limit  # nobody can flood an inbox


def test_the_confirm_page_sets_a_new_password_and_the_old_one_stops_working(client, lead):
    _ask_for_link(client, "lee.lead@example.invalid")
    link = urlsplit(_link_in(mail.outbox[0])).path

    # The token leaves the address at once, so it cannot leak in a Referer header.
    form_url = client.get(link)["Location"]
    assert "set-password" in form_url
    page = client.get(form_url)
    assert page.status_code == 200 and "Set a new password" in page.content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response["Location"] == reverse("password_reset_complete")
    done = client.get(response["Location"]).content.decode()
    assert "Password set" in done
    assert "Any read-API tokens you made still work" in done  # a reset does not end them
    assert _sign_in(client, "lead", TEST_PASSWORD).status_code == 200  # refused, form again
    assert _sign_in(client, "lead", NEW_PASSWORD).status_code == 302
    client.logout()
    assert "This link does not work" in client.get(link).content.decode()  # once only


def test_a_weak_new_password_is_refused_with_the_rules(client, lead):
    _ask_for_link(client, "lee.lead@example.invalid")
    form_url = client.get(urlsplit(_link_in(mail.outbox[0])).path)["Location"]

    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "This password is entirely numeric" in text
    assert "Your password must contain at least 8 characters" in text  # the rules, as a hint
    assert User.objects.get(pk=lead.pk).check_password(TEST_PASSWORD)


def test_setting_a_password_by_e_mail_unlocks_signing_in(client, lead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "lead", "wrong")
    _ask_for_link(client, "lee.lead@example.invalid")
    form_url = client.get(urlsplit(_link_in(mail.outbox[0])).path)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert _sign_in(client, "lead", NEW_PASSWORD).status_code == 302


def test_a_wrong_link_says_it_does_not_work(client, lead):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "not-a-valid-token"]))
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()
