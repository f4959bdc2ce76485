"""Work done off the request by the task worker (`manage.py db_worker`, which `make run`
starts): board packs, and each day's opening of scheduled periods and reminders."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from measures import readings as measure_readings
from reporting import cycle, packs, reminders

DAILY_AT = dt.time(6, 0)  # before the working day: periods open, then reminders go
RUN_GIVEN_UP_AFTER = dt.timedelta(hours=1)  # a daily run takes seconds


@task()
def make_board_pack(pack_id: int) -> None:
    packs.make(pack_id)


@task()
def daily_reporting_jobs() -> dict:
    """Open the periods whose day has come, send the day's reminders, then book tomorrow's run;
    and work out any measure's SPC reading left stale (a refresh lost with a stopped worker)."""
    today = timezone.localdate()
    # Tomorrow's run is booked first, so a failure below (the mail server down, say) costs
    # one day's jobs, not every day's after it.
    schedule_daily_jobs(after=today)
    opened = cycle.open_due_periods(today)
    sent = reminders.send_reminders(today, scheduled=True)
    return {
        "opened": [p.pk for p in opened],
        "reminded": len(sent),
        "readings": measure_readings.refresh(),
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
    if runs.filter(booked).exists():
        return False
    if after is None:
        daily_reporting_jobs.enqueue()
    else:
        when = timezone.make_aware(dt.datetime.combine(after + dt.timedelta(days=1), DAILY_AT))
        daily_reporting_jobs.using(run_after=when).enqueue()
    return True
