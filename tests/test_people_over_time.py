"""People over their lifetime, as a site administrator manages them (found by a pass over
joiners, movers and leavers)."""

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from milestones.models import Submission
from milestones.tests.posted_forms import form_as_posted
from objectives.models import Membership, Organisation
from reporting.tests.helpers import signed_off_objective
from risks.models import RiskAction
from strategy_tracker.roles import APPROVER, BOARD_MEMBER
from tests.factories import make_milestone, make_objective, make_priority, make_risk, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_user):
    return make_user("approver", [BOARD_MEMBER, APPROVER], first_name="Ann", last_name="Prover")


@pytest.fixture
def waiting(client, programme_lead, approver):
    """Strategy "s" with sign-off on, Ann its only approver, and Lee's update waiting."""
    objective = signed_off_objective(approver)
    m = make_milestone(objective, title="Open the hub", owner=programme_lead)
    client.force_login(programme_lead)
    data = {"status": "at_risk", "commentary": "Builders late.", "forecast_date": ""}
    assert (
        client.post(m.get_absolute_url() + "update/", data | {"version": m.version}).status_code
        == 302
    )
    assert Submission.objects.filter(state="submitted").count() == 1
    return m


def _admin_save(client, user, **changes):
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = client.get(url)
    data = form_as_posted(page.content.decode(), form_id="user_form") | {"_save": ["Save"]}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data, follow=True)


def test_deactivating_the_only_approver_leaves_a_waiting_update_undecidable_unsaid(
    client, site_admin, admin_user, approver, waiting
):
    """The sign-off form refuses a change that would leave a waiting update with nobody to
    decide it; the user admin does the same thing (is_active off) without a word, and
    afterwards the periods page still names Ann as the approver."""
    client.force_login(site_admin)
    response = _admin_save(client, approver, is_active=None)
    approver.refresh_from_db()
    assert not approver.is_active  # the admin saved it
    said = " ".join(str(m) for m in response.context["messages"])
    page = None
    client.force_login(admin_user)
    page = client.get("/strategies/s/periods/").content.decode()
    warned_in_admin = "waiting for approval" in said
    warned_on_page = (
        "nobody could approve" in page
        or "can no longer approve" in page.split("Change sign-off")[0]
    )
    assert warned_in_admin or warned_on_page, (
        "Ann was the only approver, an update waits, and neither the admin nor the periods "
        "page says nobody can decide it; the periods page says: "
        + page.split('id="sign-off"')[1][:400]
    )


def test_an_approver_moved_to_another_organisation_is_offered_as_if_they_still_approve(
    client, site_admin, admin_user, approver, waiting
):
    """Moving Ann (her Approver role in every organisation taken away, a Board member still)
    leaves her named; the sign-off form marks an inactive approver but not one who lost the
    role, so nothing on the page says the waiting update has nobody to decide it."""
    Membership.objects.filter(user=approver, role=APPROVER).delete()
    client.force_login(admin_user)
    response = client.get("/strategies/s/periods/")
    labels = [label for _, label in response.context["sign_off_form"].fields["approvers"].choices]
    assert "Ann Prover" not in labels, labels


def test_a_new_risk_action_can_be_given_to_a_deactivated_person(client, admin_user, make_user):
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    leaver = make_user("leaver", BOARD_MEMBER, first_name="Lou", last_name="Leaver")
    risk = make_risk(objective)
    RiskAction.objects.create(risk=risk, description="Hire agency staff", owner=leaver)
    leaver.is_active = False
    leaver.save()
    client.force_login(admin_user)
    url = reverse("risks:edit", args=["s", risk.number])
    form = client.get(url).context["form"]
    actions = client.get(url).context["actions"]
    data = {}
    for bound in [*form, *[f for a in actions for f in a], *actions.management_form]:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = (
            value.isoformat() if isinstance(value, dt.date) else ("on" if value is True else value)
        )
    # The blank row for a new action: given to the leaver.
    data["actions-1-description"] = "Review the rota"
    data["actions-1-owner"] = str(leaver.pk)
    response = client.post(url, data)
    new = RiskAction.objects.filter(description="Review the rota").first()
    assert new is None or new.owner_id != leaver.pk, (
        f"a new action was given to the deactivated {leaver} (status {response.status_code})"
    )


