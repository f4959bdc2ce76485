"""Move up, Move down, Archive and Restore in the editor bring the page back at the item in
its list (at the list, once it is archived), not at the top of the page, so a keyboard or
phone user carries on where they were."""

import datetime as dt

import pytest
from django.urls import reverse

from editor import ordering
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


def _url(strategy, level, pk, action=""):
    name = f"editor:{action}" if action else "editor:item"
    return reverse(name, args=[strategy.slug, level, pk])


def _order_seen(client, url) -> str:
    page = client.get(url).content.decode()
    marker = 'name="direction" value="down"><input type="hidden" name="seen" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def objective(client, admin_user):
    client.force_login(admin_user)
    objective = make_objective(make_priority(make_strategy(status="draft")))
    for position in (1, 2):
        make_milestone(
            objective, title=f"Milestone {position}", position=position,
            due_date=dt.date(2027, 3, 31),
        )  # fmt: skip
    return objective


def test_each_item_in_a_list_has_an_id_to_come_back_to(client, objective):
    strategy = objective.priority.strategy
    page = client.get(_url(strategy, "objective", objective.pk)).content.decode()
    for milestone in objective.milestones.all():
        assert f'<li id="milestone-{milestone.pk}">' in page
    assert 'id="milestone-list"' in page and 'id="measure-list"' in page
    page = client.get(reverse("editor:strategy", args=[strategy.slug])).content.decode()
    assert f'<li id="priority-{objective.priority.pk}">' in page


def test_a_move_comes_back_at_the_moved_item(client, objective):
    strategy = objective.priority.strategy
    first = objective.milestones.get(position=1)
    screen = _url(strategy, "objective", objective.pk)
    seen = _order_seen(client, screen)
    response = client.post(
        _url(strategy, "milestone", first.pk, "move"), {"direction": "down", "seen": seen}
    )
    assert response.status_code == 302
    assert response.url == f"{screen}#milestone-{first.pk}"
    first.refresh_from_db()
    assert first.position == 2


def test_a_measure_s_move_comes_back_at_the_measure(client, objective):
    strategy = objective.priority.strategy
    first = make_measure(objective, code="M-ONE", position=1)
    make_measure(objective, code="M-TWO", position=2)
    screen = _url(strategy, "objective", objective.pk)
    seen = ordering.order_seen(objective.measures.order_by("position", "id"))
    response = client.post(
        _url(strategy, "measure", first.pk, "move"), {"direction": "down", "seen": seen}
    )
    assert response.url == f"{screen}#measure-{first.pk}"
    first.refresh_from_db()
    assert first.position == 2


def test_an_archive_comes_back_at_the_list_and_a_restore_at_the_item(client, objective):
    strategy = objective.priority.strategy
    first = objective.milestones.get(position=1)
    screen = _url(strategy, "objective", objective.pk)
    archived = client.post(_url(strategy, "milestone", first.pk, "archive"))
    assert archived.url == f"{screen}#milestone-list"
    restored = client.post(_url(strategy, "milestone", first.pk, "restore"))
    assert restored.url == f"{screen}#milestone-{first.pk}"
    page = client.get(screen).content.decode()
    assert f'<li id="milestone-{first.pk}">' in page


def test_a_priority_s_move_comes_back_at_it_on_the_strategy_s_screen(client, objective):
    strategy = objective.priority.strategy
    second = make_priority(strategy, number=2, title="Second")
    screen = reverse("editor:strategy", args=[strategy.slug])
    seen = _order_seen(client, screen)
    response = client.post(
        _url(strategy, "priority", second.pk, "move"), {"direction": "up", "seen": seen}
    )
    assert response.url == f"{screen}#priority-{second.pk}"
