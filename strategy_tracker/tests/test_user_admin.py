"""People in the Django admin (issue 15, finding 1): an Admin manages roles and activation of
people who are not superusers; nobody sets another person's password; only a superuser
touches a superuser."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.urls import reverse

from conftest import TEST_PASSWORD
from milestones.tests.posted_forms import form_as_posted
from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.invalid", TEST_PASSWORD, first_name="Ruth", last_name="Root"
    )


@pytest.fixture
def lead(programme_lead):
    programme_lead.email = "lee.lead@example.invalid"
    programme_lead.save()
    return programme_lead


def _role(name: str) -> str:
    return str(Group.objects.get(name=name).pk)


def _change_url(user: User) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def _as_posted(client, user: User, **changes) -> dict:
    """The user's change form as a browser would post it, with `changes` made."""
    page = client.get(_change_url(user))
    assert page.status_code == 200
    data = form_as_posted(page.content.decode(), form_id="user_form") | {"_save": ["Save"]}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)  # an unticked box or an emptied list sends nothing
        else:
            data[name] = value if isinstance(value, list) else [value]
    return data


def _snapshot(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.username,
        user.first_name,
        user.last_name,
        user.email,
        user.password,
        user.is_active,
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


# Passwords: nobody sets another person's.


@pytest.mark.parametrize("target", ["lead", "other_admin", "superuser", "self"])
def test_an_admin_cannot_set_anyones_password_in_the_admin(
    client, admin_user, lead, superuser, make_user, target
):
    other_admin = make_user("admin2", ADMIN, is_staff=True)
    user = {"lead": lead, "other_admin": other_admin, "superuser": superuser, "self": admin_user}
    user = user[target]
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    before = _snapshot(user)

    page = client.get(url)
    posted = client.post(
        url,
        {
            "password1": "Taken-over-2026!",
            "password2": "Taken-over-2026!",
            "set_usable_password": "true",
        },
    )

    assert page.status_code == posted.status_code == 403
    assert "send them a password reset link" in page.content.decode()
    assert "Nothing was changed" in page.content.decode()  # the site's own 403 page
    assert _snapshot(user) == before


def test_a_superuser_cannot_set_another_persons_password_either(client, superuser, lead):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[lead.pk])
    response = client.post(
        url,
        {
            "password1": "Taken-over-2026!",
            "password2": "Taken-over-2026!",
            "set_usable_password": "true",
        },
    )
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.check_password(TEST_PASSWORD)


def test_the_change_form_offers_a_reset_link_instead_of_a_password(client, admin_user, lead):
    client.force_login(admin_user)
    page = client.get(_change_url(lead)).content.decode()
    assert "Send a password reset link" in page
    assert reverse("admin:auth_user_password_reset_link", args=[lead.pk]) in page
    assert "../password/" not in page
    assert reverse("admin:auth_user_password_change", args=[lead.pk]) not in page


def test_an_admin_sends_one_person_a_reset_link_built_on_site_url(
    client, admin_user, lead, settings
):
    settings.SITE_URL = "https://tracker.example.nhs.uk"
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_reset_link", args=[lead.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "lee.lead@example.invalid" in confirm.content.decode()
    assert mail.outbox == []  # asking to confirm sends nothing

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == _change_url(lead)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lee.lead@example.invalid"]
    assert "https://tracker.example.nhs.uk/accounts/reset/" in mail.outbox[0].body
    assert "Ada Admin" in mail.outbox[0].body
    lead.refresh_from_db()
    assert lead.check_password(TEST_PASSWORD)  # the password is the lead's until they use it


# Superusers: only a superuser touches one.


