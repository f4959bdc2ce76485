import datetime as dt

from django.db import migrations

from measures.periods import own_wording
from reporting.charts import figure

BATCH = 500


def name_points_as_their_sources_did(apps, schema_editor):
    """Each closed quarter's charts named a year's figure ("2023") by the month it ends
    ("Dec 2023") on its axis, its points and its words. The wording each figure has now is
    kept with the chart, and the chart drawn again (as 0010 drew them)."""
    SnapshotItem = apps.get_model("reporting", "SnapshotItem")
    MeasureValue = apps.get_model("measures", "MeasureValue")
    rows = (
        SnapshotItem.objects.exclude(chart={})
        .only("object_id", "title", "number", "chart", "unit")
        .order_by("pk")
    )
    drawn = []
    for row in rows.iterator(chunk_size=BATCH):
        days = [dt.date.fromisoformat(p[0]) for p in row.chart.get("points", [])]
        texts = MeasureValue.objects.filter(measure_id=row.object_id, period_end__in=days)
        wordings = {
            day.isoformat(): own_wording(text)
            for day, text in texts.values_list("period_end", "period_text")
            if own_wording(text)
        }
        if not wordings:
            continue
        row.chart = row.chart | {"wordings": wordings}
        row.chart_figure = figure(row.object_id, row.title, row.number, row.chart, row.unit)
        drawn.append(row)
        if len(drawn) == BATCH:
            SnapshotItem.objects.bulk_update(drawn, ["chart", "chart_figure"])
            drawn = []
    SnapshotItem.objects.bulk_update(drawn, ["chart", "chart_figure"])


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0015_returns_counted_from"),
        ("measures", "0019_reading_keeps_the_periods_wording"),
    ]

    operations = [
        migrations.RunPython(name_points_as_their_sources_did, migrations.RunPython.noop),
    ]
