"""The weekly fetch of national indicators' figures from OHID Fingertips, by the task worker:
each linked measure's figures are proposed as an import to the person who linked it, to
preview and confirm (measures/fingertips.py)."""

import datetime as dt
import itertools
import logging

from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from measures import fingertips
from measures.models import Measure, NationalIndicator

# Fingertips publishes its monthly updates on the first Tuesday; a weekly run proposes them
# within a week, and an unconfirmed proposal expires long before the next run brings it again.
WEEKLY_ON = 0  # Monday
WEEKLY_AT = dt.time(5, 30)  # before the daily reporting jobs at 06:00
RUN_GIVEN_UP_AFTER = dt.timedelta(hours=1)
logger = logging.getLogger(__name__)


@task()
def fetch_national_indicators() -> dict:
    """Propose every linked measure's figures to whoever linked it; book next week's run
    first, so that a failure here (Fingertips down, say) costs one week, not every week."""
    schedule_weekly_fetch(after=timezone.localdate())
    links = (
        NationalIndicator.objects.filter(measure__in=Measure.objects.all())
        .select_related("measure", "linked_by")
        .order_by("linked_by_id", "measure__code")
    )
    proposed = {}
    for _, group in itertools.groupby(links, key=lambda link: link.linked_by_id):
        group = list(group)
        by = group[0].linked_by
        try:
            proposal = fingertips.propose_import(group, by=by)
        except fingertips.FingertipsUnreachable as error:
            return {"unreachable": str(error), "proposed": proposed}
        except Exception as error:  # one person's links failing must not cost the others
            logger.exception("Fetching national indicators for %s failed", by.get_username())
            proposed[by.get_username()] = {"failed": str(error)}
            continue
        proposed[by.get_username()] = {
            "import": proposal.batch.pk if proposal.batch else None,
            "not fetched": {f.code: f.error for f in proposal.failed},
        }
    return {"proposed": proposed}


def next_run(after: dt.date) -> dt.datetime:
    """WEEKLY_AT on the first WEEKLY_ON day after `after`."""
    days = (WEEKLY_ON - after.weekday() - 1) % 7 + 1
    return timezone.make_aware(dt.datetime.combine(after + dt.timedelta(days=days), WEEKLY_AT))


def schedule_weekly_fetch(after: dt.date | None = None) -> bool:
    """Book the next weekly fetch unless one is booked already: True if this booked it. The
    first is next week's (not now: starting the app should not reach out to the internet)."""
    runs = DBTaskResult.objects.filter(task_path=fetch_national_indicators.module_path)
    booked = Q(status=TaskResultStatus.READY)
    if after is None:
        # A run in progress has booked its successor, unless its worker died long ago.
        alive = timezone.now() - RUN_GIVEN_UP_AFTER
        booked |= Q(status=TaskResultStatus.RUNNING, started_at__gte=alive)
    if runs.filter(booked).exists():
        return False
    when = next_run(after or timezone.localdate())
    fetch_national_indicators.using(run_after=when).enqueue()
    return True
