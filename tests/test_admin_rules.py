"""The Django admin keeps the rules the app's own forms keep (found by an admin pass: a site
administrator could go round them, and odd addresses gave 500s)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from milestones.tests.posted_forms import form_as_posted
from objectives.models import Membership, Organisation, Partner, Strategy
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


def _opened(client, url: str, form_id: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return form_as_posted(page.content.decode(), form_id=form_id) | {"_save": ["Save"]}


# 1. A measure code the app uses itself ---------------------------------------------------


def test_the_admin_refuses_a_measure_code_the_app_uses_itself(client, site_admin):
    """The editor and the workbook import refuse the code "import" (RESERVED_CODES): the
    measure's page would be /measures/import/, the figures import. The admin takes it."""
    measure = make_measure(make_objective(), code="VAC")
    client.force_login(site_admin)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = _opened(client, url, "measure_form") | {"code": ["import"]}

    client.post(url, data)

    measure.refresh_from_db()
    assert measure.code == "VAC"


# 2. A strategy address the app uses itself -----------------------------------------------


@pytest.mark.parametrize("slug", ["new", "import", "accessibility"])
def test_the_admin_refuses_a_strategy_address_the_app_uses_itself(client, site_admin, slug):
    """The editor refuses the slugs new, import and accessibility (RESERVED_SLUGS): /edit/new/
    is the new-strategy page, /public/accessibility/ the accessibility statement. The
    admin's change form takes them."""
    strategy = make_strategy(slug="plan")
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _opened(client, url, "strategy_form") | {"slug": [slug]}

    client.post(url, data)

    strategy.refresh_from_db()
    assert strategy.slug == "plan"


# 3. A history page of an id that is no number -------------------------------------------


@pytest.mark.parametrize(
    "model", ["milestones/milestone", "measures/measure", "risks/risk", "measures/measurevalue"]
)
def test_a_history_page_of_an_odd_id_is_not_a_500(site_admin, model):
    client = Client(raise_request_exception=False)
    client.force_login(site_admin)

    response = client.get(f"/admin/{model}/abc/history/")

    assert response.status_code != 500


def test_an_old_version_page_of_an_odd_version_id_is_not_a_500(site_admin):
    milestone = make_milestone()
    client = Client(raise_request_exception=False)
    client.force_login(site_admin)

    response = client.get(f"/admin/milestones/milestone/{milestone.pk}/history/abc/")

    assert response.status_code != 500


def test_the_provider_groups_list_filtered_by_an_organisation_no_id_can_name_is_not_a_500(
    site_admin,
):
    """Every other list of the admin says a filter is wrong (SaneLookupsMixin); the single
    sign-on groups' roles list fails."""
    client = Client(raise_request_exception=False)
    client.force_login(site_admin)

    response = client.get("/admin/sso/grouprole/", {"organisation": "99999999999999999999"})

    assert response.status_code != 500


# 4. A milestone moved to another organisation's strategy keeps an owner who may not hold it


def test_a_milestone_moved_to_another_strategy_keeps_no_owner_from_outside_it(
    client, site_admin, django_user_model
):
    """MilestoneAdminForm checks the owner only when the owner changes: moving the
    milestone to an objective of another organisation's strategy keeps its owner, a lead
    of the first organisation, who may not own it there ("Only a programme lead or Admin
    of the organisation responsible for this milestone can own it")."""
    ours = make_objective(make_priority(make_strategy(slug="ours")))
    theirs = make_objective(make_priority(make_strategy(slug="theirs")))
    lee = django_user_model.objects.create_user("lee", first_name="Lee")
    Membership.objects.create(
        user=lee, organisation=ours.priority.strategy.organisation, role=PROGRAMME_LEAD
    )
    milestone = make_milestone(ours, owner=lee)
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    data = _opened(client, url, "milestone_form") | {"objective": [str(theirs.pk)]}

    response = client.post(url, data)

    assert "an item stays in its strategy" in response.content.decode()
    milestone.refresh_from_db()
    assert not (milestone.objective_id == theirs.pk and milestone.owner_id == lee.pk), (
        "moved into another organisation's strategy with an owner who may not own it there"
    )


