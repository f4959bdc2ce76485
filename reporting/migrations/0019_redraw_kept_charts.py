from django.db import migrations

from reporting.charts import figure

BATCH = 500


def redraw(apps, schema_editor):
    """Each closed quarter's charts are drawn again from the data kept with them: an axis
    label of a million or more ("1,800,000") lost its first digit, now "1.8m"; and a period's
    own wording on an axis or a point is escaped, as it was not. A board pack made before of a
    quarter redrawn here, or whose restated figures 0018 worded, is not offered as it was."""
    SnapshotItem = apps.get_model("reporting", "SnapshotItem")
    changed = set(
        SnapshotItem.objects.exclude(restated_period_text="").values_list("period_id", flat=True)
    )
    rows = (
        SnapshotItem.objects.exclude(chart={})
        .only("period_id", "object_id", "title", "number", "chart", "unit", "chart_figure")
        .order_by("pk")
    )
    drawn = []
    for row in rows.iterator(chunk_size=BATCH):
        again = figure(row.object_id, row.title, row.number, row.chart, row.unit)
        if again == row.chart_figure:
            continue
        row.chart_figure = again
        changed.add(row.period_id)
        drawn.append(row)
        if len(drawn) == BATCH:
            SnapshotItem.objects.bulk_update(drawn, ["chart_figure"])
            drawn = []
    SnapshotItem.objects.bulk_update(drawn, ["chart_figure"])
    BoardPack = apps.get_model("reporting", "BoardPack")
    BoardPack.objects.filter(state="done", periods__in=changed).update(
        state="failed",
        pdf=None,
        failure="Made before an upgrade corrected its quarter's report (its charts' axis labels, "
        "how restated figures are named): make the pack again to have the report as it is.",
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0018_restated_period_text")]

    operations = [migrations.RunPython(redraw, migrations.RunPython.noop)]
