from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
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
        for person, subject in sent.reminded:
            self.stdout.write(f"{person.username} <{person.email}>: {subject}")
        self.stdout.write(f"{len(sent.reminded)} reminded.")
        for person in sent.no_address:
            self.stdout.write(f"{person.username}: not reminded, no e-mail address.")
        for person, why in sent.refused:
            self.stderr.write(f"{person.username} <{person.email}>: not sent ({why}).")
        if sent.refused:
            raise CommandError(
                f"{len(sent.refused)} reminder{pluralize(len(sent.refused))} not sent; the "
                "rest were."
            )
