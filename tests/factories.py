"""Small helpers that build valid objects, so a test names only what it is about."""

import datetime as dt
from decimal import Decimal
from itertools import count

from measures.models import Measure, MeasureValue
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy
from risks.models import Risk

_seq = count(1)


def violates(create) -> bool:
    """Whether the database refuses what `create` writes (an IntegrityError), leaving the
    test's transaction usable."""
    from django.db import IntegrityError, transaction

    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


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


def make_risk(*objectives: Objective, **fields) -> Risk:
    """A risk to `objectives` (of one strategy), scored current 4×3 = 12, target 2×2."""
    strategy = fields.pop("strategy", None) or objectives[0].priority.strategy
    number = fields.pop("number", strategy.risks.count() + 1)
    risk = Risk.objects.create(
        strategy=strategy,
        number=number,
        **{
            "title": f"Risk {number}",
            "cause": "Because of a cause",
            "event": "there is a risk that something happens",
            "effect": "resulting in harm",
            "inherent_likelihood": 5,
            "inherent_impact": 4,
            "current_likelihood": 4,
            "current_impact": 3,
            "target_likelihood": 2,
            "target_impact": 2,
            "appetite": "cautious",
            "review_date": dt.date.today() + dt.timedelta(days=90),
        }
        | fields,
    )
    risk.objectives.set(objectives)
    return risk


def make_value(measure: Measure, period_end, value) -> MeasureValue:
    return MeasureValue.objects.create(
        measure=measure, period_end=period_end, value=Decimal(str(value))
    )


def make_big_strategy(
    size: int = 1, today: dt.date | None = None, slug: str | None = None
) -> Strategy:
    """A strategy several times the size of the seeds: `size` scales every level.

    Milestones get a spread of statuses and due dates around `today`, measures quarterly
    values against a target, so every RAG colour appears.
    """
    today = today or dt.date.today()
    strategy = make_strategy(slug=slug) if slug else make_strategy()
    statuses = list(Milestone.Status.values)
    n = 0
    for p in range(1, 2 + 2 * size):
        priority = make_priority(strategy, number=p)
        make_measure(priority=priority, direction="lower", target_value=Decimal(5))
        for o in range(1, 2 + 2 * size):
            objective = make_objective(priority, number=o)
            for _ in range(2 + size):
                n += 1
                Milestone.objects.create(
                    objective=objective,
                    title=f"Milestone {n}",
                    status=statuses[n % len(statuses)],
                    due_date=today + dt.timedelta(days=(n * 17) % 400 - 200),
                    forecast_date=today + dt.timedelta(days=(n * 23) % 300 - 100),
                )
            measure = make_measure(
                objective,
                direction="higher",
                unit="%",
                target_value=Decimal(80),
                tolerance=Decimal(5),
            )
            MeasureValue.objects.bulk_create(
                MeasureValue(
                    measure=measure,
                    period_end=dt.date(
                        2020 + q // 4, 3 * (q % 4) + 3, 30 if q % 4 in (1, 2) else 31
                    ),
                    value=Decimal(60 + (q * 7 + o) % 35),
                )
                for q in range(4 * size + 2)
            )
    return strategy
