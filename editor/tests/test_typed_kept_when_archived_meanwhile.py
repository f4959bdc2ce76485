"""Text typed on an editor screen whose item (or what it sits under) was archived while the
page was open: refused, nothing changed, and what was typed shown back on the strategy's
screen to copy, as a closed strategy's refusal shows it back."""

import pytest
from django.urls import reverse

from editor import archiving
from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective
from tests.factories import make_objective, make_priority, make_strategy

pytestmark = pytest.mark.django_db

TYPED = "Three paragraphs the Admin typed on the screen of the objective, to be kept."


def _item_url(strategy, level, pk, action=""):
    name = f"editor:{action}" if action else "editor:item"
    return reverse(name, args=[strategy.slug, level, pk])


def _seen(client, url) -> str:
    page = client.get(url).content.decode()
    marker = 'name="seen" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def objective(client, admin_user):
    client.force_login(admin_user)
    return make_objective(make_priority(make_strategy(status="draft")), title="Before")


def test_a_save_onto_an_objective_archived_meanwhile_shows_back_what_was_typed(client, objective):
    strategy = objective.priority.strategy
    url = _item_url(strategy, "objective", objective.pk)
    seen = _seen(client, url)
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))  # another Admin
    response = client.post(url, {"title": "After", "description": TYPED, "seen": seen}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("editor:strategy", args=[strategy.slug])
    assert "so nothing was changed" in page
    assert "What you typed" in page and TYPED in page and "After" in page
    assert Objective.everything.get(pk=objective.pk).title == "Before"
    # Shown once: a reload of the strategy's screen no longer carries it.
    again = client.get(reverse("editor:strategy", args=[strategy.slug])).content.decode()
    assert TYPED not in again


def test_a_save_archived_between_the_check_and_the_write_shows_back_what_was_typed(
    client, objective, monkeypatch
):
    """Archived after the view found the item live, before the save locked it."""
    from editor import guards

    strategy = objective.priority.strategy
    url = _item_url(strategy, "objective", objective.pk)
    seen = _seen(client, url)
    locked = guards.lock_unchanged

    def archived_first(item, values_of, seen):
        archiving.archive(Objective.objects.get(pk=item.pk))
        return locked(item, values_of, seen)

    monkeypatch.setattr(guards, "lock_unchanged", archived_first)
    response = client.post(url, {"title": "After", "description": TYPED, "seen": seen}, follow=True)
    page = response.content.decode()
    assert "Someone archived this while you had it open, so nothing was saved" in page
    assert TYPED in page
    assert Objective.everything.get(pk=objective.pk).title == "Before"


def test_adding_a_milestone_under_an_objective_archived_meanwhile_shows_back_its_words(
    client, objective
):
    strategy = objective.priority.strategy
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))  # another Admin
    response = client.post(
        _item_url(strategy, "objective", objective.pk, "add_child"),
        {"add-title": "Open the virtual ward", "add-heading": TYPED},
        follow=True,
    )
    page = response.content.decode()
    assert "This objective is archived" in page
    assert not Milestone.everything.filter(title="Open the virtual ward").exists()
    assert "Open the virtual ward" in page and TYPED in page


def test_adding_a_measure_under_an_objective_archived_meanwhile_shows_back_its_words(
    client, objective
):
    strategy = objective.priority.strategy
    url = _item_url(strategy, "objective", objective.pk, "add_measure")
    client.get(url)
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))  # another Admin
    fields = {"code": "M-WARD", "name": "Virtual ward beds", "kind": "success"}
    response = client.post(
        url, fields | {"unit": "count", "direction": "none", "definition": TYPED}, follow=True
    )
    page = response.content.decode()
    assert "This objective is archived" in page
    assert not Measure.everything.filter(code="M-WARD").exists()
    assert "Virtual ward beds" in page and TYPED in page


def test_an_add_whose_parent_is_archived_during_it_shows_back_its_words(
    client, objective, monkeypatch
):
    """Archived after the view found the objective live, before the add locked it."""
    from editor import ordering

    strategy = objective.priority.strategy
    numbered = ordering.next_number

    def archived_first(item):
        archiving.archive(Objective.objects.get(pk=objective.pk))
        return numbered(item)

    monkeypatch.setattr(ordering, "next_number", archived_first)
    response = client.post(
        _item_url(strategy, "objective", objective.pk, "add_child"),
        {"add-title": "Open the virtual ward", "add-heading": TYPED},
        follow=True,
    )
    page = response.content.decode()
    assert "What you were adding to was archived while you had the page open" in page
    assert not Milestone.everything.filter(title="Open the virtual ward").exists()
    assert TYPED in page


def test_an_archived_item_s_old_address_shows_nothing_typed(client, objective):
    strategy = objective.priority.strategy
    client.post(_item_url(strategy, "objective", objective.pk, "archive"))
    page = client.get(_item_url(strategy, "objective", objective.pk), follow=True)
    assert "so it has no screen" in page.content.decode()
    assert "What you typed" not in page.content.decode()
