"""Who a provider's sign-in makes someone here, and the sign-in page's choices."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from milestones.tests.posted_forms import form_as_posted
from objectives.models import Organisation, Strategy
from sso.models import GroupRole
from sso.signing_in import SignInRefused, user_for
from strategy_tracker.roles import ADMIN, BOARD_MEMBER, PROGRAMME_LEAD, user_roles
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def trust(db):
    return Organisation.objects.create(name="Trust")


def claims(**more):
    return {
        "iss": "https://provider.example",
        "sub": "ada-1",
        "email": "Ada.Admin@NHS.example",
        "email_verified": True,
        "name": "Ada",
    } | more


def test_a_first_sign_in_creates_the_person_with_no_password_and_mapped_roles(settings, trust):
    GroupRole.objects.create(group="st-board", organisation=trust, role=BOARD_MEMBER)
    user = user_for(claims(groups=["st-board", "unrelated"]))
    assert (user.username, user.email, user.first_name) == (
        "ada.admin@nhs.example",
        "Ada.Admin@NHS.example",
        "Ada",
    )
    assert not user.has_usable_password()
    assert user_roles(User.objects.get(pk=user.pk)) == {BOARD_MEMBER}


def test_a_first_sign_in_without_a_mapped_role_makes_no_account(settings):
    with pytest.raises(SignInRefused, match="You do not have an account here yet"):
        user_for(claims(groups=["unmapped"]))
    settings.OIDC_CREATE_USERS_WITHOUT_ROLE = True
    assert user_roles(user_for(claims())) == set()


def test_an_existing_person_is_matched_by_address_whatever_its_case(make_user):
    existing = make_user("ada", PROGRAMME_LEAD, email="ada.admin@nhs.example")
    assert user_for(claims()) == existing
    assert User.objects.count() == 1
    assert user_roles(User.objects.get(pk=existing.pk)) == {PROGRAMME_LEAD}  # none mapped


def test_mapped_groups_decide_the_roles_and_leaving_them_takes_the_roles_away(make_user, trust):
    existing = make_user("ada", PROGRAMME_LEAD, email="ada.admin@nhs.example")
    GroupRole.objects.create(group="st-admins", organisation=trust, role=ADMIN)
    user_for(claims(groups=["st-admins"]))
    ada = User.objects.get(pk=existing.pk)
    # An organisation's Admin, not a site administrator: the Django admin stays closed. Her
    # Programme lead role, which no group maps to, stays as it was granted.
    assert (user_roles(ada), ada.is_staff) == ({ADMIN, PROGRAMME_LEAD}, False)
    user_for(claims(groups=[]))  # IT took her out of the group
    ada = User.objects.get(pk=existing.pk)
    assert (user_roles(ada), ada.is_staff) == ({PROGRAMME_LEAD}, False)


def test_each_group_gives_a_role_in_its_own_organisation(trust):
    council = Organisation.objects.create(name="Council")
    GroupRole.objects.create(group="trust-board", organisation=trust, role=BOARD_MEMBER)
    GroupRole.objects.create(group="council-leads", organisation=council, role=PROGRAMME_LEAD)
    ada = User.objects.get(pk=user_for(claims(groups=["trust-board", "council-leads"])).pk)
    assert set(ada.memberships.values_list("organisation__name", "role")) == {
        ("Trust", BOARD_MEMBER),
        ("Council", PROGRAMME_LEAD),
    }
    day = {"period_start": "2024-04-01", "period_end": "2025-03-31", "status": "published"}
    Strategy.objects.create(organisation=trust, title="T", slug="t", **day)
    Strategy.objects.create(organisation=Organisation.objects.create(name="Other"), slug="o", **day)
    assert list(Strategy.objects.visible_to(ada).values_list("slug", flat=True)) == ["t"]
    user_for(claims(groups=["council-leads"]))  # left the trust's board
    ada = User.objects.get(pk=ada.pk)
    assert list(ada.memberships.values_list("organisation__name", flat=True)) == ["Council"]


def test_the_providers_id_decides_not_a_changed_address(make_user):
    ada = make_user("ada", PROGRAMME_LEAD, email="ada.admin@nhs.example")
    assert user_for(claims()) == ada
    # The provider now gives Ada another address, and gives hers to someone else.
    assert user_for(claims(email="ada.new@nhs.example")) == ada
    with pytest.raises(SignInRefused, match="linked to another sign-in"):
        user_for(claims(sub="someone-else"))


def test_a_site_administrator_is_never_linked_by_address(make_user):
    make_user("root", email="ada.admin@nhs.example", is_superuser=True)
    with pytest.raises(SignInRefused, match="site administrator's account"):
        user_for(claims())


def test_too_many_groups_to_list_is_refused_rather_than_read_as_none(make_user):
    make_user("ada", PROGRAMME_LEAD, email="ada.admin@nhs.example")
    with pytest.raises(SignInRefused, match="too many groups"):
        user_for(claims(_claim_names={"groups": "src1"}))


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"email": ""}, "did not say your e-mail address"),
        ({"email_verified": False}, "has not verified Ada.Admin@NHS.example"),
        ({"email": "ada@elsewhere.example"}, "Addresses at elsewhere.example cannot sign in"),
    ],
)
def test_a_sign_in_this_installation_does_not_let_in_is_refused_in_words(settings, given, says):
    settings.OIDC_ALLOWED_DOMAINS = ["nhs.example"]
    with pytest.raises(SignInRefused, match=says):
        user_for(claims(**given))
    assert not User.objects.exists()


def test_a_switched_off_account_or_an_address_two_accounts_share_is_refused(make_user):
    make_user("one", email="ada.admin@nhs.example", is_active=False)
    with pytest.raises(SignInRefused, match="switched off"):
        user_for(claims())
    make_user("two", email="ADA.ADMIN@nhs.example")
    with pytest.raises(SignInRefused, match="More than one account"):
        user_for(claims())


def test_the_sign_in_page_offers_the_provider_and_passwords_can_be_switched_off(
    client, settings, make_user
):
    make_user("lee", PROGRAMME_LEAD)
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "strategy-tracker"
    settings.OIDC_PROVIDER_NAME = "NHSmail"
    settings.LOCAL_PASSWORDS = False
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with NHSmail" in page and 'name="password"' not in page
    response = client.post(
        reverse("login"), {"username": "lee", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert client.get(reverse("password_reset")).status_code == 404
    # Nor does a password open the Django admin.
    make_user("root", email="root@x.example", is_superuser=True, is_staff=True)
    client.post(
        reverse("admin:login"), {"username": "root", "password": "correct-horse-battery-staple"}
    )
    assert "_auth_user_id" not in client.session


def test_a_provider_that_is_down_says_so_and_passwords_still_work(client, settings, make_user):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "strategy-tracker"
    settings.OIDC_TIMEOUT_S = 2
    response = client.get(reverse("sso:start"), follow=True)
    page = response.content.decode()
    assert "Signing in through your organisation is not working just now" in page
    assert "or sign in with your password" in page
    make_user("lee", PROGRAMME_LEAD)
    signed_in = client.post(
        reverse("login"), {"username": "lee", "password": "correct-horse-battery-staple"}
    )
    assert signed_in.status_code == 302 and client.session.get("_auth_user_id")


def test_memberships_no_group_maps_stay_as_a_site_administrator_granted_them(make_user, trust):
    from objectives.models import Membership

    existing = make_user("ada", email="ada.admin@nhs.example")
    Membership.objects.create(user=existing, organisation=trust, role="Approver")
    GroupRole.objects.create(group="st-board", organisation=trust, role=BOARD_MEMBER)
    user_for(claims(groups=["st-board"]))
    user_for(claims(groups=[]))  # left the board's group: loses what it gave, nothing else
    held = set(Membership.objects.filter(user=existing).values_list("role", flat=True))
    assert held == {"Approver"}


def test_a_group_role_changed_meanwhile_is_not_saved_over(client, django_user_model, trust):
    mapping = GroupRole.objects.create(group="st-board", organisation=trust, role=BOARD_MEMBER)
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "x")
    client.force_login(root)
    url = reverse("admin:sso_grouprole_change", args=[mapping.pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="grouprole_form")
    data |= {"group": ["st-readers"], "_save": ["Save"]}
    GroupRole.objects.filter(pk=mapping.pk).update(role=ADMIN)  # another administrator
    response = client.post(url, data)
    assert response.status_code == 200
    mapping.refresh_from_db()
    assert (mapping.group, mapping.role) == ("st-board", ADMIN)


def test_a_person_the_provider_vouches_for_never_signs_in_or_resets_with_a_password(
    client, settings, trust
):
    from django.core import mail

    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "strategy-tracker"
    GroupRole.objects.create(group="st-leads", organisation=trust, role=PROGRAMME_LEAD)
    linked = user_for(claims(groups=["st-leads"]))
    # No reset link gives them a password of ours, which would outlast the provider's say.
    client.post(reverse("password_reset"), {"email": "ada.admin@nhs.example"})
    run_queued_tasks()
    assert mail.outbox == []
    linked.set_password("correct-horse-battery-staple")  # one set some other way
    linked.save()
    credentials = {"username": linked.username, "password": "correct-horse-battery-staple"}
    client.post(reverse("login"), credentials)
    assert "_auth_user_id" not in client.session
    # With sign-on no longer configured, the password is their way in.
    settings.OIDC_DISCOVERY_URL = ""
    client.post(reverse("login"), credentials)
    assert client.session.get("_auth_user_id") == str(linked.pk)


def test_a_membership_a_group_gives_is_kept_in_the_history_as_its_removal_is(trust):
    """The history showed a role taken away that it never showed given (bulk_create writes no
    history row); README: every grant and removal is kept (found by an attacker's pass)."""
    from objectives.models import Membership

    GroupRole.objects.create(group="st-admins", organisation=trust, role=ADMIN)
    user = user_for(claims(groups=["st-admins"]))
    user_for(claims(groups=[]))
    rows = Membership.history.filter(user_id=user.pk).order_by("history_date", "history_id")
    assert [(r.history_type, r.role, r.organisation_id) for r in rows] == [
        ("+", ADMIN, trust.pk),
        ("-", ADMIN, trust.pk),
    ]
    assert rows[0].history_change_reason == "Given by a group at the single sign-on provider"
