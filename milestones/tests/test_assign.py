import pytest
from django.urls import reverse

from milestones.models import Milestone, MilestoneDelegate
from objectives.models import Membership
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.factories import make_milestone

pytestmark = pytest.mark.django_db


def _assign_url(m):
    return reverse("milestones:assign", args=["eput", "1", 1, m.pk])


def _as_shown(milestone, **changes) -> dict:
    """The form as the page shows it for this milestone, with `changes` made."""
    delegates = sorted(milestone.delegates.values_list("pk", flat=True))
    data = {
        "owner": milestone.owner_id or "",
        "delegates": delegates,
        "read_owner": str(milestone.owner_id or ""),
        "read_delegates": ",".join(map(str, delegates)),
    }
    return data | changes


def test_an_admin_assigns_an_owner_and_removes_a_delegate(
    client, admin_user, milestone, other_lead, delegate
):
    client.force_login(admin_user)
    response = client.post(
        _assign_url(milestone), _as_shown(milestone, owner=other_lead.pk, delegates=[])
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.owner == other_lead
    assert milestone.owner_assigned_at is not None
    assert list(milestone.delegates.all()) == []
    latest = milestone.history.first()
    assert latest.history_user == admin_user
    assert latest.history_change_reason == "Delegates: Dee Deputy → none"


def test_the_form_shows_the_owner_and_delegates_as_saved(client, admin_user, milestone, delegate):
    client.force_login(admin_user)
    form = client.get(milestone.get_absolute_url()).context["assign_form"]
    assert form.initial["owner"] == milestone.owner_id
    assert form.initial["delegates"] == [delegate.pk]


def test_saving_the_form_as_shown_changes_nothing(client, admin_user, milestone, delegate):
    client.force_login(admin_user)
    before = (milestone.owner_id, milestone.version, milestone.history.count())
    response = client.post(_assign_url(milestone), _as_shown(milestone), follow=True)
    assert "nothing was changed" in response.content.decode()
    milestone.refresh_from_db()
    assert (milestone.owner_id, milestone.version, milestone.history.count()) == before
    assert list(milestone.delegates.all()) == [delegate]


def test_an_admin_can_take_the_owner_off(client, admin_user, milestone):
    client.force_login(admin_user)
    assert client.post(_assign_url(milestone), _as_shown(milestone, owner="")).status_code == 302
    milestone.refresh_from_db()
    assert milestone.owner is None and milestone.owner_assigned_at is None


def test_a_delegate_added_by_another_admin_meanwhile_is_kept(
    client, admin_user, milestone, other_lead, make_user
):
    from strategy_tracker.roles import PROGRAMME_LEAD

    shown = _as_shown(milestone)  # this Admin opened the page with no delegates
    third = make_user("third", PROGRAMME_LEAD, first_name="Tam", last_name="Third")
    milestone.assign(by=admin_user, add_delegates=[third])  # someone else adds Tam
    client.force_login(admin_user)
    response = client.post(_assign_url(milestone), shown | {"delegates": [other_lead.pk]})
    assert response.status_code == 302
    assert set(milestone.delegates.all()) == {third, other_lead}


def test_an_owner_changed_meanwhile_is_a_conflict_and_nothing_is_saved(
    client, admin_user, milestone, other_lead, make_user
):
    from strategy_tracker.roles import PROGRAMME_LEAD

    shown = _as_shown(milestone)
    third = make_user("third", PROGRAMME_LEAD, first_name="Tam", last_name="Third")
    milestone.assign(by=admin_user, owner=third)
    client.force_login(admin_user)
    response = client.post(_assign_url(milestone), shown | {"owner": other_lead.pk})
    assert response.status_code == 400
    assert "Someone made Tam Third the owner while you had this page open" in (
        response.content.decode()
    )
    milestone.refresh_from_db()
    assert milestone.owner == third
    # The Admin's choice is kept in the form, now against the new owner: saving again works.
    again = response.context["assign_form"]
    assert again["owner"].value() == str(other_lead.pk)
    assert client.post(_assign_url(milestone), again.data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.owner == other_lead


def test_a_board_member_cannot_be_made_an_owner(client, admin_user, milestone, board_member):
    client.force_login(admin_user)
    response = client.post(_assign_url(milestone), _as_shown(milestone, owner=board_member.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.owner != board_member


def test_bulk_assignment_from_a_filtered_list(client, admin_user, milestone, other_lead):
    at_risk = make_milestone(milestone.objective, title="At risk one", status="at_risk")
    make_milestone(milestone.objective, title="Complete one", status="complete")
    client.force_login(admin_user)

    page = client.get(reverse("milestones:bulk_assign") + "?status=at_risk")
    assert [m.title for m in page.context["milestones"]] == ["At risk one"]

    response = client.post(
        reverse("milestones:bulk_assign") + "?status=at_risk",
        {
            "milestones": [at_risk.pk, milestone.pk],
            "shown": [f"{at_risk.pk}:", f"{milestone.pk}:{milestone.owner_id or ''}"],
            "owner": other_lead.pk,
            "add_delegates": [admin_user.pk],
        },
    )
    assert response.status_code == 302
    for m in Milestone.objects.filter(pk__in=[at_risk.pk, milestone.pk]):
        assert m.owner == other_lead
        assert list(m.delegates.all()) == [admin_user]
    assert Milestone.objects.get(title="Complete one").owner is None


def test_bulk_assignment_keeps_an_owner_set_meanwhile(
    client, admin_user, milestone, other_lead, make_user
):
    """Two Admins open the list; one gives a milestone a new owner on its own page; the other's
    bulk assignment, from the list as it was, is refused rather than undo that unseen."""
    client.force_login(admin_user)
    page = client.get(reverse("milestones:bulk_assign")).content.decode()
    shown = f"{milestone.pk}:{milestone.owner_id or ''}"
    assert f'name="shown" value="{shown}"' in page
    second = make_milestone(milestone.objective, title="Second one")
    Milestone.objects.filter(pk=milestone.pk).update(owner=other_lead)  # the other Admin
    response = client.post(
        reverse("milestones:bulk_assign"),
        {
            "milestones": [milestone.pk, second.pk],
            "shown": [shown, f"{second.pk}:"],
            "owner": admin_user.pk,
        },
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "someone changed the owner of 1 of the ticked milestones" in text
    assert f"“{milestone.title}” (owner now: {other_lead.get_full_name()})" in text
    assert Milestone.objects.get(pk=milestone.pk).owner == other_lead
    assert Milestone.objects.get(pk=second.pk).owner is None  # all or nothing
    # The list now shows the owner as it is; assigning again from it goes through.
    assert f'name="shown" value="{milestone.pk}:{other_lead.pk}"' in text
    response = client.post(
        reverse("milestones:bulk_assign"),
        {
            "milestones": [milestone.pk, second.pk],
            "shown": [f"{milestone.pk}:{other_lead.pk}", f"{second.pk}:"],
            "owner": admin_user.pk,
        },
    )
    assert response.status_code == 302
    assert set(Milestone.objects.filter(owner=admin_user).values_list("pk", flat=True)) == {
        milestone.pk,
        second.pk,
    }


def test_a_bulk_owner_without_the_owners_shown_is_refused(
    client, admin_user, milestone, other_lead
):
    client.force_login(admin_user)
    before = milestone.owner_id
    second = make_milestone(milestone.objective, title="Second one")
    response = client.post(
        reverse("milestones:bulk_assign"),
        # The second ticked milestone's owner as shown is missing: a post not from the page.
        {
            "milestones": [milestone.pk, second.pk],
            "shown": [f"{milestone.pk}:{before or ''}"],
            "owner": other_lead.pk,
        },
    )
    assert response.status_code == 400
    assert "This form is incomplete: reload the page and try again." in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).owner_id == before
    assert Milestone.objects.get(pk=second.pk).owner_id is None


def test_bulk_delegates_alone_need_no_owner_check(client, admin_user, milestone, other_lead):
    client.force_login(admin_user)
    Milestone.objects.filter(pk=milestone.pk).update(owner=other_lead)
    response = client.post(
        reverse("milestones:bulk_assign"),
        {
            "milestones": [milestone.pk],
            "shown": [f"{milestone.pk}:"],
            "add_delegates": [admin_user.pk],
        },
    )
    assert response.status_code == 302  # adding a delegate undoes nobody's change
    assert list(Milestone.objects.get(pk=milestone.pk).delegates.all()) == [admin_user]


@pytest.mark.parametrize("huge", ["99999999999999999999", "9223372036854775808"])
def test_an_impossible_id_in_what_the_form_showed_is_ignored(
    client, admin_user, milestone, delegate, huge
):
    """An id no row can have (SQLite refused to compare one, a 500) names nobody."""
    client.force_login(admin_user)
    data = _as_shown(milestone, read_delegates=f"{delegate.pk},{huge}")
    response = client.post(_assign_url(milestone), data)
    assert response.status_code == 302
    assert list(milestone.delegates.all()) == [delegate]


def test_bulk_assignment_with_nothing_ticked_changes_nothing(
    client, admin_user, milestone, other_lead
):
    client.force_login(admin_user)
    response = client.post(reverse("milestones:bulk_assign"), {"owner": other_lead.pk})
    assert response.status_code == 400
    assert "Tick at least one milestone" in response.content.decode()
    assert '<a href="#milestones-list">Milestones: Tick at least one milestone.</a>' in (
        response.content.decode()
    )
    milestone.refresh_from_db()
    assert milestone.owner != other_lead


def test_bulk_assignment_with_nobody_chosen_links_the_error_to_the_owner(
    client, admin_user, milestone
):
    client.force_login(admin_user)
    response = client.post(reverse("milestones:bulk_assign"), {"milestones": [milestone.pk]})
    assert response.status_code == 400
    assert '<a href="#assign-owner">Choose an owner, or delegates to add or remove.</a>' in (
        response.content.decode()
    )


def test_the_lists_of_people_follow_roles_names_and_leavers(
    client, admin_user, milestone, make_user
):
    from objectives.models import Membership
    from strategy_tracker.roles import PROGRAMME_LEAD

    client.force_login(admin_user)
    page = milestone.get_absolute_url()
    newcomer = make_user("newcomer", first_name="Nia", last_name="Newcomer")
    assert "Nia Newcomer" not in client.get(page).content.decode()  # no role yet

    organisation = milestone.objective.priority.strategy.organisation
    Membership.objects.create(user=newcomer, organisation=organisation, role=PROGRAMME_LEAD)
    assert client.get(page).content.decode().count("Nia Newcomer") == 2  # owner, delegates

    newcomer.first_name = "Nina"
    newcomer.save()
    html = client.get(page).content.decode()
    assert "Nina Newcomer" in html and "Nia Newcomer" not in html

    newcomer.is_active = False
    newcomer.save()
    assert "Nina Newcomer" not in client.get(page).content.decode()


def test_someone_who_lost_the_role_stays_listed_while_they_hold_the_milestone(
    client, admin_user, milestone, programme_lead
):
    programme_lead.groups.clear()
    client.force_login(admin_user)
    form = client.get(milestone.get_absolute_url()).context["assign_form"]
    assert programme_lead in form.fields["owner"].queryset
    response = client.post(_assign_url(milestone), _as_shown(milestone))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.owner == programme_lead


def test_the_owner_cannot_also_be_made_a_delegate(client, admin_user, milestone):
    client.force_login(admin_user)
    response = client.post(
        _assign_url(milestone), _as_shown(milestone, delegates=[milestone.owner_id])
    )
    assert response.status_code == 400
    assert "The owner updates the milestone already" in response.content.decode()
    assert not milestone.delegates.exists()


def test_bulk_assignment_says_to_whom(client, admin_user, milestone, other_lead):
    client.force_login(admin_user)
    response = client.post(
        reverse("milestones:bulk_assign"),
        {
            "milestones": [milestone.pk],
            "shown": [f"{milestone.pk}:{milestone.owner_id or ''}"],
            "owner": other_lead.pk,
        },
        follow=True,
    )
    assert "Assigned 1 milestone to Lena Other." in response.content.decode()


def test_bulk_assignment_never_makes_an_owner_their_own_delegate(
    client, admin_user, milestone, other_lead
):
    client.force_login(admin_user)
    url, shown = reverse("milestones:bulk_assign"), [f"{milestone.pk}:{milestone.owner_id}"]
    both = {"milestones": [milestone.pk], "shown": shown, "owner": other_lead.pk}
    response = client.post(url, both | {"add_delegates": [other_lead.pk]})
    assert response.status_code == 400
    assert "do not add them as a delegate too" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.owner_id != other_lead.pk and not milestone.delegates.exists()
    # Added as a delegate to milestones one of which they own: not to that one.
    owner = milestone.owner
    delegates = {"milestones": [milestone.pk], "shown": shown, "add_delegates": [owner.pk]}
    assert client.post(url, delegates).status_code == 302
    assert not milestone.delegates.exists()


def test_a_delegate_who_lost_the_role_can_still_be_taken_off_in_bulk(
    client, admin_user, milestone, make_user
):
    leaver = make_user("leaver", PROGRAMME_LEAD)
    MilestoneDelegate.objects.create(milestone=milestone, user=leaver)
    Membership.objects.filter(user=leaver).delete()
    client.force_login(admin_user)

    def remove(person):
        data = {"milestones": [milestone.pk], "shown": [f"{milestone.pk}:"]}
        return client.post(
            reverse("milestones:bulk_assign"), data | {"remove_delegates": [person.pk]}
        )

    assert remove(leaver).status_code == 302
    assert not milestone.delegates.exists()
    # Nobody who is not a delegate, and holds no role, can be named.
    assert remove(make_user("stranger")).status_code == 400


def test_a_delegate_given_the_milestone_in_bulk_stops_being_its_delegate(
    client, admin_user, milestone, other_lead
):
    MilestoneDelegate.objects.create(milestone=milestone, user=other_lead)
    client.force_login(admin_user)
    response = client.post(
        reverse("milestones:bulk_assign"),
        {
            "milestones": [milestone.pk],
            "shown": [f"{milestone.pk}:{milestone.owner_id or ''}"],
            "owner": other_lead.pk,
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.owner == other_lead and not milestone.delegates.exists()
    assert "Delegates: Lena Other → none" in milestone.history.first().history_change_reason