# 5. A priority moved to another strategy takes items naming a partner it does not have ----


def test_a_priority_moved_to_another_strategy_leaves_no_item_naming_a_stranger(client, site_admin):
    """README: "An item names only the lead organisation or a partner." The priority's own
    `responsible` is checked against the strategy it moves to, what sits under it is not: an
    objective and a milestone naming the first strategy's partner end up in a strategy that
    partner has no part in."""
    ours = make_strategy(slug="ours")
    partner = Organisation.objects.create(name="Partner Trust")
    Partner.objects.create(strategy=ours, organisation=partner)
    priority = make_priority(ours)
    objective = make_objective(priority)  # the lead organisation's
    milestone = make_milestone(objective, responsible=partner)  # delivered by the partner
    theirs = make_strategy(slug="theirs")  # another organisation's; Partner Trust is no partner
    client.force_login(site_admin)
    url = reverse("admin:objectives_priority_change", args=[priority.pk])
    data = _opened(client, url, "priority_form") | {"strategy": [str(theirs.pk)]}

    response = client.post(url, data)

    assert "an item stays in its strategy" in response.content.decode()
    priority.refresh_from_db()
    milestone.refresh_from_db()
    if priority.strategy_id == theirs.pk:
        assert milestone.responsible_id in theirs.organisation_ids(), (
            "the milestone names Partner Trust as responsible in a strategy it is no partner of"
        )


# 6. A risk given an owner from outside its strategy's organisations ------------------------


def test_the_admin_gives_a_risk_only_an_owner_the_app_would(client, site_admin, django_user_model):
    """The app's risk form offers risk_owners(strategy): people with a role in its lead
    organisation or a partner. The admin's form offers, and saves, anyone."""
    from risks.models import Risk
    from strategy_tracker.roles import ADMIN
    from tests.factories import make_risk

    objective = make_objective(make_priority(make_strategy(slug="ours")))
    risk = make_risk(objective)
    elsewhere = Organisation.objects.create(name="Another Council")
    outsider = django_user_model.objects.create_user("olga", first_name="Olga")
    Membership.objects.create(user=outsider, organisation=elsewhere, role=ADMIN)
    client.force_login(site_admin)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    data = _opened(client, url, "risk_form") | {"owner": [str(outsider.pk)]}

    response = client.post(url, data)

    assert Risk.objects.get(pk=risk.pk).owner_id != outsider.pk
    assert "Olga has no role in" in response.content.decode()
    # Nor an action's owner, in the inline: a new row given the outsider is refused.
    data = _opened(client, url, "risk_form")
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    row = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data |= {
        f"{prefix}-TOTAL_FORMS": [str(row + 1)],
        f"{prefix}-{row}-description": ["Recruit more nurses"],
        f"{prefix}-{row}-owner": [str(outsider.pk)],
        f"{prefix}-{row}-risk": [str(risk.pk)],
    }
    response = client.post(url, data)
    assert "Olga has no role in" in response.content.decode()
    assert not risk.actions.filter(description="Recruit more nurses").exists()


# 7. A strategy's period narrowed past a quarter it has reported ----------------------------


def test_the_admin_keeps_every_reported_quarter_inside_the_strategys_period(
    client, site_admin, programme_lead
):
    """The editor refuses a period that leaves out a quarter with a reporting period
    (StrategyForm._keep_reported_quarters: "2024/25 Q2 has a reporting period, so the
    strategy's period must still include it"). The admin's form saves it."""
    from reporting.quarters import Quarter
    from reporting.tests.helpers import close_quarter, q2_strategy

    strategy = q2_strategy(programme_lead)
    strategy.status = Strategy.Status.PUBLISHED
    strategy.save()
    close_quarter(strategy, Quarter(2024, 2), site_admin)
    client.force_login(site_admin)
    url = reverse("admin:objectives_strategy_change", args=[strategy.pk])
    data = _opened(client, url, "strategy_form") | {"period_start": ["2025-04-01"]}

    client.post(url, data)

    strategy.refresh_from_db()
    assert strategy.period_start <= dt.date(2024, 7, 1), (
        "the board's closed 2024/25 Q2 now lies outside the strategy's period"
    )


