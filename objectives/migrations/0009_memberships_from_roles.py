"""Nobody loses access on upgrade: each global role a person held (a Django group) becomes
that role in every existing organisation, and each strategy's named approvers become
Approvers of its organisation. The role groups keep only their permissions, and staff status
(the Django admin) is left to site administrators."""

from django.db import migrations

ROLES = ("Board member", "Programme lead", "Admin")
APPROVER = "Approver"


def roles_to_memberships(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("objectives", "Membership")
    Organisation = apps.get_model("objectives", "Organisation")
    Strategy = apps.get_model("objectives", "Strategy")
    organisations = list(Organisation.objects.all())
    if not organisations:
        return  # nobody could hold a role anywhere yet: the groups keep who held what
    wanted = set()
    for group in Group.objects.filter(name__in=ROLES):
        for user in group.user_set.all():
            wanted.update((user.pk, org.pk, group.name) for org in organisations)
        group.user_set.clear()
    for strategy in Strategy.objects.all():
        for user in strategy.approvers.all():
            wanted.add((user.pk, strategy.organisation_id, APPROVER))
    Membership.objects.bulk_create(
        [Membership(user_id=u, organisation_id=o, role=r) for u, o, r in sorted(wanted)],
        ignore_conflicts=True,
    )
    # The Django admin is now the site administrators' alone; staff status follows.
    User = apps.get_model("auth", "User")
    User.objects.filter(is_staff=True, is_superuser=False).update(is_staff=False)


def memberships_to_roles(apps, schema_editor):
    """Back to global roles: whoever held a role anywhere holds it everywhere again, and
    Admins reach the Django admin again."""
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("objectives", "Membership")
    for group in Group.objects.filter(name__in=ROLES):
        users = Membership.objects.filter(role=group.name).values_list("user_id", flat=True)
        group.user_set.add(*set(users))
    User = apps.get_model("auth", "User")
    User.objects.filter(groups__name="Admin").update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("objectives", "0008_organisations_and_partners"),
        # Not on strategy_tracker's role groups migration, which needs every app's
        # permissions: on an upgrade it ran long ago; on a new database there is nobody yet.
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(roles_to_memberships, memberships_to_roles)]
