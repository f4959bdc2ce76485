"""Assign milestones filtered by strategy: kept in the address, offering only the strategies
whose milestones the user assigns (milestones/filters.py AssignFilter)."""

import pytest
from django.urls import reverse

from milestones.models import Milestone
from objectives.models import Organisation
from strategy_tracker.roles import ADMIN, PROGRAMME_LEAD
from tests.factories import make_milestone, make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db
ASSIGN = reverse("milestones:bulk_assign")


@pytest.fixture
def world(make_member):
    ours = Organisation.objects.create(name="Our Trust")
    theirs = Organisation.objects.create(name="Their Council")
    strategies = {
        slug: make_strategy(organisation=org, slug=slug, title=title, status=status)
        for slug, title, org, status in [
            ("beta-plan", "Beta plan", ours, "published"),
            ("alpha-plan", "Alpha plan", ours, "draft"),
            ("old-plan", "Old plan", ours, "closed"),
            ("their-plan", "Their plan", theirs, "published"),
        ]
    }
    for slug, strategy in strategies.items():
        objective = make_objective(make_priority(strategy, number=1), number=1)
        make_milestone(objective, title=f"{slug} first", position=1)
        make_milestone(objective, title=f"{slug} second", position=2)
    admin = make_member("ours_admin", {ours: [ADMIN]})
    lead = make_member("ours_lead", {ours: [PROGRAMME_LEAD]})
    return {"admin": admin, "lead": lead, "strategies": strategies}


def _titles(page) -> list[str]:
    return [m.title for m in page.context["milestones"]]


def _offered(page) -> list[tuple[str, str]]:
    field = page.context["filter"].form["strategy"]
    return [(str(value), label) for value, label in field.field.choices]


def test_it_offers_only_the_strategies_whose_milestones_the_admin_assigns(client, world):
    client.force_login(world["admin"])
    page = client.get(ASSIGN)
    assert _offered(page) == [("", "All"), ("alpha-plan", "Alpha plan"), ("beta-plan", "Beta plan")]
    assert len(_titles(page)) == 4  # both live strategies' milestones, unfiltered


def test_a_strategy_chosen_lists_only_its_milestones_and_a_reload_keeps_it(client, world):
    client.force_login(world["admin"])
    url = f"{ASSIGN}?strategy=beta-plan"
    for _ in range(2):  # the first visit, and a reload of the same address
        page = client.get(url)
        assert _titles(page) == ["beta-plan first", "beta-plan second"]
        content = page.content.decode()
        assert '<label for="id_strategy">Strategy</label>' in content
        assert '<option value="beta-plan" selected>Beta plan</option>' in content


def test_assigning_from_a_filtered_list_comes_back_to_it(client, world):
    lead = world["lead"]
    beta = Milestone.objects.filter(objective__priority__strategy__slug="beta-plan")
    first = beta.get(position=1)
    client.force_login(world["admin"])
    url = f"{ASSIGN}?strategy=beta-plan"
    response = client.post(
        url, {"milestones": [first.pk], "shown": [f"{first.pk}:"], "owner": lead.pk}
    )
    assert response.status_code == 302 and response.url == url
    assert Milestone.objects.get(pk=first.pk).owner == lead


@pytest.mark.parametrize("slug", ["their-plan", "old-plan", "no-such-plan"])
def test_a_strategy_not_offered_lists_nothing_and_says_why(client, world, slug):
    client.force_login(world["admin"])
    page = client.get(f"{ASSIGN}?strategy={slug}")
    assert page.status_code == 200
    assert _titles(page) == []
    assert "not a strategy whose milestones you assign" in page.content.decode()
    assert "Their plan" not in page.content.decode()


def test_the_strategy_filter_combines_with_the_others(client, world):
    Milestone.objects.filter(position=2).update(status="at_risk")  # in every strategy
    client.force_login(world["admin"])
    page = client.get(f"{ASSIGN}?strategy=alpha-plan&status=at_risk")
    assert _titles(page) == ["alpha-plan second"]


@pytest.mark.parametrize("odd", ["\x00", "beta-plan\x00", "x" * 5000, "Bêta plan", "beta-plan'--"])
def test_an_odd_strategy_in_the_address_lists_nothing_and_never_fails(client, world, odd):
    client.force_login(world["admin"])
    page = client.get(ASSIGN, {"strategy": odd})
    assert page.status_code == 200 and _titles(page) == []
