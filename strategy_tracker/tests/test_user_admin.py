"""People in the Django admin (issues 15 and 19): it is the site administrators'
(superusers') alone; they add people, manage activation and grant roles in organisations;
nobody sets another person's password; nobody changes another superuser's identity or their
own access."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from conftest import TEST_PASSWORD
from milestones.tests.posted_forms import form_as_posted
from objectives.models import Membership, Organisation
from strategy_tracker.admin_forms import row_state
from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD
from strategy_tracker.user_admin import UserChangeForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.invalid", TEST_PASSWORD, first_name="Ruth", last_name="Root"
    )


@pytest.fixture
def trust(db):
    return Organisation.objects.create(name="Trust")


@pytest.fixture
def lead(programme_lead, trust):
    programme_lead.email = "lee.lead@example.invalid"
    programme_lead.save()
    return programme_lead


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
        sorted(user.memberships.values_list("organisation__name", "role")),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


# Passwords: nobody sets another person's.


@pytest.mark.parametrize("target", ["lead", "admin", "other_superuser", "self"])
def test_a_site_administrator_cannot_set_anyones_password_in_the_admin(
    client, admin_user, lead, superuser, django_user_model, target
):
    other = django_user_model.objects.create_superuser("root2", "root2@example.invalid", "x")
    user = {"lead": lead, "admin": admin_user, "other_superuser": other, "self": superuser}
    user = user[target]
    client.force_login(superuser)
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


def test_the_change_form_offers_a_reset_link_instead_of_a_password(client, superuser, lead):
    client.force_login(superuser)
    page = client.get(_change_url(lead)).content.decode()
    assert "Send a password reset link" in page
    assert reverse("admin:auth_user_password_reset_link", args=[lead.pk]) in page
    assert "../password/" not in page
    assert reverse("admin:auth_user_password_change", args=[lead.pk]) not in page


def test_a_site_administrator_sends_one_person_a_reset_link_built_on_site_url(
    client, superuser, lead, settings
):
    settings.SITE_URL = "https://tracker.example.nhs.uk"
    client.force_login(superuser)
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
    assert "Ruth Root" in mail.outbox[0].body
    lead.refresh_from_db()
    assert lead.check_password(TEST_PASSWORD)  # the password is the lead's until they use it


# Superusers: even another superuser keeps their identity.


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


# Roles in organisations, and the person's own access.


def _membership_rows(data: dict) -> dict:
    """The posted form's memberships inline, by its prefix."""
    prefix = next(
        k for k in data if k.startswith("memberships") and k.endswith("-TOTAL_FORMS")
    ).removesuffix("-TOTAL_FORMS")
    return {"prefix": prefix, "total": int(data[f"{prefix}-TOTAL_FORMS"][0])}


def test_a_site_administrator_grants_and_removes_roles_in_organisations(
    client, superuser, django_user_model, trust
):
    council = Organisation.objects.create(name="Council")
    lead = django_user_model.objects.create_user("lena", "lena@example.invalid")
    Membership.objects.create(user=lead, organisation=trust, role=PROGRAMME_LEAD)
    client.force_login(superuser)
    data = _as_posted(client, lead)
    prefix, n = _membership_rows(data).values()
    assert n == 1  # Programme lead at Trust
    data |= {
        f"{prefix}-TOTAL_FORMS": [str(n + 1)],
        f"{prefix}-{n}-organisation": [str(council.pk)],
        f"{prefix}-{n}-role": [ADMIN],
        f"{prefix}-0-DELETE": ["on"],
    }
    assert client.post(_change_url(lead), data).status_code == 302
    held = [("Council", ADMIN)]
    assert list(lead.memberships.values_list("organisation__name", "role")) == held
    again = _as_posted(client, lead)  # saved untouched: nothing changes
    assert client.post(_change_url(lead), again).status_code == 302
    assert list(lead.memberships.values_list("organisation__name", "role")) == held
    # Each grant and removal is kept, with who made it.
    changes = Membership.history.filter(user_id=lead.pk, history_user=superuser)
    assert sorted(changes.values_list("history_type", "role")) == [
        ("+", ADMIN),
        ("-", PROGRAMME_LEAD),
    ]


