"""Work done off the request by the task worker (`manage.py db_worker`, which `make run`
starts): board packs, and each day's opening of scheduled periods and reminders."""

import datetime as dt
import logging

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from measures import readings as measure_readings
from reporting import cycle, packs, reminders
from reporting.models import ReminderDay
from strategy_tracker.accounts import forget_typed_addresses

logger = logging.getLogger(__name__)
_BOOKING_LOCK_KEY = 7_236_001  # pg_advisory_xact_lock's key for booking the daily run
DAILY_AT = reminders.DAILY_AT  # before the working day: periods open, then reminders go
RUN_GIVEN_UP_AFTER = dt.timedelta(hours=1)  # a daily run takes seconds


@task()
def make_board_pack(pack_id: int) -> None:
    packs.make(pack_id)


@task()
def daily_reporting_jobs() -> dict:
    """Open the periods whose day has come, send the day's reminders, then book tomorrow's run;
    and work out any measure's SPC reading left stale (a refresh lost with a stopped worker)."""
    today = timezone.localdate()
    # Tomorrow's run is booked first, so a failure below (the mail server down, say) costs one
    # day's jobs, not every day's after it; and each job runs whether or not one before it
    # failed: the run fails, naming each, once all have run.
    schedule_daily_jobs(after=today)
    result, failed = {}, []
    try:
        result["opened"] = [p.pk for p in cycle.open_due_periods(today)]
    except Exception as error:  # noqa: BLE001 - said below, after the other jobs
        failed.append(f"opening periods: {error!r}")
    try:
        result |= _reminders(today)
    except Exception as error:  # noqa: BLE001 - said below, after the readings
        failed.append(f"reminders: {error!r}")
    try:
        result["readings"] = measure_readings.refresh()
    except Exception as error:  # noqa: BLE001
        failed.append(f"readings: {error!r}")
    try:
        result["reset_addresses_forgotten"] = forget_typed_addresses()
    except Exception as error:  # noqa: BLE001
        failed.append(f"reset addresses: {error!r}")
    if failed:
        raise DailyJobsFailed("; ".join(failed))
    return result


class DailyJobsFailed(RuntimeError):
    """One or more of a day's jobs failed; the others ran."""


def _reminders(today: dt.date) -> dict:
    """The day's reminders, once a day whatever runs that day (a second worker, a restart)."""
    try:
        with transaction.atomic():
            ReminderDay.objects.create(day=today)
    except IntegrityError:  # another run today sent them, or is sending them
        return {"reminded": 0, "reminders": "sent already today"}
    sent = reminders.send_reminders(today, scheduled=True)
    if sent.refused:
        logger.error("Reminders not sent: %s", ", ".join(p.username for p, _ in sent.refused))
    return {
        "reminded": len(sent.reminded),
        "no_address": [p.username for p in sent.no_address],
        "not_sent": [f"{p.username}: {why}" for p, why in sent.refused],
    }


def schedule_daily_jobs(after: dt.date | None = None) -> bool:
    """Book the next daily run unless one is booked already: True if this booked it. With
    `after` (from a run), the next is the day after's; without (on start), one runs now."""
    # A run in progress books its successor as it starts, so it counts as booked, unless it
    # is the one asking or it started so long ago that its worker must have died.
    runs = DBTaskResult.objects.filter(task_path=daily_reporting_jobs.module_path)
    booked = Q(status=TaskResultStatus.READY)
    if after is None:
        alive = timezone.now() - RUN_GIVEN_UP_AFTER
        booked |= Q(status=TaskResultStatus.RUNNING, started_at__gte=alive)
    with transaction.atomic():
        # Two workers starting together each found none booked, and both booked one: the
        # check and the booking are one step (on SQLite, the transaction's write lock).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_BOOKING_LOCK_KEY])
        if runs.filter(booked).exists():
            return False
        if after is None:
            daily_reporting_jobs.enqueue()
        else:
            day = after + dt.timedelta(days=1)
            when = timezone.make_aware(dt.datetime.combine(day, DAILY_AT))
            daily_reporting_jobs.using(run_after=when).enqueue()
    return True
