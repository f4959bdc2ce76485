"""Signing out from a page left open after the session ended: the person is signed out
already, so they are taken to the sign-in page, never to an error."""

import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_out_after_the_session_ended_goes_to_the_sign_in_page(client, programme_lead):
    response = client.post(reverse("logout"))  # the session has ended: nobody is signed in

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out already" in page


def test_signing_in_after_that_goes_home_not_to_an_error(client, programme_lead):
    login_url = client.post(reverse("logout"))["Location"]

    signed_in = client.post(
        login_url, {"username": programme_lead.username, "password": TEST_PASSWORD}, follow=True
    )

    assert signed_in.status_code == 200, signed_in.redirect_chain
    assert "_auth_user_id" in client.session


def test_signing_out_signed_in_still_takes_a_post(client, programme_lead):
    client.force_login(programme_lead)

    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session  # a link elsewhere cannot sign anyone out
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
