"""The daily reporting jobs, run by the task worker: scheduled periods open on their day,
reminders go on their days only, and each run books the next."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reporting import cycle, reminders
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter
from reporting.tasks import daily_reporting_jobs
from reporting.tests.helpers import strategy_reporting
from tests.factories import make_measure, make_milestone, make_objective, make_value
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db


def _period(opens_on: dt.date, closes_on: dt.date) -> ReportingPeriod:
    return ReportingPeriod(opens_on=opens_on, closes_on=closes_on)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (dt.date(2024, 9, 16), True),  # the day it opens
        (dt.date(2024, 9, 17), False),
        (dt.date(2024, 10, 14), True),  # a week before returns are due
        (dt.date(2024, 10, 15), False),
        (dt.date(2024, 10, 20), True),  # the day before
        (dt.date(2024, 10, 21), False),  # the deadline itself: yesterday's was the last
        (dt.date(2024, 10, 22), True),  # late: the first day, then weekly
        (dt.date(2024, 10, 23), False),
        (dt.date(2024, 10, 29), True),
    ],
)
def test_reminders_go_on_their_days_only(today, due):
    period = _period(dt.date(2024, 9, 16), dt.date(2024, 10, 21))
    assert reminders.reminder_day(period, today) is due


def test_booking_the_daily_jobs_twice_books_them_once():
    out = StringIO()
    call_command("schedule_reporting_jobs", stdout=out)
    call_command("schedule_reporting_jobs", stdout=out)
    assert "booked: the first runs now" in out.getvalue()
    assert "already booked" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=daily_reporting_jobs.module_path).count() == 1


def test_a_daily_run_opens_due_periods_reminds_on_the_day_and_books_tomorrow(
    programme_lead, settings
):
    today = timezone.localdate()
    quarter = Quarter.containing(today)
    _, objective = strategy_reporting("due")
    strategy = objective.priority.strategy
    scheduled = cycle.schedule(strategy, quarter, today, quarter.end + dt.timedelta(days=21), None)
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    make_milestone(objective, title="Open the hub", owner=programme_lead)
    call_command("schedule_reporting_jobs", stdout=StringIO())
    assert run_queued_tasks() == 1
    scheduled.refresh_from_db()
    assert scheduled.state == "open"
    (message,) = mail.outbox  # opened today: today is a reminder day
    assert "Open the hub" in message.body
    booked = DBTaskResult.objects.get(task_path=daily_reporting_jobs.module_path, status="READY")
    tomorrow = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(6)))
    assert booked.run_after == tomorrow
    assert run_queued_tasks() == 0  # tomorrow's is not due yet


def test_a_failed_daily_run_still_books_tomorrows(monkeypatch):
    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(reminders, "send_reminders", mail_server_down)
    call_command("schedule_reporting_jobs", stdout=StringIO())
    assert run_queued_tasks() == 1
    runs = DBTaskResult.objects.filter(task_path=daily_reporting_jobs.module_path)
    assert sorted(runs.values_list("status", flat=True)) == ["FAILED", "READY"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert timezone.localtime(runs.get(status="READY").run_after).date() == tomorrow


def test_a_run_whose_worker_died_does_not_block_the_jobs_for_good():
    daily_reporting_jobs.enqueue()
    run = DBTaskResult.objects.get()
    run.status, run.started_at = "RUNNING", timezone.now()
    run.save()
    out = StringIO()
    call_command("schedule_reporting_jobs", stdout=out)
    assert "already booked" in out.getvalue()  # running now: it books its own successor
    run.started_at = timezone.now() - dt.timedelta(hours=2)
    run.save()
    call_command("schedule_reporting_jobs", stdout=out)
    assert "booked: the first runs now" in out.getvalue()
    daily = DBTaskResult.objects.filter(task_path=daily_reporting_jobs.module_path)
    assert daily.filter(status="READY").count() == 1  # (the weekly Fingertips fetch is its own)


def test_a_daily_run_works_out_readings_a_lost_refresh_left_stale():
    from measures.readings import current_readings

    measure = make_measure(make_objective(), code="LOST")
    make_value(measure, dt.date(2024, 3, 31), 4)  # its refresh never asked: no commit here
    assert current_readings([measure]) == {}
    daily_reporting_jobs.enqueue()
    run_queued_tasks()
    assert measure.id in current_readings([measure])


def test_a_closed_strategy_opens_no_period_and_sends_no_reminder(programme_lead, admin_user):
    from objectives.lifecycle import take_step

    today = timezone.localdate()
    quarter = Quarter.containing(today)
    _, objective = strategy_reporting("open", open_quarter=quarter.previous())
    programme_lead.email = "lead@example.org"
    programme_lead.save()
    make_milestone(objective, title="Open the hub", owner=programme_lead)
    _, other = strategy_reporting("scheduled")
    scheduled = cycle.schedule(
        other.priority.strategy, quarter, today, quarter.end + dt.timedelta(days=21), None
    )
    assert reminders.returns_due()  # published: the lead owes a return
    for strategy in (objective.priority.strategy, other.priority.strategy):
        take_step(strategy.pk, to="closed", seen="published", by=admin_user)

    assert reminders.returns_due() == {}
    assert cycle.open_due_periods(today) == []
    scheduled.refresh_from_db()
    assert scheduled.state == "scheduled" and not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_two_workers_starting_together_book_one_daily_run(monkeypatch):
    """Each worker books the daily run as it starts (`make worker`); two starting at once each
    found none booked and both booked one, so every reminder went twice (found by a pass over
    what the app sends by itself). Only PostgreSQL lets two connections book at once."""
    import os
    import threading
    import time

    from django.db import connection, connections

    from reporting import tasks

    if connection.vendor != "postgresql":
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs PostgreSQL")

    task_class, enqueue = type(tasks.daily_reporting_jobs), type(tasks.daily_reporting_jobs).enqueue

    def slow_to_book(task, *args, **kwargs):
        """Booked a moment after the check: each worker checks before any has booked, as
        two workers starting at once do."""
        time.sleep(0.3)
        return enqueue(task, *args, **kwargs)

    monkeypatch.setattr(task_class, "enqueue", slow_to_book)
    start, booked = threading.Barrier(4), []

    def book():
        try:
            start.wait()
            booked.append(tasks.schedule_daily_jobs())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(booked) == [False, False, False, True]
    assert DBTaskResult.objects.filter(task_path=daily_reporting_jobs.module_path).count() == 1
