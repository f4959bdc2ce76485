from django.db import migrations, models


def word_restated_periods(apps, schema_editor):
    """Closed quarters kept a restated figure's period by its day alone, so "what changed"
    named a year's figure ("2023/24") by the month it ends ("Mar 2024"). The wording each such
    figure has now is kept with it, as 0016 kept the charts' wordings."""
    SnapshotItem = apps.get_model("reporting", "SnapshotItem")
    MeasureValue = apps.get_model("measures", "MeasureValue")
    rows = SnapshotItem.objects.filter(restated_period_end__isnull=False).only(
        "object_id", "restated_period_end", "chart"
    )
    worded = []
    for row in rows.iterator(chunk_size=500):
        day = row.restated_period_end.isoformat()
        chart = row.chart or {}
        if any(point[0] == day for point in chart.get("points", [])):
            # Charted: as the board was shown it then (0016 kept the chart's wordings), not
            # as the figure at that day may be worded since.
            text = chart.get("wordings", {}).get(day, "")
        else:
            text = (
                MeasureValue.objects.filter(
                    measure_id=row.object_id, period_end=row.restated_period_end
                )
                .values_list("period_text", flat=True)
                .first()
            )
        if text:
            row.restated_period_text = text
            worded.append(row)
    SnapshotItem.objects.bulk_update(worded, ["restated_period_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0017_recount_kept_changes"),
        ("measures", "0020_rates_per_10000_and_100000"),
    ]

    operations = [
        migrations.AddField(
            model_name="snapshotitem",
            name="restated_period_text",
            field=models.CharField(
                blank=True, help_text="The source's own wording of that period.", max_length=100
            ),
        ),
        migrations.RunPython(word_restated_periods, migrations.RunPython.noop),
    ]
