"""Small helpers that build valid objects, so a test names only what it is about."""

import datetime as dt
from itertools import count

from measures.models import Measure
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy

_seq = count(1)


def make_strategy(**fields) -> Strategy:
    n = next(_seq)
    organisation = fields.pop("organisation", None) or Organisation.objects.create(
        name=f"Organisation {n}"
    )
    defaults = {
        "title": f"Strategy {n}",
        "slug": f"strategy-{n}",
        "period_start": dt.date(2023, 4, 1),
        "period_end": dt.date(2028, 3, 31),
        "status": Strategy.Status.PUBLISHED,
    }
    return Strategy.objects.create(organisation=organisation, **defaults | fields)


def make_priority(strategy: Strategy | None = None, **fields) -> Priority:
    strategy = strategy or make_strategy()
    number = fields.pop("number", strategy.priorities.count() + 1)
    return Priority.objects.create(
        strategy=strategy, number=number, **{"title": f"Priority {number}"} | fields
    )


def make_objective(priority: Priority | None = None, **fields) -> Objective:
    priority = priority or make_priority()
    number = fields.pop("number", priority.objectives.count() + 1)
    return Objective.objects.create(
        priority=priority, number=number, **{"title": f"Objective {number}"} | fields
    )


def make_milestone(objective: Objective | None = None, **fields) -> Milestone:
    objective = objective or make_objective()
    return Milestone.objects.create(objective=objective, **{"title": "A milestone"} | fields)


def make_measure(objective: Objective | None = None, **fields) -> Measure:
    if "priority" not in fields:
        fields["objective"] = objective or make_objective()
    n = next(_seq)
    return Measure.objects.create(**{"code": f"M-{n}", "name": f"Measure {n}"} | fields)
