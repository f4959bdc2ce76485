"""A strategy's life: a draft (its lead organisation's Admins only) is published (its
organisations' people read it, the reporting cycle runs for it), then closed (still readable;
no periods open and no reminders go). Each step records who took it and when, and is kept in
the strategy's history."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from objectives.models import Strategy

Status = Strategy.Status

# (from, to): the steps there are, each with what it is called.
STEPS = {
    (Status.DRAFT, Status.PUBLISHED): "published",
    (Status.PUBLISHED, Status.CLOSED): "closed",
}


class StepRefused(Exception):
    """A step the strategy's life does not allow; the message says why, in words."""


def take_step(
    strategy_id: int, *, to: str, seen: str, by, now: dt.datetime | None = None
) -> Strategy:
    """Move the strategy to status `to`, as the Admin who saw it as `seen` asked: refused
    if it is not the step from where it is now, or if its status changed since they saw it
    (another Admin got there first). Locked until the step commits."""
    now = now or timezone.now()
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(pk=strategy_id)
        if strategy.status != seen:
            raise StepRefused(
                f"Someone changed this strategy's status since you opened the page: it is "
                f"now {strategy.get_status_display().lower()}. Nothing was changed."
            )
        step = STEPS.get((strategy.status, to))
        if step is None:
            raise StepRefused(_why_not(strategy.status, to))
        strategy.status = to
        if to == Status.PUBLISHED:
            strategy.published_at, strategy.published_by = now, by
        else:
            strategy.closed_at, strategy.closed_by = now, by
        strategy._history_user = by  # the history row names the Admin, whatever the request
        strategy.save()
    return strategy


def _why_not(now: str, to: str) -> str:
    if now == to:
        return f"This strategy is already {Status(now).label.lower()}. Nothing was changed."
    if to == Status.CLOSED:
        return "A draft cannot be closed: publish it first, or leave it as a draft."
    if now == Status.CLOSED:
        return "A closed strategy stays closed: it can still be read, but not published again."
    return "That step is not one a strategy can take. Nothing was changed."
