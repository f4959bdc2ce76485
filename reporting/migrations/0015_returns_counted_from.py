import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def keep_when_returns_counted_from(apps, schema_editor):
    """A closed period keeps what it counted from when it closed (its report says so); an
    open one counts, from now on, from no earlier than the quarter before it closed."""
    Period = apps.get_model("reporting", "ReportingPeriod")
    for period in Period.objects.exclude(opened_at=None).order_by("strategy_id", "year", "quarter"):
        first_day = timezone.make_aware(dt.datetime.combine(period.opens_on, dt.time.min))
        start = min(period.opened_at, first_day)
        if period.state == "open":
            before = (
                Period.objects.filter(strategy_id=period.strategy_id, state="closed")
                .filter(
                    models.Q(year__lt=period.year)
                    | models.Q(year=period.year, quarter__lt=period.quarter)
                )
                .order_by("-year", "-quarter")
                .first()
            )
            if before and before.closed_at and before.closed_at > start:
                start = before.closed_at
        Period.objects.filter(pk=period.pk).update(returns_counted_from=start)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0014_reminder_day_once"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalreportingperiod",
            name="returns_counted_from",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="reportingperiod",
            name="returns_counted_from",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(keep_when_returns_counted_from, migrations.RunPython.noop),
    ]
