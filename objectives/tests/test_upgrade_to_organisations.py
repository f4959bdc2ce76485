"""The upgrade to organisations (issue 19, part 4): nobody loses access. Each global role
becomes that role in every existing organisation, named approvers become Approvers, provider
groups' roles reach every organisation, and the Django admin is left to site
administrators."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Migrates the database back and forth: `make test` and CI run them, `make test-fast` does not
# (it builds its database without migrations).
pytestmark = pytest.mark.slow
BEFORE = [("objectives", "0008_organisations_and_partners"), ("sso", "0002_provider_accounts")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_global_roles_become_memberships_of_every_organisation():
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    Group = old.get_model("auth", "Group")
    Organisation = old.get_model("objectives", "Organisation")
    Strategy = old.get_model("objectives", "Strategy")
    GroupRole = old.get_model("sso", "GroupRole")
    Organisation.objects.create(name="Trust")
    council = Organisation.objects.create(name="Council")
    board = User.objects.create(username="board")
    admin = User.objects.create(username="admin", is_staff=True)
    User.objects.create(username="root", is_staff=True, is_superuser=True)
    User.objects.create(username="nobody")
    board.groups.add(Group.objects.get(name="Board member"))
    admin.groups.add(Group.objects.get(name="Admin"), Group.objects.get(name="Programme lead"))
    plan = Strategy.objects.create(
        organisation=council,
        title="Plan",
        slug="plan",
        period_start="2024-04-01",
        period_end="2025-03-31",
    )
    plan.approvers.add(board)
    GroupRole.objects.create(group="st-leads", role="Programme lead")

    new = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Membership = new.get_model("objectives", "Membership")
    held = set(Membership.objects.values_list("user__username", "organisation__name", "role"))
    assert held == {
        ("board", "Trust", "Board member"),
        ("board", "Council", "Board member"),
        ("board", "Council", "Approver"),  # named approver of the Council's plan
        ("admin", "Trust", "Admin"),
        ("admin", "Council", "Admin"),
        ("admin", "Trust", "Programme lead"),
        ("admin", "Council", "Programme lead"),
    }
    users = new.get_model("auth", "User").objects
    assert not users.filter(groups__isnull=False).exists()  # the groups hold permissions only
    assert set(users.filter(is_staff=True).values_list("username", flat=True)) == {"root"}
    mapped = new.get_model("sso", "GroupRole").objects
    assert set(mapped.values_list("group", "organisation__name", "role")) == {
        ("st-leads", "Trust", "Programme lead"),
        ("st-leads", "Council", "Programme lead"),
    }


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_can_be_undone_without_losing_anyone_access():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    new = _migrate(latest)
    Organisation = new.get_model("objectives", "Organisation")
    Membership = new.get_model("objectives", "Membership")
    GroupRole = new.get_model("sso", "GroupRole")
    ada = new.get_model("auth", "User").objects.create(username="ada")
    for name in ("Trust", "Council"):
        organisation = Organisation.objects.create(name=name)
        Membership.objects.create(user=ada, organisation=organisation, role="Admin")
        GroupRole.objects.create(group="st-admins", organisation=organisation, role="Admin")
    try:
        old = _migrate(BEFORE)
        ada = old.get_model("auth", "User").objects.get(username="ada")
        assert ada.is_staff and list(ada.groups.values_list("name", flat=True)) == ["Admin"]
        mapped = old.get_model("sso", "GroupRole").objects
        assert list(mapped.values_list("group", "role")) == [("st-admins", "Admin")]
    finally:
        _migrate(latest)