@pytest.mark.parametrize(
    "query", [{"attempt_time__year__exact": "0"}, {"attempt_time__year": "99999999999999999999"}]
)
def test_the_sign_in_lockout_lists_filtered_by_an_impossible_year_are_not_a_500(site_admin, query):
    """django-axes' lists (Access attempts, Access logs, Access failures) in the same admin,
    with its date drill-down: ?attempt_time__year__exact=0 is a ValueError, a 500."""
    client = Client(raise_request_exception=False)
    client.force_login(site_admin)

    response = client.get("/admin/axes/accessattempt/", query)

    assert response.status_code != 500


# 8. An update written in the admin skips the strategy's sign-off -----------------------------


def test_an_update_in_the_admin_does_not_skip_the_strategys_sign_off(
    client, site_admin, programme_lead, make_user
):
    """README (Sign-off): with approval on, an update "is submitted: the milestone, and so
    every board page, keeps what it had" until a named approver (never its sender) approves
    it; sign_off.update submits every update so, a site administrator's in the app too. The
    admin's change form writes a new status and commentary straight onto the milestone: the
    board sees an update nobody approved."""
    from strategy_tracker.roles import APPROVER, BOARD_MEMBER

    approver = make_user("approver", [BOARD_MEMBER, APPROVER])
    strategy = make_strategy(slug="s", requires_approval=True)
    strategy.approvers.add(approver)
    objective = make_objective(make_priority(strategy, number=1), number=1)
    milestone = make_milestone(objective, title="Open the hub", owner=programme_lead)
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    data = _opened(client, url, "milestone_form") | {
        "status": ["complete"],
        "commentary": ["Opened on time."],
    }

    response = client.post(url, data)

    milestone.refresh_from_db()
    assert milestone.status == "not_started", "the board sees an update no approver approved"
    assert "send this update from the milestone" in response.content.decode()


# 9. A strategy closed while its item's admin page is open: what was typed is lost ----------


def test_a_save_refused_because_the_strategy_closed_meanwhile_shows_back_what_was_typed(
    site_admin,
):
    """README: a closed strategy's milestone "takes no update (the page says why, and shows
    back anything typed)". In the admin, a change page opened before another Admin closed
    the strategy, then saved, is a bare 403: the words typed are gone."""
    strategy = make_strategy(slug="s", status="published")
    milestone = make_milestone(make_objective(make_priority(strategy)), title="Open the hub")
    client = Client(raise_request_exception=False)
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    data = _opened(client, url, "milestone_form") | {
        "title": ["Open the Grays hub, with the words of the refreshed plan"],
    }
    Strategy.objects.filter(pk=strategy.pk).update(status="closed")  # another Admin closes it

    response = client.post(url, data)

    assert response.status_code == 403
    assert "Open the Grays hub, with the words of the refreshed plan" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.title == "Open the hub"


def test_a_save_refused_because_the_strategy_closed_meanwhile_says_so_and_no_more(site_admin):
    """README: "A refusal a closed strategy gives ... says so and no more: the 403 page does
    not tell an Admin to ask for access that would not help." The admin's refusal tells the
    site administrator their roles "do not allow" it and to ask for access."""
    strategy = make_strategy(slug="s", status="published")
    milestone = make_milestone(make_objective(make_priority(strategy)), title="Open the hub")
    client = Client(raise_request_exception=False)
    client.force_login(site_admin)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    data = _opened(client, url, "milestone_form") | {"title": ["Open the Grays hub"]}
    Strategy.objects.filter(pk=strategy.pk).update(status="closed")  # another Admin closes it

    page = client.post(url, data).content.decode()

    assert "closed" in page
    assert "give your account access" not in page