def test_the_same_role_twice_in_one_organisation_is_refused(client, superuser, lead, trust):
    client.force_login(superuser)
    data = _as_posted(client, lead)
    prefix, n = _membership_rows(data).values()
    data |= {
        f"{prefix}-TOTAL_FORMS": [str(n + 1)],
        f"{prefix}-{n}-organisation": [str(trust.pk)],
        f"{prefix}-{n}-role": [PROGRAMME_LEAD],
    }
    response = client.post(_change_url(lead), data)
    assert response.status_code == 200 and "duplicate" in response.content.decode()
    assert lead.memberships.count() == 1


def test_a_site_administrator_cannot_deactivate_themselves_or_drop_superuser(client, superuser):
    client.force_login(superuser)
    before = _snapshot(superuser)
    data = _as_posted(client, superuser)
    assert not {"is_active", "is_superuser"} & set(data)  # shown, not offered as fields
    data.pop("is_active", None)  # an attempt to deactivate
    client.post(_change_url(superuser), data)
    assert _snapshot(superuser) == before


def test_staff_status_follows_superuser_status_only(client, superuser, admin_user, lead):
    client.force_login(superuser)
    data = _as_posted(client, admin_user, is_staff="on")
    client.post(_change_url(admin_user), data)
    admin_user.refresh_from_db()
    assert not admin_user.is_staff  # an organisation's Admin works in the app's pages


# Adding people.


def _add(client, **changes):
    data = {
        "username": "newlead",
        "first_name": "Nia",
        "last_name": "New",
        "email": "nia.new@example.invalid",
        "_save": "Save",
    } | changes
    return client.post(reverse("admin:auth_user_add"), data)


def test_adding_a_user_sends_a_reset_link_and_leaves_an_unusable_password(
    client, superuser, settings, trust, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://tracker.example.nhs.uk"
    client.force_login(superuser)
    page = client.get(reverse("admin:auth_user_add"))
    assert set(page.context["adminform"].form.fields) == {
        "username",
        "first_name",
        "last_name",
        "email",
    }
    data = form_as_posted(page.content.decode(), form_id="user_form")
    prefix, _ = _membership_rows(data).values()
    roles = {
        "job_title-TOTAL_FORMS": "0",  # no job title
        "job_title-INITIAL_FORMS": "0",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-organisation": str(trust.pk),
        f"{prefix}-0-role": PROGRAMME_LEAD,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, **roles)

    assert response.status_code == 302
    user = User.objects.get(username="newlead")
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("organisation__name", "role")) == [
        ("Trust", PROGRAMME_LEAD)
    ]
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


def test_adding_a_user_with_an_address_already_in_use_is_refused(client, superuser, lead):
    client.force_login(superuser)
    response = _add(client, email="LEE.LEAD@example.invalid")
    assert response.status_code == 200
    assert "Another account already uses this address" in response.content.decode()
    assert not User.objects.filter(username="newlead").exists()
    assert mail.outbox == []


# The action.


def test_the_reset_link_action_sends_links_to_those_who_can_use_them(
    client, superuser, lead, make_user, django_user_model
):
    no_address = make_user("noaddress", BOARD_MEMBER)
    gone = make_user("gone", BOARD_MEMBER, email="gone@example.invalid", is_active=False)
    other_root = django_user_model.objects.create_superuser(
        "root2", "root2@example.invalid", TEST_PASSWORD
    )
    client.force_login(superuser)

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "send_password_reset_links",
            "_selected_action": [u.pk for u in (lead, other_root, no_address, gone)],
        },
        follow=True,
    )

    assert sorted(m.to[0] for m in mail.outbox) == [
        "lee.lead@example.invalid",
        "root2@example.invalid",
    ]
    text = response.content.decode()
    assert "Sent a password reset link to lead, root2." in text
    assert "noaddress (the account has no e-mail address)" in text
    assert "gone (the account is deactivated)" in text


