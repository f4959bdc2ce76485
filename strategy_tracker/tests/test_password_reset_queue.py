"""The reset form's answer never says whether an account uses the address: the request does
the same work either way (it queues the address for the task worker), and the link is looked
up and e-mailed by the worker, so a slow mail server cannot tell known addresses apart."""

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(programme_lead):
    programme_lead.email = "lee.lead@example.invalid"
    programme_lead.save()
    return programme_lead


def _ask(client, address: str) -> list[str]:
    """The statements the request sent to the database, without their values."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.post(reverse("password_reset"), {"email": address})
    assert response.status_code == 302
    return statements


def test_a_known_and_an_unknown_address_make_the_request_do_the_same_work(client, lead):
    _ask(client, "warm-up@example.invalid")
    DBTaskResult.objects.all().delete()

    unknown = _ask(client, "nobody@example.invalid")
    known = _ask(client, "lee.lead@example.invalid")

    assert known == unknown
    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert [(task.task_path, task.args_kwargs["args"]) for task in queued] == [
        ("strategy_tracker.accounts.send_reset_links", ["nobody@example.invalid"]),
        ("strategy_tracker.accounts.send_reset_links", ["lee.lead@example.invalid"]),
    ]


def test_no_mail_is_sent_inside_the_request_and_the_worker_sends_the_known_address_its_link(
    client, lead
):
    client.post(reverse("password_reset"), {"email": "nobody@example.invalid"})
    client.post(reverse("password_reset"), {"email": "Lee.Lead@example.invalid"})
    assert mail.outbox == []

    assert run_queued_tasks() == 2

    assert [m.to for m in mail.outbox] == [["lee.lead@example.invalid"]]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_refused_request_queues_nothing(client, lead, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 0
    response = client.post(reverse("password_reset"), {"email": "lee.lead@example.invalid"})
    assert response.status_code == 429
    assert not DBTaskResult.objects.exists()


def test_the_addresses_typed_over_an_hour_ago_are_forgotten_by_the_next_reset_run(client, lead):
    """The worker keeps each task with its arguments: every address anyone typed would stay."""
    import datetime as dt

    from django.utils import timezone

    client.post(reverse("password_reset"), {"email": "typed-long-ago@example.invalid"})
    run_queued_tasks()
    DBTaskResult.objects.update(finished_at=timezone.now() - dt.timedelta(hours=2))
    client.post(reverse("password_reset"), {"email": "lee.lead@example.invalid"})
    run_queued_tasks()

    kept = [task.args_kwargs["args"] for task in DBTaskResult.objects.all()]
    assert kept == [["lee.lead@example.invalid"]]
