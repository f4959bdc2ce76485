from django.core.management.base import BaseCommand

from measures import readings


class Command(BaseCommand):
    help = (
        "Work out again every measure's stored SPC reading that is stale, now, as the task "
        "worker does after values are written and in its daily run. For after an upgrade that "
        "changed how readings are worked out (every reading is then stale, and pages work "
        "them out as they are read, more slowly, until this or the daily run)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{readings.refresh()} readings worked out again.")
