from django.core.management.base import BaseCommand
from django.utils import timezone

from reporting.cycle import open_due_periods


class Command(BaseCommand):
    help = (
        "Open every scheduled reporting period whose day has come (run daily; a period whose "
        "strategy still has an earlier period open waits)."
    )

    def handle(self, *args, **options):
        opened = open_due_periods(timezone.localdate())
        for period in opened:
            self.stdout.write(f"Opened {period}")
        self.stdout.write(f"{len(opened)} period(s) opened.")
