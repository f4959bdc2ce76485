"""The database connection is lost in the middle of a write: nothing partial is kept, the
user is told, and the next request works again without a restart. PostgreSQL only: the
connection is cut from the server side with pg_terminate_backend."""

import datetime as dt
import os
from unittest import mock

import psycopg2
import pytest
from django.db import close_old_connections, connection
from django.urls import reverse
from simple_history.manager import HistoryManager

from measures.importing import store_upload
from measures.models import MeasureValue
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs PostgreSQL")


def _cut_this_connection():
    """Kill our own server process from a second connection, as a network failure would."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    killer = psycopg2.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )
    killer.autocommit = True
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    killer.close()


def _next_request():
    # What a web server does between requests: drop a connection that has failed.
    close_old_connections()


def test_a_milestone_update_cut_off_midway_saves_nothing_and_the_app_recovers(
    client, programme_lead
):
    strategy = make_strategy(slug="s")
    milestone = make_milestone(
        make_objective(make_priority(strategy, number=1), number=1),
        owner=programme_lead,
        due_date=dt.date.today() + dt.timedelta(days=90),
    )
    client.force_login(programme_lead)
    url = reverse("milestones:update", args=["s", "1", 1, milestone.pk])
    data = {
        "status": "at_risk",
        "commentary": "Cut off",
        "forecast_date": "",
        "version": milestone.version,
    }
    real = HistoryManager.bulk_history_create

    def cut_then_write(self, *args, **kwargs):
        _cut_this_connection()  # after the UPDATE ran, before its history row is written
        return real(self, *args, **kwargs)

    with mock.patch.object(HistoryManager, "bulk_history_create", cut_then_write):
        response = client.post(url, data)

    assert response.status_code == 503
    assert "Nothing you sent was saved" in response.content.decode()
    _next_request()
    milestone.refresh_from_db()
    assert (milestone.status, milestone.commentary, milestone.version) == ("not_started", "", 1)
    assert milestone.history.count() == 1
    # The app recovers by itself: the same update now goes through.
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "at_risk"


def test_an_import_cut_off_midway_writes_nothing_and_the_app_recovers(client, admin_user):
    measure = make_measure(make_objective(), code="CUT", unit="count")
    rows = "".join(f"CUT,{y}-06-30,{y}\n" for y in range(2000, 2024))
    batch = store_upload(
        user=admin_user,
        file_name="cut.csv",
        data=("measure_code,period_end,value\n" + rows).encode(),
    )
    client.force_login(admin_user)
    from measures import importing

    real = importing.create
    calls = []

    def cut_on_second_batch(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            _cut_this_connection()
        return real(objs, *args, **kwargs)

    with (
        mock.patch.object(importing, "create", cut_on_second_batch),
        mock.patch.object(importing, "BATCH_ROWS", 10),
    ):
        response = client.post(reverse("measures:import_confirm", args=[batch.pk]))

    assert response.status_code in (409, 503)
    assert (
        "Nothing you sent was saved" in response.content.decode()
        or "nothing was written" in response.content.decode()
    )
    _next_request()
    assert MeasureValue.objects.filter(measure=measure).count() == 0
    assert MeasureValue.history.filter(measure_id=measure.id).count() == 0
    response = client.post(reverse("measures:import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert MeasureValue.objects.filter(measure=measure).count() == 24


def test_a_database_gone_before_any_view_runs_gets_the_same_clear_page(board_member):
    """Loading the session is the first thing a request asks of the database."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(board_member)
    with mock.patch.object(SessionStore, "load", side_effect=OperationalError("server closed")):
        response = client.get(reverse("objectives:strategy_list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Nothing you sent was saved" in response.content.decode()
    assert client.get(reverse("objectives:strategy_list")).status_code == 200


def _upload_24_rows(admin_user, code: str):
    rows = "".join(f"{code},{y}-06-30,{y}\n" for y in range(2000, 2024))
    return store_upload(
        user=admin_user,
        file_name=f"{code.lower()}.csv",
        data=("measure_code,period_end,value\n" + rows).encode(),
    )


def test_a_batch_the_database_refuses_midway_says_nothing_was_written(client, admin_user):
    """A refused statement aborts PostgreSQL's transaction; the import must still end in its
    own message, not in an InternalError from releasing a savepoint afterwards."""
    from measures import importing

    measure = make_measure(make_objective(), code="REF", unit="count")
    batch = _upload_24_rows(admin_user, "REF")
    client.force_login(admin_user)
    real = importing.create
    calls = []

    def overflow_on_second_batch(values, stamp):
        calls.append(len(values))
        if len(calls) == 2:
            values[0].source = "s" * 301  # what no check let through reaches the database
        return real(values, stamp)

    with (
        mock.patch.object(importing, "create", overflow_on_second_batch),
        mock.patch.object(importing, "BATCH_ROWS", 10),
    ):
        response = client.post(reverse("measures:import_confirm", args=[batch.pk]))

    assert response.status_code == 409
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "The database refused the figures, so nothing was written" in html
    assert "tell your system administrator" in html
    assert MeasureValue.objects.filter(measure=measure).count() == 0
    assert MeasureValue.history.filter(measure_id=measure.id).count() == 0
    # Nothing is left half-done: the same file imports.
    assert client.post(reverse("measures:import_confirm", args=[batch.pk])).status_code == 302
    assert MeasureValue.objects.filter(measure=measure).count() == 24


def test_a_database_error_outside_the_writes_is_refused_with_the_same_message(admin_user):
    from django.db import connection as db

    from measures import importing
    from measures.importing import ImportRefused, confirm

    make_measure(make_objective(), code="LOOK", unit="count")
    batch = _upload_24_rows(admin_user, "LOOK")

    def lookup_refused(*args):
        with db.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")  # division_by_zero: a DataError
        return []

    with (
        mock.patch.object(importing, "_stored", lookup_refused),
        pytest.raises(ImportRefused, match="The database refused the figures"),
    ):
        confirm(batch.pk, restatements_confirmed=False)
    assert MeasureValue.objects.filter(measure__code="LOOK").count() == 0
