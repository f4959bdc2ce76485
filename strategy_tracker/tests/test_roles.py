import pytest
from django.contrib.auth.models import Group

from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD, is_admin, user_roles

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        BOARD_MEMBER,
        PROGRAMME_LEAD,
        ADMIN,
    }


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


def test_roles_are_read_from_groups(board_member, admin_user, make_user):
    assert user_roles(board_member) == {BOARD_MEMBER}
    assert is_admin(admin_user)
    assert not is_admin(board_member)
    assert user_roles(make_user("nobody")) == set()
