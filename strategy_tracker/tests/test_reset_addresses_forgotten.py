"""A typed reset address goes within a day without another reset request: the daily jobs
forget those over an hour old, finished or never run."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reporting.tasks import schedule_daily_jobs
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db


def test_the_last_typed_address_is_forgotten_after_an_hour_without_another_request(client):
    client.post(reverse("password_reset"), {"email": "someone-typed-this@example.invalid"})
    run_queued_tasks()
    # A day passes; the daily jobs run, as they do every morning. No one asks for a reset.
    DBTaskResult.objects.update(finished_at=timezone.now() - dt.timedelta(days=1))
    schedule_daily_jobs()
    run_queued_tasks()

    typed = [
        t.args_kwargs["args"]
        for t in DBTaskResult.objects.filter(task_path="strategy_tracker.accounts.send_reset_links")
    ]
    assert typed == [], f"kept a day later: {typed}"


def test_a_request_the_worker_never_ran_is_forgotten_after_an_hour(client):
    client.post(reverse("password_reset"), {"email": "never-run@example.invalid"})
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(hours=2))
    from strategy_tracker.accounts import forget_typed_addresses

    assert forget_typed_addresses() == 1
    assert not DBTaskResult.objects.filter(task_path="strategy_tracker.accounts.send_reset_links")
