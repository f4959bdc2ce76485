"""The Django admin's risk pages keep the app's rules for risks: a risk stays in its strategy under
its reference, a newly chosen review date is not past, and a change of links is in its history."""

import datetime as dt

import pytest
from django.urls import reverse

from milestones.tests.posted_forms import form_as_posted
from objectives.models import Membership
from risks.history import risk_change_log
from risks.models import Risk
from strategy_tracker.roles import PROGRAMME_LEAD
from tests.factories import make_objective, make_priority, make_risk, make_strategy

pytestmark = pytest.mark.django_db


def _opened(client, url: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return form_as_posted(page.content.decode(), form_id="risk_form") | {"_save": ["Save"]}


@pytest.mark.parametrize("what", ["links", "reference"])
def test_a_change_made_in_the_admin_is_in_the_risks_history(client, site_admin, what):
    """README: every save is in the risk's history with who and when, its links as
    'Linked to: …'. A link (or the reference number) changed in the admin shows on the
    risk's page as 'confirmed, with no change'."""
    strategy = make_strategy(slug="s")
    first = make_objective(make_priority(strategy, number=1), number=1)
    second = make_objective(first.priority, number=2)
    risk = make_risk(first)
    client.force_login(site_admin)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    change = (
        {"objectives": [str(first.pk), str(second.pk)]} if what == "links" else {"number": ["7"]}
    )
    data = _opened(client, url) | change

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    latest = risk_change_log(Risk.objects.get(pk=risk.pk))[0]
    said = f"{latest.action} {latest.reason} {[(c.field, c.old, c.new) for c in latest.changes]}"
    if what == "reference" and Risk.objects.get(pk=risk.pk).number == 1:
        return  # the admin kept the reference as it was: nothing to record
    assert latest.action != "confirmed, with no change", said
    assert ("objective" if what == "links" else "7") in said.lower(), said


def test_the_admin_refuses_a_review_date_in_the_past_as_the_app_does(client, site_admin):
    """README: a review date in the past when it is set is refused with a message, nothing
    written (an overdue date already saved may stay)."""
    risk = make_risk(make_objective(make_priority(make_strategy(slug="s"))))
    client.force_login(site_admin)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    yesterday = dt.date.today() - dt.timedelta(days=1)
    data = _opened(client, url) | {"review_date": [yesterday.isoformat()]}

    client.post(url, data)

    assert Risk.objects.get(pk=risk.pk).review_date != yesterday


def test_the_admin_keeps_a_risk_in_its_strategy(client, site_admin, django_user_model):
    """An item stays in its strategy (README): its owner and its history belong to it. The
    admin's risk form moves a risk to another organisation's strategy, owner and all."""
    ours = make_strategy(slug="ours")
    objective = make_objective(make_priority(ours))
    lead = django_user_model.objects.create_user("lee", first_name="Lee")
    Membership.objects.create(user=lead, organisation=ours.organisation, role=PROGRAMME_LEAD)
    risk = make_risk(objective, owner=lead)
    theirs = make_strategy(slug="theirs")
    their_objective = make_objective(make_priority(theirs))
    client.force_login(site_admin)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    data = _opened(client, url) | {
        "strategy": [str(theirs.pk)],
        "objectives": [str(their_objective.pk)],
    }

    client.post(url, data)

    risk = Risk.objects.get(pk=risk.pk)
    assert risk.strategy_id == ours.pk, (
        f"moved to {risk.strategy.slug}, owned by {risk.owner} who has no role in "
        f"{theirs.organisation}"
    )


def test_a_risk_moved_in_the_admin_is_not_reported_closed(
    client, site_admin, admin_user, board_member, programme_lead
):
    """The board report says a risk open at the last close and not open now was 'closed'.
    A risk the admin moved to another strategy is reported closed, though nobody closed it."""
    from reporting.quarters import Quarter
    from reporting.tests.helpers import close_quarter, q2_strategy

    strategy = q2_strategy(programme_lead)
    objective = strategy.priorities.get().objectives.get()
    risk = make_risk(objective, title="Staffing")
    close_quarter(strategy, Quarter(2024, 2), admin_user)
    theirs = make_strategy(slug="theirs")
    their_objective = make_objective(make_priority(theirs))
    client.force_login(site_admin)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    data = _opened(client, url) | {
        "strategy": [str(theirs.pk)],
        "objectives": [str(their_objective.pk)],
    }
    client.post(url, data)
    q3 = close_quarter(strategy, Quarter(2024, 3), admin_user)
    client.force_login(board_member)
    page = client.get(reverse("reporting:period_report", args=["s", q3.pk])).content.decode()
    risks = page.split('id="risks"')[1].split('id="changes"')[0]
    assert "R1: Staffing: closed" not in risks, risks[risks.find("R1: Staffing: closed") - 200 :][
        :400
    ]
    assert Risk.objects.get(pk=risk.pk).status == "open"


def test_the_admin_refuses_a_risk_numbered_r0(client, site_admin):
    """The add page took 0 and made a risk "R0", which the app never numbers (R1, R2…)."""
    objective = make_objective(make_priority(make_strategy(slug="s")))
    make_risk(objective)
    client.force_login(site_admin)
    url = reverse("admin:risks_risk_add")
    data = _opened(client, url) | {
        "strategy": [str(objective.priority.strategy_id)],
        "number": ["0"],
        "objectives": [str(objective.pk)],
        "title": ["Staffing"],
        "cause": ["Because of vacancies"],
        "event": ["there is a risk that clinics close"],
        "effect": ["resulting in longer waits"],
        "review_date": [(dt.date.today() + dt.timedelta(days=30)).isoformat()],
        "appetite": [Risk._meta.get_field("appetite").choices[0][0]],
    }
    for part in ("inherent", "current", "target"):
        data |= {f"{part}_likelihood": ["2"], f"{part}_impact": ["2"]}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "A risk&#x27;s reference starts at R1" in response.content.decode()
    assert list(Risk.objects.values_list("number", flat=True)) == [1]
    data["number"] = ["2"]
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors  # as R2 it saves
    assert sorted(Risk.objects.values_list("number", flat=True)) == [1, 2]