def test_an_admin_cannot_change_a_superuser_in_any_way(client, admin_user, superuser):
    client.force_login(admin_user)
    page = client.get(_change_url(superuser))
    assert page.status_code == 200  # readable ...
    assert page.context["has_change_permission"] is False  # ... and read-only
    assert "Send a password reset link" not in page.content.decode()
    before = _snapshot(superuser)

    response = client.post(
        _change_url(superuser),
        {
            "username": "taken",
            "first_name": "Taken",
            "last_name": "Over",
            "email": "attacker@example.invalid",
            "groups": [_role(BOARD_MEMBER)],
            "is_superuser": "on",
            "_save": "Save",
        },  # no is_active: an attempt to deactivate
    )

    assert response.status_code == 403
    assert _snapshot(superuser) == before


def test_an_admin_cannot_send_a_superuser_a_reset_link(client, admin_user, superuser):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_reset_link", args=[superuser.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "send_password_reset_links", "_selected_action": [superuser.pk]},
    )
    assert mail.outbox == []


def test_a_superuser_can_change_a_leads_names_and_email_but_not_another_superusers(
    client, superuser, lead, django_user_model
):
    other_root = django_user_model.objects.create_superuser(
        "root2", "root2@example.invalid", TEST_PASSWORD
    )
    client.force_login(superuser)

    data = _as_posted(client, lead, first_name="Leonie", email="leonie@example.invalid")
    assert client.post(_change_url(lead), data).status_code == 302
    lead.refresh_from_db()
    assert (lead.first_name, lead.email) == ("Leonie", "leonie@example.invalid")

    data = _as_posted(client, other_root, email="redirected@example.invalid", is_active=None)
    assert client.post(_change_url(other_root), data).status_code == 302
    other_root.refresh_from_db()
    assert other_root.email == "root2@example.invalid"  # where their reset links go
    assert other_root.is_active is False  # a superuser may deactivate another


# Other people: roles and activation only.


def test_an_admin_cannot_change_another_users_username_email_or_names(client, admin_user, lead):
    client.force_login(admin_user)
    before = _snapshot(lead)
    data = _as_posted(client, lead)
    assert not {"username", "first_name", "last_name", "email"} & set(data)  # not offered
    data |= {
        "username": ["taken"],
        "first_name": ["Taken"],
        "last_name": ["Over"],
        "email": ["attacker@example.invalid"],
    }

    assert client.post(_change_url(lead), data).status_code == 302
    assert _snapshot(lead) == before


def test_an_admin_cannot_grant_staff_superuser_or_permissions(client, admin_user, lead):
    client.force_login(admin_user)
    before = _snapshot(lead)
    permission = Permission.objects.get(codename="change_user")
    data = _as_posted(client, lead) | {
        "is_staff": ["on"],
        "is_superuser": ["on"],
        "user_permissions": [str(permission.pk)],
    }

    assert client.post(_change_url(lead), data).status_code == 302
    assert _snapshot(lead) == before


def test_an_admin_can_change_the_roles_and_activation_of_a_lead(client, admin_user, lead):
    client.force_login(admin_user)
    data = _as_posted(client, lead, groups=[_role(BOARD_MEMBER)], is_active=None)

    assert client.post(_change_url(lead), data).status_code == 302
    lead.refresh_from_db()
    assert list(lead.groups.values_list("name", flat=True)) == [BOARD_MEMBER]
    assert lead.is_active is False


