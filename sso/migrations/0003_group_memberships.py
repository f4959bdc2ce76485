"""A provider group now gives a role in an organisation. Each existing mapping (group → role,
which reached every organisation) becomes that role in every existing organisation, so
nobody signing in loses access on upgrade. (With no organisation at all there is nothing a
mapping could give, and none is kept.) Undone, each group keeps one row per role."""

import django.db.models.deletion
from django.db import migrations, models


def spread_over_organisations(apps, schema_editor):
    GroupRole = apps.get_model("sso", "GroupRole")
    Organisation = apps.get_model("objectives", "Organisation")
    organisations = list(Organisation.objects.all())
    for mapping in list(GroupRole.objects.filter(organisation__isnull=True)):
        for organisation in organisations:
            GroupRole.objects.get_or_create(
                group=mapping.group, role=mapping.role, organisation=organisation
            )
        mapping.delete()


def one_per_role(apps, schema_editor):
    GroupRole = apps.get_model("sso", "GroupRole")
    kept = set()
    for mapping in GroupRole.objects.order_by("pk"):
        if (mapping.group, mapping.role) in kept:
            mapping.delete()
        else:
            kept.add((mapping.group, mapping.role))
            GroupRole.objects.filter(pk=mapping.pk).update(organisation=None)


class Migration(migrations.Migration):
    dependencies = [
        ("sso", "0002_provider_accounts"),
        ("objectives", "0009_memberships_from_roles"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="grouprole", name="group_role_once"),
        migrations.AddField(
            model_name="grouprole",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="provider_groups",
                to="objectives.organisation",
            ),
        ),
        migrations.RunPython(spread_over_organisations, one_per_role),
        migrations.AlterField(
            model_name="grouprole",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="provider_groups",
                to="objectives.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="grouprole",
            name="role",
            field=models.CharField(
                choices=[
                    ("Board member", "Board member"),
                    ("Programme lead", "Programme lead"),
                    ("Admin", "Admin"),
                    ("Approver", "Approver"),
                ],
                max_length=50,
            ),
        ),
        migrations.AlterModelOptions(
            name="grouprole",
            options={
                "ordering": ["group", "organisation__name", "role"],
                "verbose_name": "provider group's role",
            },
        ),
        migrations.AddConstraint(
            model_name="grouprole",
            constraint=models.UniqueConstraint(
                fields=("group", "organisation", "role"), name="group_membership_once"
            ),
        ),
    ]
