"""A strategy's delivery, rolled up: milestones and measures → objective → priority → strategy.

Each function reads in a fixed number of queries, whatever the size of the strategy, and
leaves the rules to objectives.rag.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from measures.models import Kind, Measure, MeasureValue
from measures.spc import SpcResult
from milestones.models import Milestone
from objectives.models import Objective, Priority, Strategy
from objectives.rag import RollUp, Status, milestone_status, roll_up
from strategy_tracker.data_version import data_version


@dataclass
class Item:
    """A milestone or measure with its status."""

    obj: Milestone | Measure
    status: Status
    spc: SpcResult | None = None  # measures only


@dataclass
class ObjectiveProgress:
    objective: Objective
    milestones: list[Item] = field(default_factory=list)
    measures: list[Item] = field(default_factory=list)
    # Context indicators: shown apart, never in the roll-up or its counts.
    context: list[Item] = field(default_factory=list)

    @property
    def statuses(self) -> list[Status]:
        return [item.status for item in self.milestones + self.measures]

    @property
    def rollup(self) -> RollUp:
        return roll_up(self.statuses)


@dataclass
class PriorityProgress:
    priority: Priority
    objectives: list[ObjectiveProgress] = field(default_factory=list)
    measures: list[Item] = field(default_factory=list)
    context: list[Item] = field(default_factory=list)

    @property
    def statuses(self) -> list[Status]:
        own = [item.status for item in self.measures]
        return own + [s for o in self.objectives for s in o.statuses]

    @property
    def rollup(self) -> RollUp:
        return roll_up(self.statuses)

    @property
    def milestones(self) -> list[Item]:
        return [m for o in self.objectives for m in o.milestones]

    @property
    def all_measures(self) -> list[Item]:
        return self.measures + [m for o in self.objectives for m in o.measures]

    @property
    def all_context(self) -> list[Item]:
        return self.context + [m for o in self.objectives for m in o.context]


@dataclass
class StrategyProgress:
    strategy: Strategy
    today: dt.date
    priorities: list[PriorityProgress] = field(default_factory=list)

    @property
    def statuses(self) -> list[Status]:
        return [s for p in self.priorities for s in p.statuses]

    @property
    def rollup(self) -> RollUp:
        return roll_up(self.statuses)

    @property
    def milestones(self) -> list[Item]:
        return [m for p in self.priorities for m in p.milestones]

    @property
    def measures(self) -> list[Item]:
        return [m for p in self.priorities for m in p.all_measures]

    @property
    def context(self) -> list[Item]:
        return [m for p in self.priorities for m in p.all_context]

    @property
    def period_ended(self) -> bool:
        return self.strategy.period_end < self.today


def _measures(strategy_ids: list[int]) -> QuerySet[Measure]:
    return (
        Measure.objects.for_strategies(strategy_ids)
        .with_latest_value()
        .prefetch_related("trajectory")
        .order_by("id")
    )


def build_progress(
    strategy: Strategy, today: dt.date, only_priority: Priority | None = None
) -> StrategyProgress:
    """The tree for one strategy, or for one of its priorities: objectives, milestones and
    measures with their statuses. A priority's tree carries its measures' values (for charts).
    """
    objectives = Objective.objects.order_by("number")
    priorities = Priority.objects.filter(strategy=strategy).order_by("part", "number")
    milestones = Milestone.objects.for_strategy(strategy)
    measures = _measures([strategy.id])
    if only_priority:
        priorities = priorities.filter(id=only_priority.id)
        milestones = milestones.filter(objective__priority=only_priority)
        measures = measures.filter(Q(priority=only_priority) | Q(objective__priority=only_priority))
    # Values for the charts and the SPC icons, in one query for every measure.
    measures = measures.prefetch_related(
        Prefetch("values", queryset=MeasureValue.objects.order_by("period_end"))
    )
    priorities = priorities.prefetch_related(Prefetch("objectives", queryset=objectives))

    milestones_by_objective = defaultdict(list)
    for milestone in milestones.select_related("owner", "last_updated_by").order_by(
        "position", "id"
    ):
        milestones_by_objective[milestone.objective_id].append(
            Item(milestone, milestone.rag(today))
        )
    # Keyed by (kind, parent id): success measures and context indicators go apart.
    by_objective, by_priority = defaultdict(list), defaultdict(list)
    for measure in measures:
        item = Item(measure, measure.rag(today), measure.spc_reading())
        if measure.objective_id:
            by_objective[measure.kind, measure.objective_id].append(item)
        else:
            by_priority[measure.kind, measure.priority_id].append(item)

    progress = StrategyProgress(strategy, today)
    for priority in priorities:
        priority.strategy = strategy  # already fetched; saves a query per priority
        priority_progress = PriorityProgress(
            priority,
            measures=by_priority[Kind.SUCCESS, priority.id],
            context=by_priority[Kind.CONTEXT, priority.id],
        )
        for objective in priority.objectives.all():
            objective.priority = priority  # already fetched; saves a query per objective
            for item in milestones_by_objective[objective.id]:
                item.obj.objective = objective
            priority_progress.objectives.append(
                ObjectiveProgress(
                    objective,
                    milestones=milestones_by_objective[objective.id],
                    measures=by_objective[Kind.SUCCESS, objective.id],
                    context=by_objective[Kind.CONTEXT, objective.id],
                )
            )
        progress.priorities.append(priority_progress)
    return progress


def strategy_rollups(strategies: list[Strategy], today: dt.date) -> dict[int, RollUp]:
    """The overall roll-up of each strategy, in two queries for any number of strategies,
    or none when nothing has changed since it was last worked out (see data_version)."""
    key = f"rollups:{today.isoformat()}:{data_version()}"
    cached = cache.get(key)
    if cached is None:
        cached = _all_strategy_rollups(today)
        cache.set(key, cached, 3600)
    return {s.id: cached.get(s.id, roll_up([])) for s in strategies}


def _all_strategy_rollups(today: dt.date) -> dict[int, RollUp]:
    """Every strategy's roll-up, so one cache entry serves the list however it is filtered."""
    ids = list(Strategy.objects.values_list("id", flat=True))
    statuses: dict[int, list[Status]] = defaultdict(list)
    milestone_fields = ["status", "due_date", "forecast_date", "last_updated_at"]
    for row in Milestone.objects.filter(objective__priority__strategy__in=ids).values(
        "objective__priority__strategy", *milestone_fields
    ):
        strategy_id = row.pop("objective__priority__strategy")
        # The rule itself, not a model instance per row: thousands of rows at trust size.
        statuses[strategy_id].append(milestone_status(**row, today=today))
    measures = (
        _measures(ids)
        .success_measures()
        .annotate(strategy_id=Coalesce("priority__strategy", "objective__priority__strategy"))
    )
    for measure in measures:
        statuses[measure.strategy_id].append(measure.rag(today))
    return {i: roll_up(statuses[i]) for i in ids}
