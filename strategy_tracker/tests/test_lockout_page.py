"""The lockout page says how long signing in stays locked, as AXES_COOLOFF_HOURS sets it."""

import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD
from strategy_tracker.accounts import duration_in_words

pytestmark = pytest.mark.django_db


def _locked_page(client, user, settings) -> str:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Sign-in locked" in text
    return text


@pytest.mark.parametrize(
    "hours, words",
    [(0.5, "30 minutes"), (2, "2 hours"), (1.5, "1 hour and 30 minutes"), (1, "1 hour")],
)
def test_the_lockout_page_says_the_configured_length(
    client, programme_lead, settings, hours, words
):
    settings.AXES_COOLOFF_TIME = hours

    text = _locked_page(client, programme_lead, settings)

    assert f"Try again in {words}," in text
    if words != "30 minutes":
        assert "Try again in 30 minutes" not in text


def test_a_lock_with_no_end_says_a_site_administrator_unlocks_it(client, programme_lead, settings):
    settings.AXES_COOLOFF_TIME = None

    text = _locked_page(client, programme_lead, settings)

    assert "Try again in" not in text
    assert "stays locked until your site administrator unlocks it" in text


@pytest.mark.parametrize(
    "seconds, words",
    [
        (24 * 60 * 60, "24 hours"),
        (60 * 60, "1 hour"),
        (90 * 60, "1 hour and 30 minutes"),
        (60, "1 minute"),
        (20, "1 minute"),
        (45 * 60, "45 minutes"),
    ],
)
def test_durations_are_written_in_whole_hours_and_minutes(seconds, words):
    assert duration_in_words(seconds) == words
