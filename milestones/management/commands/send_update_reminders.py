"""Remind owners of milestones that need an update. Run it monthly, e.g. from cron."""

from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.utils import timezone

from milestones import sign_off
from milestones.models import Milestone, SubmissionState
from milestones.status import CLOSED
from objectives.models import Strategy
from strategy_tracker.mailing import send_one


class Command(BaseCommand):
    help = (
        "List owners whose open milestones have not been updated for "
        "MILESTONE_UPDATE_INTERVAL_DAYS days, and email each of them (through EMAIL_URL; "
        "the console by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list-only", action="store_true", help="List, send no email.")

    def handle(self, *args, list_only: bool = False, **options):
        by_owner = due_by_owner(timezone.now())
        if not by_owner:
            self.stdout.write("No milestone needs an update.")
            return
        interval = settings.MILESTONE_UPDATE_INTERVAL_DAYS
        reminded, refused = 0, 0
        for owner, owned in sorted(by_owner.items(), key=lambda pair: pair[0].username):
            name = owner.get_full_name() or owner.username
            self.stdout.write(f"{name} <{owner.email or 'no email'}>: {len(owned)} to update")
            for milestone in owned:
                self.stdout.write(f"  - {milestone.title} ({milestone.get_absolute_url()})")
            if list_only or not owner.email:
                continue
            lines = "\n".join(
                f"- {m.title} ({m.objective.priority.strategy.labelled_title}): "
                f"{settings.SITE_URL}{m.get_absolute_url()}"
                for m in owned
            )
            why = send_one(
                owner.email,
                f"{len(owned)} milestone{'s' if len(owned) != 1 else ''} to update",
                f"Hello {name},\n\nThese milestones you own have not been updated for "
                f"{interval} days or more:\n\n{lines}\n\nStrategy Tracker",
            )
            if why:
                refused += 1
                self.stderr.write(f"  not sent to {owner.email} ({why}).")
            else:
                reminded += 1
        if list_only:
            reminded = len(by_owner)  # as before: those the e-mails would go to
        self.stdout.write(f"{reminded} owner{'s' if reminded != 1 else ''} reminded.")
        if refused:
            raise CommandError(f"{refused} of those e-mails not sent; the rest were.")


def due_by_owner(now) -> dict:
    """{owner: [their open milestones not updated within the interval]}, of published
    strategies (a draft is not seen by its leads yet, a closed one is no longer delivered);
    leaving out an update waiting for an approver (its lead has nothing to do) and what the
    owner may no longer update (they left the organisation)."""
    milestones = [
        m
        for m in Milestone.objects.filter(owner__isnull=False, owner__is_active=True)
        .filter(objective__priority__strategy__status=Strategy.Status.PUBLISHED)
        .exclude(status__in=CLOSED)
        .select_related("owner", "objective__priority__strategy")
        .order_by(F("due_date").asc(nulls_last=True), "id")
        if m.needs_update(now)
    ]
    waiting = sign_off.latest_submissions([m.pk for m in milestones])
    by_owner = defaultdict(list)
    for milestone in milestones:
        pending = waiting.get(milestone.pk)
        if pending is None or pending.state != SubmissionState.SUBMITTED:
            by_owner[milestone.owner].append(milestone)
    for owner, owned in list(by_owner.items()):
        theirs = set(
            Milestone.objects.filter(pk__in=[m.pk for m in owned])
            .updatable_by(owner)
            .values_list("pk", flat=True)
        )
        by_owner[owner] = [m for m in owned if m.pk in theirs]
        if not by_owner[owner]:
            del by_owner[owner]
    return by_owner
