"""Remind owners of milestones that need an update. Run it monthly, e.g. from cron."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import F
from django.utils import timezone

from milestones.models import Milestone
from milestones.status import CLOSED
from objectives.models import Strategy


class Command(BaseCommand):
    help = (
        "List owners whose open milestones have not been updated for "
        "MILESTONE_UPDATE_INTERVAL_DAYS days, and email each of them (through EMAIL_URL; "
        "the console by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list-only", action="store_true", help="List, send no email.")

    def handle(self, *args, list_only: bool = False, **options):
        now = timezone.now()
        by_owner = defaultdict(list)
        milestones = (
            # Only published strategies: a draft is not seen by its leads yet, a closed one is
            # no longer delivered.
            Milestone.objects.filter(owner__isnull=False, owner__is_active=True)
            .filter(objective__priority__strategy__status=Strategy.Status.PUBLISHED)
            .exclude(status__in=CLOSED)
            .select_related("owner", "objective__priority__strategy")
            .order_by(F("due_date").asc(nulls_last=True), "id")
        )
        for milestone in milestones:
            if milestone.needs_update(now):
                by_owner[milestone.owner].append(milestone)
        if not by_owner:
            self.stdout.write("No milestone needs an update.")
            return
        interval = settings.MILESTONE_UPDATE_INTERVAL_DAYS
        for owner, owned in sorted(by_owner.items(), key=lambda pair: pair[0].username):
            name = owner.get_full_name() or owner.username
            self.stdout.write(f"{name} <{owner.email or 'no email'}>: {len(owned)} to update")
            for milestone in owned:
                self.stdout.write(f"  - {milestone.title} ({milestone.get_absolute_url()})")
            if list_only or not owner.email:
                continue
            lines = "\n".join(
                f"- {m.title}: {settings.SITE_URL}{m.get_absolute_url()}" for m in owned
            )
            send_mail(
                subject=f"{len(owned)} milestone{'s' if len(owned) != 1 else ''} to update",
                message=(
                    f"Hello {name},\n\nThese milestones you own have not been updated for "
                    f"{interval} days or more:\n\n{lines}\n\nStrategy Tracker"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[owner.email],
            )
        self.stdout.write(f"{len(by_owner)} owner{'s' if len(by_owner) != 1 else ''} reminded.")
