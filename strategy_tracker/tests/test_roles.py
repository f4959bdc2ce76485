import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from objectives.models import Membership, Organisation
from strategy_tracker.roles import (
    ADMIN,
    APPROVER,
    BOARD_MEMBER,
    PROGRAMME_LEAD,
    is_admin,
    organisations_where,
    user_roles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def organisation(db):
    """Roles are held in an organisation: the fixtures' people hold theirs in this one."""
    return Organisation.objects.create(name="Trust")


def test_the_four_role_groups_hold_the_roles_permissions_and_nobody():
    groups = Group.objects.filter(name__in=[BOARD_MEMBER, PROGRAMME_LEAD, ADMIN, APPROVER])
    assert groups.count() == 4
    assert not get_user_model().objects.filter(groups__in=groups).exists()


def test_a_board_member_reads_everything_and_changes_nothing(board_member):
    assert board_member.has_perm("objectives.view_strategy")
    assert board_member.has_perm("milestones.view_milestone")
    assert board_member.has_perm("measures.view_measurevalue")
    assert not board_member.has_perm("milestones.update_own_milestone")
    assert not board_member.has_perm("milestones.change_milestone")
    assert not board_member.has_perm("measures.import_measurevalue")


def test_a_programme_lead_may_update_only_their_own_milestones(programme_lead):
    assert programme_lead.has_perm("objectives.view_strategy")
    assert programme_lead.has_perm("milestones.update_own_milestone")
    assert not programme_lead.has_perm("milestones.change_milestone")
    assert not programme_lead.has_perm("measures.import_measurevalue")
    assert not programme_lead.has_perm("objectives.change_strategy")


def test_an_admin_may_import_figures_and_edit_everything(admin_user):
    for perm in [
        "measures.import_measurevalue",
        "objectives.change_strategy",
        "objectives.add_priority",
        "milestones.change_milestone",
        "measures.change_measure",
    ]:
        assert admin_user.has_perm(perm), perm


def test_no_role_may_delete_anything(board_member, programme_lead, admin_user):
    for user in (board_member, programme_lead, admin_user):
        perms = user.get_all_permissions()
        assert perms, user
        assert not [p for p in perms if ".delete_" in p], user


def test_roles_are_read_from_memberships(board_member, admin_user, make_user, organisation):
    assert user_roles(board_member) == {BOARD_MEMBER}
    assert is_admin(admin_user) and organisations_where(admin_user, ADMIN) == {organisation.pk}
    assert not is_admin(board_member) and organisations_where(board_member, ADMIN) == set()
    assert user_roles(make_user("nobody")) == set()


def test_someone_in_no_organisation_holds_no_permission(make_user, organisation):
    nobody = make_user("nobody")
    assert nobody.get_all_permissions() == set()
    Membership.objects.create(user=nobody, organisation=organisation, role=ADMIN)
    again = get_user_model().objects.get(pk=nobody.pk)  # permissions are read once per object
    assert again.has_perm("measures.import_measurevalue")
    Membership.objects.filter(user=nobody).delete()
    assert not get_user_model().objects.get(pk=nobody.pk).has_perm("objectives.view_strategy")


def test_an_inactive_member_holds_no_permission(admin_user):
    admin_user.is_active = False
    admin_user.save()
    assert get_user_model().objects.get(pk=admin_user.pk).get_all_permissions() == set()


def test_a_role_group_joined_directly_gives_no_permission(make_user, django_assert_num_queries):
    """A role's permissions come only with the role held in an organisation: someone put in
    its group some other way (a script, the shell) gets nothing from it, and nobody's
    permissions cost a query for their groups."""
    outsider = make_user("outsider")
    outsider.groups.add(Group.objects.get(name=ADMIN))
    fresh = get_user_model().objects.get(pk=outsider.pk)
    # Their own permissions, and their memberships' roles: no query for their groups.
    with django_assert_num_queries(2):
        assert fresh.get_all_permissions() == set()
    assert not fresh.has_perm("measures.import_measurevalue")


def test_a_permission_given_to_a_person_directly_still_counts(make_user):
    """A site administrator may give one person a permission in the user admin."""
    from django.contrib.auth.models import Permission

    person = make_user("person")
    person.user_permissions.add(Permission.objects.get(codename="import_measurevalue"))
    assert get_user_model().objects.get(pk=person.pk).has_perm("measures.import_measurevalue")


def test_a_persons_own_and_role_permissions_are_read_in_one_query(
    make_user, organisation, django_assert_num_queries
):
    """Their memberships' roles, then both kinds of permission together: the preview of an
    import checks one on each request (docs/performance.md)."""
    from django.contrib.auth.models import Permission

    person = make_user("person")
    Membership.objects.create(user=person, organisation=organisation, role=BOARD_MEMBER)
    person.user_permissions.add(Permission.objects.get(codename="import_measurevalue"))
    fresh = get_user_model().objects.get(pk=person.pk)
    with django_assert_num_queries(2):
        perms = fresh.get_all_permissions()
        assert fresh.has_perm("measures.import_measurevalue")
        assert fresh.has_perm("objectives.view_strategy")
    assert "measures.import_measurevalue" in perms and "milestones.view_milestone" in perms
    assert not fresh.has_perm("objectives.change_strategy")
    assert fresh.has_module_perms("measures") and not fresh.has_module_perms("auth")
    group_perms = Permission.objects.filter(group__name=BOARD_MEMBER)
    assert perms == {f"{p.content_type.app_label}.{p.codename}" for p in group_perms} | {
        "measures.import_measurevalue"
    }


def test_a_role_held_twice_or_several_roles_give_each_permission_once(
    make_user, organisation, django_assert_num_queries
):
    from django.contrib.auth.models import Permission

    other = Organisation.objects.create(name="Council")
    person = make_user("person")
    for where, role in ((organisation, ADMIN), (other, ADMIN), (other, PROGRAMME_LEAD)):
        Membership.objects.create(user=person, organisation=where, role=role)
    perms = get_user_model().objects.get(pk=person.pk).get_all_permissions()
    held = Permission.objects.filter(group__name__in=[ADMIN, PROGRAMME_LEAD]).distinct()
    assert perms == {f"{p.content_type.app_label}.{p.codename}" for p in held}


def test_a_site_administrator_holds_every_permission_and_a_role_its_apps(
    make_user, organisation, board_member
):
    """As Django's ModelBackend gives them: every permission to an active superuser; and a
    role's permissions name the apps it works in (has_module_perms, `perms.app`)."""
    from django.contrib.auth.models import Permission

    site = get_user_model().objects.create_superuser("site", "site@example.org", "x")
    every = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()}
    fresh = get_user_model().objects.get(pk=site.pk)
    assert fresh.get_all_permissions() == every
    assert fresh.get_user_permissions() <= fresh.get_all_permissions()
    member = get_user_model().objects.get(pk=board_member.pk)
    assert member.has_module_perms("objectives") and member.has_module_perms("milestones")
    assert not member.has_module_perms("auth") and not member.has_module_perms("risks")
