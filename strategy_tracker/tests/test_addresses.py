"""Addresses filled in from a reversed pattern are the addresses reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix

from strategy_tracker.addresses import address, forget
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    strategy = make_strategy(slug="a-b_c-2024")
    priority = make_priority(strategy, part=2, number=3)
    objective = make_objective(priority, number=12)
    return {
        "strategy": strategy,
        "priority": priority,
        "objective": objective,
        "milestone": make_milestone(objective),
        "measure": make_measure(objective, code="X_Y-9"),
    }


def test_every_page_address_is_what_reverse_gives(tree):
    s, p, o, m = tree["strategy"], tree["priority"], tree["objective"], tree["milestone"]
    expected = {
        "strategy": reverse("objectives:strategy_detail", args=[s.slug]),
        "priority": reverse("objectives:priority_detail", args=[s.slug, (2, 3)]),
        "objective": reverse("objectives:objective_detail", args=[s.slug, (2, 3), 12]),
        "milestone": reverse("milestones:detail", args=[s.slug, (2, 3), 12, m.pk]),
        "measure": reverse("measures:detail", args=["X_Y-9"]),
    }
    assert {name: obj.get_absolute_url() for name, obj in tree.items()} == expected
    assert expected["priority"].endswith("/priorities/part2-3/")
    assert p.get_absolute_url() and o.get_absolute_url()


def test_an_address_follows_the_script_prefix():
    forget()
    try:
        set_script_prefix("/tracker/")
        assert address("measures:detail", "M1") == "/tracker/measures/M1/"
    finally:
        set_script_prefix("/")
    assert address("measures:detail", "M1") == "/measures/M1/"
