from django.db import migrations


def recount_when_read(apps, schema_editor):
    """A closed quarter's report lists its changes by the rules of reporting/changes.py as it
    is drawn; its dashboard line shows the counts kept at close. Those rules changed (a
    finished milestone never "slipped", one restored from an archive is not "completed" this
    quarter), so each closed quarter's counts are counted again when next read
    (changes.kept_counts): this migration marks them, through the historical model only, so
    it runs whatever later migrations change."""
    Period = apps.get_model("reporting", "ReportingPeriod")
    Period.objects.filter(state="closed").update(change_counts={"recount": True})


class Migration(migrations.Migration):
    dependencies = [("reporting", "0016_kept_charts_name_a_years_figure")]

    operations = [migrations.RunPython(recount_when_read, migrations.RunPython.noop)]
