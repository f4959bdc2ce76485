"""Found by a second reading of the later part of the twenty-fifth session's change."""

import datetime as dt

import pytest
from django.urls import reverse

from measures.models import Measure
from milestones.tests.posted_forms import form_as_posted
from tests.factories import make_measure, make_priority, make_strategy, make_value

pytestmark = pytest.mark.django_db


def test_priority_inline_unit_change_that_breaks_stored_figures_is_refused_not_a_500(
    client, site_admin
):
    """The priority page's measure inline has no minimum/maximum field: Measure.clean's new
    error on "maximum_value" cannot be put on the inline's form (Django raises ValueError)."""
    priority = make_priority(make_strategy())
    measure = make_measure(priority=priority, code="FIG-1", unit="number")
    make_value(measure, dt.date(2024, 3, 31), 150)
    client.force_login(site_admin)
    url = reverse("admin:objectives_priority_change", args=[priority.pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="priority_form")
    key = next(k for k in data if k.endswith("-unit"))
    data |= {"_save": ["Save"], key: ["%"]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "150" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).unit == "number"


def test_untouched_priority_page_saves_when_a_measure_kept_a_figure_before_its_baseline(
    client, site_admin
):
    """A database from before 72e56ad can hold a figure before its measure's baseline (the
    editor let the baseline move after figures). Saving the priority page without touching
    the measure must not be a 500."""
    priority = make_priority(make_strategy())
    measure = make_measure(priority=priority, code="FIG-2", unit="count")
    make_value(measure, dt.date(2023, 3, 31), 5)
    Measure.objects.filter(pk=measure.pk).update(baseline_period=dt.date(2024, 3, 31))
    client.force_login(site_admin)
    url = reverse("admin:objectives_priority_change", args=[priority.pk])
    data = form_as_posted(client.get(url).content.decode(), form_id="priority_form")
    data |= {"_save": ["Save"], "title": ["A new title"]}
    response = client.post(url, data)
    assert response.status_code in (200, 302)


def test_a_workbook_cannot_move_a_draft_measures_baseline_past_its_own_figures(make_user):
    """72e56ad refuses this in the editor and the admin; the workbook updates the same
    measure's baseline unchecked, and its figures no longer load back."""
    from editor import structure_import
    from editor.tests.test_structure_import import SMALL, _file, _rows
    from objectives.models import Organisation

    Organisation.objects.create(name=SMALL["organisation"])
    make_user("lead", "Programme lead", email="lead@example.org")
    from django.contrib.auth import get_user_model

    site = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    rows = _rows()
    rows[3] |= {"baseline_value": 20, "baseline_period": dt.date(2020, 3, 31)}
    strategy = structure_import.apply(structure_import.plan(_file(rows)), site)
    measure = Measure.objects.get(code="SMALL-SMOKING")
    make_value(measure, dt.date(2021, 3, 31), 18)
    rows[3]["baseline_period"] = dt.date(2023, 3, 31)
    plan = structure_import.plan(_file(rows), strategy)
    if plan.ok:
        structure_import.apply(plan, site)
    measure.refresh_from_db()
    assert not plan.ok
    assert measure.baseline_period == dt.date(2020, 3, 31)


def test_untouched_risk_save_keeps_a_leavers_action(client, admin_user, make_user):
    from risks.models import RiskAction
    from strategy_tracker.roles import BOARD_MEMBER
    from tests.factories import make_objective, make_risk

    strategy = make_strategy(slug="s")
    objective = make_objective(make_priority(strategy, number=1), number=1)
    leaver = make_user("leaver", BOARD_MEMBER, first_name="Lou", last_name="Leaver")
    risk = make_risk(objective)
    RiskAction.objects.create(risk=risk, description="Hire agency staff", owner=leaver)
    leaver.is_active = False
    leaver.save()
    client.force_login(admin_user)
    url = reverse("risks:edit", args=["s", risk.number])
    page = client.get(url)
    data = {}
    for bound in [
        *page.context["form"],
        *[f for a in page.context["actions"] for f in a],
        *page.context["actions"].management_form,
    ]:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = (
            value.isoformat() if isinstance(value, dt.date) else ("on" if value is True else value)
        )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert RiskAction.objects.get(description="Hire agency staff").owner_id == leaver.pk


def _sso(settings):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "strategy-tracker"
    return {
        "iss": "https://login.nhsmail.example",
        "sub": "ada-1",
        "email": "ada@nhs.example",
        "email_verified": True,
    }


def test_unlinking_a_changed_provider_id_does_not_hand_the_provider_given_roles_over(
    client, settings, site_admin, make_member
):
    """Ada is an Admin only because her provider group says so (manages_roles). Her id
    changes; the site administrator unlinks it (25030ac); she signs in with the new id, now
    in no mapped group. The provider decided her Admin role before the unlink and must still:
    the new link starts with manages_roles False, so the role is kept as if hand-granted."""
    from objectives.models import Membership, Organisation
    from sso.models import GroupRole, ProviderAccount
    from sso.signing_in import user_for
    from strategy_tracker.roles import ADMIN

    claims = _sso(settings)
    trust = Organisation.objects.create(name="Trust")
    GroupRole.objects.create(group="g-admins", organisation=trust, role=ADMIN)
    ada = make_member("ada", {}, email="ada@nhs.example")
    assert user_for(claims | {"groups": ["g-admins"]}) == ada
    assert Membership.objects.filter(user=ada, role=ADMIN).exists()
    assert ProviderAccount.objects.get(user=ada).manages_roles

    client.force_login(site_admin)
    link = ProviderAccount.objects.get(user=ada)
    url = reverse("admin:sso_provideraccount_delete", args=[link.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    # New tenant, and she is no longer in the Admins group there.
    new = claims | {"iss": "https://login.trust-tenant.example", "sub": "a9f3", "groups": []}
    assert user_for(new) == ada
    assert not Membership.objects.filter(user=ada, role=ADMIN).exists(), (
        "the group-given Admin role outlived the group once the link was remade"
    )


def test_an_unlinked_account_cannot_sign_in_with_the_password_it_had_before_linking(
    client, settings, site_admin, make_user
):
    """README: once linked, no password of ours signs the account in, "one it had before the
    link included". Unlinking the old id (to let the new one link) brings that password back:
    until the person signs in through the provider again, which may be never, it works."""
    from conftest import TEST_PASSWORD
    from sso.models import ProviderAccount
    from sso.signing_in import user_for

    settings.LOCAL_PASSWORDS = True
    claims = _sso(settings)
    ada = make_user("ada", email="ada@nhs.example")
    assert user_for(claims) == ada

    def signs_in() -> bool:
        client.logout()
        client.post(reverse("login"), {"username": "ada", "password": TEST_PASSWORD})
        return client.session.get("_auth_user_id") == str(ada.pk)

    assert not signs_in()  # linked: refused
    client.force_login(site_admin)
    link = ProviderAccount.objects.get(user=ada)
    url = reverse("admin:sso_provideraccount_delete", args=[link.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not signs_in(), "unlinked, the account's pre-link password signs it in again"


def test_adding_a_milestone_in_the_admin_without_its_objective_is_refused_not_a_500(
    client, site_admin
):
    """06ff600 runs the update rules on a new milestone; with the (required) objective left
    blank, the rules' forecast check reads milestone.objective and raises."""
    from milestones.models import Milestone

    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_add")
    data = form_as_posted(client.get(url).content.decode(), form_id="milestone_form")
    data |= {
        "_save": ["Save"],
        "title": ["Open the hub"],
        "due_text": ["by March 2026"],
        "due_date": ["2026-03-31"],
        "objective": [""],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Milestone.objects.exists()
