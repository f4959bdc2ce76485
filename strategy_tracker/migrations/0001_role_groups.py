from django.db import migrations


def create_role_groups(apps, schema_editor):
    from strategy_tracker.roles import ensure_role_groups

    ensure_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("objectives", "0001_initial"),
        ("milestones", "0001_initial"),
        ("measures", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
