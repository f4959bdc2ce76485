from django.core.management.base import BaseCommand
from django.utils import timezone

from reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail every owner and delegate whose milestones still need this quarter's update in "
        "an open reporting period, naming each period and its deadline (late ones flagged). "
        "Run it weekly while periods are open, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list-only", action="store_true", help="List, send no email.")

    def handle(self, *args, list_only: bool = False, **options):
        sent = send_reminders(timezone.localdate(), list_only=list_only)
        for person, subject in sent:
            self.stdout.write(f"{person.username} <{person.email or 'no email'}>: {subject}")
        self.stdout.write(f"{len(sent)} reminded.")
