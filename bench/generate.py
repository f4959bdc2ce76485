"""A synthetic trust-sized dataset, built with a fixed random seed so every run is the same.

`scale=1` is the "trust" size of the brief: 40 strategies × 6 priorities × 8 objectives × 6
milestones (11,520 milestones), 1,500 measures × 120 monthly values (180,000 values), and a
year of monthly updates in each milestone's history. Larger runs are one flag away.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from measures.models import Measure, MeasureValue
from milestones.models import Milestone
from objectives.models import Membership, Objective, Organisation, Priority, Strategy
from risks.models import Risk, RiskAction
from strategy_tracker.roles import PROGRAMME_LEAD

SEED = 20261123
STATUSES = ["not_started", "on_track", "on_track", "at_risk", "off_track", "complete"]


def _month_ends(count: int, last: dt.date) -> list[dt.date]:
    ends, year, month = [], last.year, last.month
    for _ in range(count):
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        ends.append(next_month - dt.timedelta(days=1))
        month -= 1
        if month == 0:
            month, year = 12, year - 1
    return list(reversed(ends))


@transaction.atomic
def generate(scale: float = 1.0, today: dt.date | None = None) -> dict:
    rng = random.Random(SEED)
    today = today or timezone.localdate()
    strategies = max(1, round(40 * scale))
    measure_total = max(1, round(1500 * scale))
    leads = []
    organisation, _ = Organisation.objects.get_or_create(name="Bench NHS Foundation Trust")
    for n in range(20):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-lead-{n}", defaults={"first_name": "Lead", "last_name": str(n)}
        )
        Membership.objects.get_or_create(user=user, organisation=organisation, role=PROGRAMME_LEAD)
        leads.append(user)
    Strategy.objects.bulk_create(
        Strategy(
            organisation=organisation,
            title=f"Care unit {s} strategic plan",
            slug=f"bench-unit-{s}",
            status="published",
            period_start=dt.date(2023, 4, 1),
            period_end=dt.date(2028, 3, 31),
        )
        for s in range(strategies)
    )
    strategy_objs = list(Strategy.objects.filter(slug__startswith="bench-unit-").order_by("id"))
    Priority.objects.bulk_create(
        Priority(strategy=s, number=p, title=f"Priority {p} of {s.slug}")
        for s in strategy_objs
        for p in range(1, 7)
    )
    priorities = list(Priority.objects.filter(strategy__in=strategy_objs).order_by("id"))
    Objective.objects.bulk_create(
        Objective(
            priority=p,
            number=o,
            title=f"Objective {o}",
            we_will="Do the thing",
            where_now="Here",
            where_want="There",
        )
        for p in priorities
        for o in range(1, 9)
    )
    objectives = list(Objective.objects.filter(priority__in=priorities).order_by("id"))
    now = timezone.now()
    milestones = []
    for objective in objectives:
        for m in range(1, 7):
            status = rng.choice(STATUSES)
            due = today + dt.timedelta(days=rng.randint(-500, 900))
            milestones.append(
                Milestone(
                    objective=objective,
                    position=m,
                    title=f"Milestone {m} of objective {objective.id}",
                    due_date=due,
                    due_text=f"{due:%B %Y}",
                    status=status,
                    owner=rng.choice(leads),
                    forecast_date=due + dt.timedelta(days=rng.choice([0, 0, 30, 90])),
                    commentary="Synthetic update",
                    last_updated_at=now - dt.timedelta(days=rng.randint(0, 60)),
                    version=13,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    milestones = list(Milestone.objects.filter(objective__in=objectives).order_by("id"))
    # A year of monthly updates: twelve history rows per milestone.
    history = Milestone.history.model
    rows = []
    for milestone in milestones:
        for month in range(12):
            rows.append(
                history(
                    id=milestone.id,
                    objective_id=milestone.objective_id,
                    position=milestone.position,
                    heading="",
                    title=milestone.title,
                    due_date=milestone.due_date,
                    due_text=milestone.due_text,
                    owner_id=milestone.owner_id,
                    status=STATUSES[(month + milestone.id) % len(STATUSES)],
                    forecast_date=milestone.forecast_date,
                    commentary=f"Update {month + 1}",
                    last_updated_at=now - dt.timedelta(days=30 * (12 - month)),
                    version=month + 1,
                    source_ref="",
                    history_date=now - dt.timedelta(days=30 * (12 - month)),
                    history_type="+" if month == 0 else "~",
                    history_user_id=milestone.owner_id,
                )
            )
        if len(rows) >= 20000:
            history.objects.bulk_create(rows, batch_size=5000)
            rows = []
    history.objects.bulk_create(rows, batch_size=5000)

    months = _month_ends(120, dt.date(today.year, today.month, 1) - dt.timedelta(days=1))
    measures = []
    for n in range(measure_total):
        objective = objectives[n % len(objectives)]
        measures.append(
            Measure(
                objective=objective,
                code=f"BENCH-M{n:05d}",
                name=f"Measure {n}",
                unit="%",
                direction=rng.choice(["higher", "lower"]),
                target_value=Decimal(rng.randint(40, 90)),
                tolerance=Decimal(5),
            )
        )
    Measure.objects.bulk_create(measures, batch_size=2000)
    measures = list(Measure.objects.filter(code__startswith="BENCH-M").order_by("id"))
    values = []
    for measure in measures:
        level = rng.uniform(40, 80)
        for month in months:
            level = min(100, max(0, level + rng.gauss(0, 2)))
            values.append(
                MeasureValue(measure=measure, period_end=month, value=Decimal(f"{level:.2f}"))
            )
        if len(values) >= 30000:
            MeasureValue.objects.bulk_create(values, batch_size=5000)
            values = []
    MeasureValue.objects.bulk_create(values, batch_size=5000)
    risks = _risks(strategy_objs, leads, today)
    return {
        "strategies": len(strategy_objs),
        "milestones": len(milestones),
        "milestone_history_rows": len(milestones) * 12,
        "measures": len(measures),
        "values": len(measures) * len(months),
        "risks": risks,
    }


RISKS_PER_STRATEGY = 30  # a Board Assurance Framework's principal risks, and then some
ACTIONS_PER_RISK = 3


def _risks(strategies: list[Strategy], leads: list, today: dt.date) -> int:
    """Each strategy's risk register: open risks (a few closed) scored across the matrix, each
    threatening a priority and two of its objectives, with actions. Its own random stream, so
    adding it left the rest of the data as it was."""
    rng = random.Random(SEED + 1)
    risks = []
    for strategy in strategies:
        for number in range(1, RISKS_PER_STRATEGY + 1):
            current = rng.randint(1, 5), rng.randint(1, 5)
            risks.append(
                Risk(
                    strategy=strategy,
                    number=number,
                    title=f"Risk {number} of {strategy.slug}",
                    cause="Synthetic cause",
                    event="Synthetic event",
                    effect="Synthetic effect",
                    owner=rng.choice(leads),
                    inherent_likelihood=5,
                    inherent_impact=5,
                    current_likelihood=current[0],
                    current_impact=current[1],
                    target_likelihood=rng.randint(1, current[0]),
                    target_impact=rng.randint(1, current[1]),
                    appetite=rng.choice(["averse", "minimal", "cautious", "open", "seek"]),
                    controls="Synthetic controls",
                    review_date=today + dt.timedelta(days=rng.randint(-60, 120)),
                    status="closed" if number % 10 == 0 else "open",
                )
            )
    bulk_create_with_history(risks, Risk, batch_size=2000)
    risks = list(Risk.objects.filter(strategy__in=strategies).order_by("id"))
    objectives = defaultdict(list)
    for objective in Objective.objects.filter(priority__strategy__in=strategies).order_by("id"):
        objectives[objective.priority_id].append(objective)
    priorities = defaultdict(list)
    for priority in Priority.objects.filter(strategy__in=strategies).order_by("id"):
        priorities[priority.strategy_id].append(priority)
    priority_links, objective_links, actions = [], [], []
    for risk in risks:
        priority = rng.choice(priorities[risk.strategy_id])
        priority_links.append(Risk.priorities.through(risk=risk, priority=priority))
        for objective in rng.sample(objectives[priority.id], 2):
            objective_links.append(Risk.objectives.through(risk=risk, objective=objective))
        for n in range(ACTIONS_PER_RISK):
            actions.append(
                RiskAction(
                    risk=risk,
                    description=f"Action {n + 1}",
                    owner=rng.choice(leads),
                    due_date=today + dt.timedelta(days=rng.randint(-30, 180)),
                    done=n == 0,
                )
            )
    Risk.priorities.through.objects.bulk_create(priority_links, batch_size=5000)
    Risk.objectives.through.objects.bulk_create(objective_links, batch_size=5000)
    bulk_create_with_history(actions, RiskAction, batch_size=5000)
    return len(risks)