def test_no_reset_link_goes_to_someone_the_provider_signs_in(client, superuser, lead, settings):
    from sso.models import ProviderAccount

    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "strategy-tracker"
    ProviderAccount.objects.create(user=lead, issuer="https://provider.example", subject="l-1")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "send_password_reset_links", "_selected_action": [lead.pk]},
        follow=True,
    )
    assert mail.outbox == []
    assert "the account signs in through the organisation&#x27;s provider" in (
        response.content.decode()
    )


@pytest.mark.parametrize("who", ["board_member", "lead", "admin_user"])
def test_no_role_in_an_organisation_reaches_the_user_admin(client, request, lead, who):
    client.force_login(request.getfixturevalue(who))
    before = _snapshot(lead)
    for url in (
        reverse("admin:index"),
        _change_url(lead),
        reverse("admin:auth_user_password_reset_link", args=[lead.pk]),
    ):
        response = client.post(url, {"first_name": "Taken", "is_superuser": "on"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert mail.outbox == [] and _snapshot(lead) == before


# A page opened before another site administrator's change never saves over it.


def test_a_person_changed_since_the_page_was_opened_is_not_saved_over(client, superuser, lead):
    client.force_login(superuser)
    data = _as_posted(client, lead, last_name="Smith")
    # Meanwhile, on another page: deactivated, and a new address.
    User.objects.filter(pk=lead.pk).update(is_active=False, email="new@example.invalid")
    response = client.post(_change_url(lead), data)
    assert response.status_code == 200
    assert "was changed by someone else since you opened the page" in response.content.decode()
    lead.refresh_from_db()
    assert (lead.is_active, lead.email) == (False, "new@example.invalid")
    assert lead.last_name != "Smith"


def test_a_permission_given_meanwhile_is_not_taken_away_unseen(client, superuser, lead):
    """The page saves a person's permissions whole: a page opened before another site
    administrator gave one, then saved for a name, took it away without a word."""
    from django.contrib.auth.models import Permission

    client.force_login(superuser)
    data = _as_posted(client, lead, last_name="Smith")
    given = Permission.objects.get(codename="view_strategy")
    lead.user_permissions.add(given)  # meanwhile, on another page
    response = client.post(_change_url(lead), data)
    assert response.status_code == 200
    assert "was changed by someone else since you opened the page" in response.content.decode()
    lead.refresh_from_db()
    assert list(lead.user_permissions.all()) == [given] and lead.last_name != "Smith"


def test_a_sign_in_meanwhile_does_not_stop_a_save(client, superuser, lead):
    client.force_login(superuser)
    data = _as_posted(client, lead, last_name="Smith")
    client_of_lead = client.__class__()
    client_of_lead.force_login(lead)  # moves last_login, which the page never writes
    assert client.post(_change_url(lead), data).status_code == 302
    lead.refresh_from_db()
    assert lead.last_name == "Smith"


def test_a_role_changed_on_the_organisations_page_meanwhile_is_not_put_back(
    client, superuser, lead
):
    client.force_login(superuser)
    data = _as_posted(client, lead, first_name="Edith")
    Membership.objects.filter(user=lead).update(role=ADMIN)  # the organisation's page
    response = client.post(_change_url(lead), data)
    assert response.status_code == 200
    assert "was changed by someone else since you opened the page" in response.content.decode()
    assert list(lead.memberships.values_list("role", flat=True)) == [ADMIN]
    lead.refresh_from_db()
    assert lead.first_name != "Edith"


def test_a_role_changed_meanwhile_is_not_deleted_unseen(client, superuser, lead):
    client.force_login(superuser)
    data = _as_posted(client, lead)
    prefix, _ = _membership_rows(data).values()
    data[f"{prefix}-0-DELETE"] = ["on"]
    Membership.objects.filter(user=lead).update(role=ADMIN)
    response = client.post(_change_url(lead), data)
    assert response.status_code == 200
    assert "nothing was deleted or saved" in response.content.decode()
    assert list(lead.memberships.values_list("role", flat=True)) == [ADMIN]
    # Opened again, the change is seen, and the role can be taken away.
    data = _as_posted(client, lead)
    data[f"{prefix}-0-DELETE"] = ["on"]
    assert client.post(_change_url(lead), data).status_code == 302
    assert not lead.memberships.exists()


def test_a_role_on_the_organisations_page_is_not_saved_over_either(client, superuser, lead, trust):
    client.force_login(superuser)
    url = reverse("admin:objectives_organisation_change", args=[trust.pk])
    page = client.get(url)
    data = form_as_posted(page.content.decode(), form_id="organisation_form")
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    data[f"{prefix}-0-role"] = [BOARD_MEMBER]
    Membership.objects.filter(user=lead).update(role=ADMIN)  # the person's page, meanwhile
    response = client.post(url, data | {"_save": ["Save"]})
    assert response.status_code == 200
    assert list(lead.memberships.values_list("role", flat=True)) == [ADMIN]


def test_a_role_deleted_meanwhile_stops_the_save_and_says_why(client, superuser, lead):
    client.force_login(superuser)
    data = _as_posted(client, lead) | {"first_name": ["Edith"]}
    Membership.objects.filter(user=lead).delete()  # the organisation's page, meanwhile
    response = client.post(_change_url(lead), data)
    assert response.status_code == 200
    assert (
        "was deleted (or archived) by someone else since you opened it" in response.content.decode()
    )
    lead.refresh_from_db()
    assert lead.first_name != "Edith"


def test_a_role_taken_away_here_and_meanwhile_elsewhere_saves(client, superuser, lead):
    client.force_login(superuser)
    data = _as_posted(client, lead) | {"first_name": ["Edith"]}
    prefix, _ = _membership_rows(data).values()
    data[f"{prefix}-0-DELETE"] = ["on"]
    Membership.objects.filter(user=lead).delete()  # what this page was about to do
    assert client.post(_change_url(lead), data).status_code == 302
    lead.refresh_from_db()
    assert lead.first_name == "Edith"


def test_a_password_set_while_the_page_saves_is_kept(lead):
    """The admin's save writes every column of the person as it read them when the POST
    began: a password set by a reset link a moment later is not put back to the old one."""
    read_by_the_admin = User.objects.get(pk=lead.pk)
    lead.set_password("a-new-password-after-a-leak")
    lead.save()
    data = {
        "username": lead.username,
        "first_name": "Edith",
        "last_name": lead.last_name,
        "email": lead.email,
        "is_active": "on",
        "read_state": row_state(read_by_the_admin, UserChangeForm.unwatched),
    }
    form = UserChangeForm(data, instance=read_by_the_admin)
    assert form.is_valid(), form.errors
    form.save()
    lead.refresh_from_db()
    assert lead.first_name == "Edith"
    assert lead.check_password("a-new-password-after-a-leak")


def test_a_job_title_changed_meanwhile_is_not_saved_over(client, superuser, lead):
    from objectives.models import JobTitle

    title = JobTitle.objects.create(user=lead, title="Head of Community Services")
    client.force_login(superuser)
    data = _as_posted(client, lead, first_name="Edith")
    JobTitle.objects.filter(pk=title.pk).update(title="Director of Nursing")
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "job" in k.lower())
    data[prefix.replace("TOTAL_FORMS", "0-title")] = ["Head of Community Services"]
    response = client.post(_change_url(lead), data)
    assert response.status_code == 200
    title.refresh_from_db()
    assert title.title == "Director of Nursing"


def test_nobody_is_deleted_through_the_admin_only_deactivated(client, superuser, lead):
    client.force_login(superuser)
    page = client.get(f"/admin/auth/user/{lead.pk}/change/").content.decode()
    assert f"/admin/auth/user/{lead.pk}/delete/" not in page
    assert client.post(f"/admin/auth/user/{lead.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = client.get("/admin/auth/user/")
    actions = [name for name, _ in listing.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    bulk = {"action": "delete_selected", "_selected_action": [lead.pk], "post": "yes"}
    client.post("/admin/auth/user/", bulk)
    assert type(lead).objects.filter(pk=lead.pk).exists()
