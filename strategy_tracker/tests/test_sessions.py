"""When the database will not write a session's row, the user gets the 503 page saying
nothing was saved (and nothing was), not Django's 400 "bad request"."""

import contextlib
import datetime as dt
import os
from unittest import mock

import psycopg2
import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from tests.factories import make_milestone, make_objective, make_priority, make_strategy


@contextlib.contextmanager
def _session_table_locked():
    """Another connection holds the session table against writes (reads go on), as a
    migration or a long maintenance job would; this connection gives up waiting at once."""
    if connection.vendor != "postgresql":
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs PostgreSQL")
    db = connection.settings_dict
    locker = psycopg2.connect(
        dbname=db["NAME"],
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
    )
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '100ms'")
    try:
        with locker.cursor() as cursor:
            cursor.execute("LOCK TABLE django_session IN EXCLUSIVE MODE")
        yield
    finally:
        locker.rollback()
        locker.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


@pytest.fixture
def milestone(programme_lead):
    strategy = make_strategy(slug="s")
    return make_milestone(
        make_objective(make_priority(strategy, number=1), number=1),
        owner=programme_lead,
        due_date=dt.date.today() + dt.timedelta(days=90),
    )


def _signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_a_page_whose_session_cannot_be_written_gets_the_503_page(board_member):
    client = _signed_in(board_member)
    with _session_table_locked():
        response = client.get(reverse("objectives:strategy_list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Nothing you sent was saved" in response.content.decode()
    # Once the table is free again, so is the app.
    assert client.get(reverse("objectives:strategy_list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_update_whose_session_cannot_be_written_gets_the_503_page_and_saves_nothing(
    programme_lead, milestone
):
    client = _signed_in(programme_lead)
    url = reverse("milestones:update", args=["s", "1", 1, milestone.pk])
    data = {
        "status": "at_risk",
        "commentary": "Staff off sick.",
        "forecast_date": "",
        "version": milestone.version,
    }
    with _session_table_locked():
        response = client.post(url, data)

    assert response.status_code == 503
    assert "Nothing you sent was saved" in response.content.decode()
    milestone.refresh_from_db()
    assert (milestone.status, milestone.version) == ("not_started", 1)
    assert milestone.history.count() == 1
    assert client.post(url, data).status_code == 302


@pytest.mark.django_db
def test_a_session_deleted_meanwhile_is_still_djangos_bad_request(board_member):
    """Signed out in another tab while a page was being made: Django's own 400 stands."""

    def row_gone(self, must_create=False):
        try:
            raise DatabaseError("Forced update did not affect any rows.")  # as Django does
        except DatabaseError:
            raise UpdateError  # noqa: B904 - as Django does

    client = _signed_in(board_member)
    with mock.patch.object(SessionStore, "save", row_gone):
        response = client.get(reverse("objectives:strategy_list"))
    assert response.status_code == 400
    assert "You were signed out meanwhile" in response.content.decode()