def test_roles_are_limited_to_the_three_role_groups(client, admin_user, lead):
    other = Group.objects.create(name="Auditors")
    other.permissions.add(Permission.objects.get(codename="change_user"))
    client.force_login(admin_user)
    data = _as_posted(client, lead, groups=[str(other.pk)])

    response = client.post(_change_url(lead), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(lead.groups.values_list("name", flat=True)) == [PROGRAMME_LEAD]


def test_staff_status_follows_the_admin_role(client, admin_user, lead):
    client.force_login(admin_user)
    data = _as_posted(client, lead, groups=[_role(PROGRAMME_LEAD), _role(ADMIN)])
    assert client.post(_change_url(lead), data).status_code == 302
    lead.refresh_from_db()
    assert lead.is_staff is True

    data = _as_posted(client, lead, groups=[_role(BOARD_MEMBER)])
    assert client.post(_change_url(lead), data).status_code == 302
    lead.refresh_from_db()
    assert lead.is_staff is False


def test_an_admin_cannot_deactivate_themselves_or_change_their_own_roles(client, admin_user):
    client.force_login(admin_user)
    before = _snapshot(admin_user)
    data = _as_posted(client, admin_user)
    assert not {"is_active", "groups"} & set(data)  # shown, not offered as fields
    data["groups"] = [_role(BOARD_MEMBER)]  # and no is_active: an attempt to deactivate

    client.post(_change_url(admin_user), data)

    assert _snapshot(admin_user) == before


# Adding people.


def _add(client, **changes):
    data = {
        "username": "newlead",
        "first_name": "Nia",
        "last_name": "New",
        "email": "nia.new@example.invalid",
        "role": _role(PROGRAMME_LEAD),
        "_save": "Save",
    } | changes
    return client.post(reverse("admin:auth_user_add"), data)


def test_adding_a_user_sends_a_reset_link_and_leaves_an_unusable_password(
    client, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://tracker.example.nhs.uk"
    client.force_login(admin_user)
    form = client.get(reverse("admin:auth_user_add")).context["adminform"].form
    assert set(form.fields) == {"username", "first_name", "last_name", "email", "role"}

    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client)

    assert response.status_code == 302
    user = User.objects.get(username="newlead")
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [PROGRAMME_LEAD]
    assert (user.first_name, user.last_name, user.is_staff) == ("Nia", "New", False)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nia.new@example.invalid"]
    assert "Set your Strategy Tracker password" in message.subject
    assert "Your username is: newlead" in message.body
    link = next(w for w in message.body.split() if "/accounts/reset/" in w)
    assert link.startswith("https://tracker.example.nhs.uk/accounts/reset/")
    # The link works: it leads to the page that sets the password.
    client.logout()
    assert client.get(link.removeprefix("https://tracker.example.nhs.uk")).status_code == 302


def test_adding_an_admin_gives_staff_status(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        _add(client, role=_role(ADMIN))
    assert User.objects.get(username="newlead").is_staff is True


def test_adding_a_user_with_an_address_already_in_use_is_refused(client, admin_user, lead):
    client.force_login(admin_user)
    response = _add(client, email="LEE.LEAD@example.invalid")
    assert response.status_code == 200
    assert "Another account already uses this address" in response.content.decode()
    assert not User.objects.filter(username="newlead").exists()
    assert mail.outbox == []


# The action.


def test_the_reset_link_action_sends_links_to_non_superusers_only(
    client, admin_user, lead, superuser, make_user
):
    no_address = make_user("noaddress", BOARD_MEMBER)
    gone = make_user("gone", BOARD_MEMBER, email="gone@example.invalid", is_active=False)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "send_password_reset_links",
            "_selected_action": [u.pk for u in (lead, superuser, no_address, gone)],
        },
        follow=True,
    )

    assert [m.to for m in mail.outbox] == [["lee.lead@example.invalid"]]
    text = response.content.decode()
    assert "Sent a password reset link to lead." in text
    assert "root (only a superuser can help a superuser)" in text
    assert "noaddress (the account has no e-mail address)" in text
    assert "gone (the account is deactivated)" in text


def test_a_superuser_can_send_a_superuser_a_reset_link(client, superuser, django_user_model):
    other_root = django_user_model.objects.create_superuser(
        "root2", "root2@example.invalid", TEST_PASSWORD
    )
    client.force_login(superuser)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "send_password_reset_links", "_selected_action": [other_root.pk]},
    )
    assert [m.to for m in mail.outbox] == [["root2@example.invalid"]]


def test_people_without_the_admin_role_cannot_use_the_user_admin(client, board_member, lead):
    client.force_login(board_member)
    url = reverse("admin:auth_user_password_reset_link", args=[lead.pk])
    response = client.post(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert mail.outbox == []
