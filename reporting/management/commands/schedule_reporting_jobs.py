from django.core.management.base import BaseCommand

from measures.fingertips_tasks import schedule_weekly_fetch
from reporting.tasks import schedule_daily_jobs


class Command(BaseCommand):
    help = (
        "Book the daily reporting jobs (open the scheduled periods whose day has come, send "
        "the day's return reminders) with the task worker, unless they are booked already. "
        "Each run books the next, at 06:00. Also books the weekly fetch of national "
        "indicators from Fingertips (Mondays 05:30). make run runs this before starting the "
        "worker."
    )

    def handle(self, *args, **options):
        if schedule_daily_jobs():
            self.stdout.write("Daily reporting jobs booked: the first runs now.")
        else:
            self.stdout.write("Daily reporting jobs were already booked.")
        if schedule_weekly_fetch():
            self.stdout.write("Weekly fetch of national indicators booked for next Monday.")