def test_a_reset_link_sent_before_deactivation_still_sets_a_password(client, programme_lead):
    programme_lead.email = "lee@example.invalid"
    programme_lead.save()
    uid = urlsafe_base64_encode(force_bytes(programme_lead.pk))
    token = default_token_generator.make_token(programme_lead)
    old_hash = programme_lead.password
    programme_lead.is_active = False
    programme_lead.save()
    page = client.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    form_url = (
        page.redirect_chain[-1][0] if page.redirect_chain else f"/accounts/reset/{uid}/{token}/"
    )
    client.post(
        form_url,
        {
            "new_password1": "a-brand-new-passphrase-77",
            "new_password2": "a-brand-new-passphrase-77",
        },
    )
    programme_lead.refresh_from_db()
    assert programme_lead.password == old_hash, "a deactivated person's old link set a password"


def test_passes_a_deactivated_persons_open_session_and_token_end(client, programme_lead):
    from conftest import TEST_PASSWORD

    assert (
        client.post("/accounts/login/", {"username": "lead", "password": TEST_PASSWORD}).status_code
        == 302
    )
    assert client.get("/milestones/mine/").status_code == 200
    programme_lead.is_active = False
    programme_lead.save()
    assert client.get("/milestones/mine/").status_code == 302
    assert client.get("/api/v1/strategies/").status_code in (401, 403)


def test_a_person_whose_provider_id_changed_can_never_be_let_in_again(
    client, settings, site_admin, make_user
):
    """Linked once (issuer and subject), then the organisation moves to its own tenant (new
    issuer) or the provider reissues the person's account (new subject): the sign-in is
    refused "linked to another sign-in; ask your site administrator", passwords are refused for
    a linked account, and the site administrator has nothing to unlink the old id with (no
    admin page for the link, no delete)."""
    from django.contrib import admin

    from sso.models import ProviderAccount
    from sso.signing_in import SignInRefused, user_for

    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "strategy-tracker"
    claims = {
        "iss": "https://login.nhsmail.example",
        "sub": "ada-1",
        "email": "ada@nhs.example",
        "email_verified": True,
    }
    ada = make_user("ada", email="ada@nhs.example", first_name="Ada", last_name="Admin")
    assert user_for(claims) == ada
    with pytest.raises(SignInRefused, match="ask your site administrator"):
        user_for(claims | {"iss": "https://login.trust-tenant.example", "sub": "a9f3"})
    client.force_login(site_admin)
    page = client.get(reverse("admin:auth_user_change", args=[ada.pk])).content.decode()
    can_unlink = admin.site.is_registered(ProviderAccount) or "provider_account" in page
    assert can_unlink, "nothing in the admin lets the site administrator unlink the old sign-in"
    # Unlinked (the delete confirmation), the next sign-in links the new id by the address.
    link = ProviderAccount.objects.get(user=ada)
    url = reverse("admin:sso_provideraccount_delete", args=[link.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert user_for(claims | {"iss": "https://login.trust-tenant.example", "sub": "a9f3"}) == ada
    assert ProviderAccount.objects.get(user=ada).issuer == "https://login.trust-tenant.example"


@pytest.mark.parametrize("leaves", ["deactivated", "moved to another organisation"])
def test_a_leavers_milestone_still_says_they_may_update_it(
    client, board_member, programme_lead, leaves
):
    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    m = make_milestone(objective, title="Open the hub", owner=programme_lead)
    if leaves == "deactivated":
        programme_lead.is_active = False
        programme_lead.save()
    else:
        other = Organisation.objects.create(name="Elsewhere Council")
        Membership.objects.exclude(organisation=other).filter(user=programme_lead).delete()
        assert programme_lead.memberships.filter(organisation=other).exists()
    assert not m.can_be_updated_by(type(programme_lead).objects.get(pk=programme_lead.pk))
    client.force_login(board_member)
    page = client.get(m.get_absolute_url()).content.decode()
    assert "Only Lee Lead (owner), their delegates" not in page, (
        "the page tells the board Lee may update it; Lee cannot, and nothing says Lee left"
    )
