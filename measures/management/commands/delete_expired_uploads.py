from django.conf import settings
from django.core.management.base import BaseCommand

from measures.importing import delete_expired_uploads


class Command(BaseCommand):
    help = (
        "Delete uploaded CSV files of figures that were not imported within "
        "MEASURE_IMPORT_UNCONFIRMED_HOURS (48 by default). Imported files stay as the record. "
        "Run it from cron or a systemd timer, e.g. hourly."
    )

    def handle(self, *args, **options):
        count = delete_expired_uploads()
        hours = settings.MEASURE_IMPORT_UNCONFIRMED_HOURS
        self.stdout.write(
            f"Deleted {count} upload{'s' if count != 1 else ''} not imported within "
            f"{hours} hour{'s' if hours != 1 else ''}."
        )
