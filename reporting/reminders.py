"""Who still owes a quarterly return, for which open periods: every active owner and delegate
of an open milestone not yet updated or confirmed since its strategy's period opened."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from milestones import sign_off
from milestones.models import Milestone
from milestones.status import CLOSED
from objectives.models import Strategy
from reporting.models import PeriodState, ReportingPeriod
from reporting.returns import still_owed
from strategy_tracker.dates import long_day
from strategy_tracker.mailing import send_one
from strategy_tracker.people import display_name

# The scheduled reminders: the day a period opens, a week and a day before returns are due,
# and weekly once they are late, so nobody gets one every day.
DAYS_BEFORE_DEADLINE = (7, 1)
DAILY_AT = dt.time(6, 0)  # when the task worker's daily run opens periods and reminds


def reminder_day(period: ReportingPeriod, today: dt.date) -> bool:
    # Opened later than its day (the worker was stopped, or an Admin opened it by hand after
    # closing the quarter before late): its leads are told by the first daily run after it
    # opened, not a week before returns are due.
    opened_early = period.opened_at and timezone.localdate(period.opened_at) < period.opens_on
    if (today == period.opens_on and not opened_early) or _first_run_after_opening(period, today):
        return True
    before = (period.closes_on - today).days
    return before in DAYS_BEFORE_DEADLINE or (before < 0 and -before % 7 == 1)


def _first_run_after_opening(period: ReportingPeriod, today: dt.date) -> bool:
    """The first daily run since it opened: the run that opened it (it has no opener), or
    after an Admin opened it by hand, the first run after that: today's if it was opened
    between yesterday's run and today's."""
    if period.opened_at is None:
        return False
    opened = timezone.localtime(period.opened_at)
    if period.opened_by_id is None:
        return opened.date() == today
    todays_run = dt.datetime.combine(today, DAILY_AT, opened.tzinfo)
    return todays_run - dt.timedelta(days=1) < opened <= todays_run


def returns_due(today: dt.date | None = None) -> dict:
    """{person: {period: [milestones still to update]}}; with `today`, only periods whose
    scheduled reminder falls on that day."""
    periods = {
        p.strategy_id: p
        for p in ReportingPeriod.objects.filter(
            state=PeriodState.OPEN, strategy__status=Strategy.Status.PUBLISHED
        ).select_related("strategy")
        if today is None or reminder_day(p, today)
    }
    milestones = (
        Milestone.objects.filter(objective__priority__strategy_id__in=periods)
        .exclude(status__in=CLOSED)
        .select_related("owner", "objective__priority")
        .prefetch_related("delegates")
        .order_by("objective__priority__strategy_id", "due_date", "id")
    )
    milestones = list(milestones)
    waiting = sign_off.latest_submissions([m.pk for m in milestones])
    due: dict = defaultdict(lambda: defaultdict(list))
    for milestone in milestones:
        period = periods[milestone.objective.priority.strategy_id]
        # As the return itself counts it: an update sent for approval is this quarter's.
        if not still_owed(milestone, period, waiting.get(milestone.pk)):
            continue
        people = [milestone.owner, *milestone.delegates.all()]
        for person in people:
            if person is not None and person.is_active:
                due[person][period].append(milestone)
    # Only what each person's return lists: milestones they may still update.
    for person, by_period in list(due.items()):
        ids = [m.pk for ms in by_period.values() for m in ms]
        theirs = set(
            Milestone.objects.filter(pk__in=ids).updatable_by(person).values_list("pk", flat=True)
        )
        for period, ms in list(by_period.items()):
            by_period[period] = [m for m in ms if m.pk in theirs]
            if not by_period[period]:
                del by_period[period]
        if not by_period:
            del due[person]
    return due


def reminder(person, periods: dict, today: dt.date) -> tuple[str, str]:
    """The e-mail's subject and text: each period by name with its deadline, late or not."""
    name = display_name(person)
    first = min(periods, key=lambda p: p.closes_on)
    # The subject's count is of what is due by the day it names; the rest is said after it.
    total = sum(len(ms) for p, ms in periods.items() if p.closes_on == first.closes_on)
    later = sum(len(ms) for ms in periods.values()) - total
    late = any(today > p.closes_on for p in periods)
    parts = []
    for period, milestones in periods.items():
        if today > period.closes_on:
            when = f"LATE: returns were due by {long_day(period.closes_on)}"
        else:
            when = f"due by {long_day(period.closes_on)}"
        lines = "\n".join(f"  - {m.title}" for m in milestones)
        # The illustrative example's milestones are made up, in an e-mail as on every page.
        parts.append(f"{period.strategy.labelled_title}, {period.label} ({when}):\n{lines}")
    subject = (
        f"{'Late: ' if late else ''}quarterly return for {first.label}: {total} "
        f"milestone{'s' if total != 1 else ''} to update by {long_day(first.closes_on)}"
    )
    if later:
        subject += f", {later} more later"
    link = settings.SITE_URL + reverse("reporting:quarterly_return")
    text = (
        f"Hello {name},\n\nThese milestones of yours still need this quarter's update:\n\n"
        + "\n\n".join(parts)
        + f"\n\nUpdate or confirm them all on one page: {link}\n\nStrategy Tracker"
    )
    return subject[0].upper() + subject[1:], text


@dataclass
class Sent:
    """Who was reminded, with the subject; who has no address; whose the server refused."""

    reminded: list[tuple[object, str]] = field(default_factory=list)
    no_address: list[object] = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)


def send_reminders(today: dt.date, list_only: bool = False, scheduled: bool = False) -> Sent:
    """E-mail everyone who owes a return (`scheduled`: for periods with a reminder due today),
    each their own message: one the server refuses costs no one else theirs. With
    `list_only`, those it would remind, sent nothing."""
    sent = Sent()
    due = returns_due(today if scheduled else None)
    for person, periods in sorted(due.items(), key=lambda pair: pair[0].username):
        subject, text = reminder(person, periods, today)
        if not person.email:
            sent.no_address.append(person)
        elif not list_only and (why := send_one(person.email, subject, text)):
            sent.refused.append((person, why))
        else:
            sent.reminded.append((person, subject))
    return sent
