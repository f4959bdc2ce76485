"""A strategy's delivery, rolled up: milestones and measures → objective → priority → strategy.

Each function reads in a fixed number of queries, whatever the size of the strategy, and
leaves the rules to milestones/status.py and measures/status.py.
"""

import datetime as dt
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, prefetch_related_objects

from measures.models import Kind, Measure, planned_by_measure, series_by_measure
from measures.readings import StoredReading, current_readings, rows_with_latest_value
from measures.spc import SpcResult
from measures.status import STATUS_FIELDS, status_of
from milestones.models import Milestone
from milestones.status import FINDING_RAG
from objectives.models import Objective, Priority, Strategy
from strategy_tracker.status import RollUp, Status, roll_up, roll_up_counted


@dataclass
class Item:
    """A milestone or measure with its status."""

    obj: Milestone | Measure
    status: Status
    spc: SpcResult | StoredReading | None = None  # measures only


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

    @functools.cached_property
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

    @functools.cached_property
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

    @functools.cached_property
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


def _measures(
    strategy: Strategy,
    values_up_to: dt.date | None,
    only_priority: Priority | None,
    only_objective: Objective | None = None,
    objective_ids: list[int] | None = None,
) -> list[Measure]:
    """The strategy's measures, a query for each kind of parent (for_strategies_apart); or
    one priority's, its own and those of its objectives (`objective_ids`), in one query; or
    one objective's. In their order. As at a day, each with its latest value up to then;
    else build_progress sets the latest values from the values it reads or the stored
    readings (_set_latest)."""
    if only_objective:
        parts = [Measure.objects.filter(objective=only_objective)]
    elif only_priority:
        # By the parents' ids, without joins: each side of the OR has its index.
        parts = [
            Measure.objects.filter(Q(priority=only_priority) | Q(objective_id__in=objective_ids))
        ]
    else:
        parts = Measure.objects.for_strategies_apart([strategy.id])
    measures = {}
    for part in parts:
        # Unordered: sorted below. Building the default order by code was an eighth of the
        # query's cost in Django.
        part = part.select_related("reading", "data_quality__assessed_by").order_by()
        if values_up_to:
            part = part.with_latest_value(values_up_to)
        # By id: a measure moved to the other kind of parent between the two reads is
        # listed once, never twice.
        measures |= {m.id: m for m in part}
    return sorted(measures.values(), key=lambda m: (m.position, m.id))


def build_progress(
    strategy: Strategy,
    today: dt.date,
    only_priority: Priority | None = None,
    values_up_to: dt.date | None = None,
    charts: bool = True,
    owners: bool = True,
    only_objective: Objective | None = None,
    at_close: bool = False,
) -> StrategyProgress:
    """The tree for one strategy, or for one of its priorities, or for one objective of that
    priority (`only_objective`: the priority's own measures and its other objectives are
    not read): objectives, milestones and measures with their statuses. Each measure carries
    its values as plain rows (`measure.series`) for its chart, table and SPC reading, read in
    one query for all.
    With `values_up_to`, measures are read as at that day: values for later periods are left
    out (a quarter's close judges the quarter's figures, as at its end).

    A measure whose stored SPC reading is current (measures/readings.py) carries that as its
    reading rather than one worked out again, except as at a day. With `charts=False` (a page
    that shows no chart), such a measure's values are not read (`measure.series` is empty).
    With `owners=False`, milestones come without their owner and last updater (a page that
    shows them for a few prefetches them for those). With `at_close`, milestones are judged
    at the end of `today`, as a quarter's close judges its last day (milestones/status.py)."""
    if only_objective and (only_priority is None or only_objective.priority_id != only_priority.id):
        raise ValueError("only_objective needs only_priority, the objective's own priority")
    if only_priority and only_priority.strategy_id != strategy.id:
        raise ValueError("only_priority must be a priority of the strategy")
    objectives = Prefetch("objectives", queryset=Objective.objects.order_by("number"))
    objective_ids = None
    # A priority's or an objective's by that alone, without for_strategy's joins to the
    # priority for its strategy.
    if only_objective:
        milestones = Milestone.objects.filter(objective=only_objective)
        priorities = [only_priority]  # read already, as the objective is
    elif only_priority:
        priorities = [only_priority]  # read already: only its objectives are read
        prefetch_related_objects(priorities, objectives)
        objective_ids = [o.id for o in only_priority.objectives.all()]
        milestones = Milestone.objects.filter(objective_id__in=objective_ids)
    else:
        milestones = Milestone.objects.for_strategy(strategy)
        priorities = Priority.objects.filter(strategy=strategy).order_by("part", "number")
        priorities = priorities.prefetch_related(objectives)
    measures = _measures(strategy, values_up_to, only_priority, only_objective, objective_ids)
    ids = [m.id for m in measures]
    stored = {} if values_up_to else current_readings(measures)
    to_read = ids if charts else [i for i in ids if i not in stored]
    series, planned = series_by_measure(to_read, values_up_to), planned_by_measure(ids)

    milestones_by_objective = defaultdict(list)
    if owners:
        milestones = milestones.select_related("owner", "last_updated_by")
    for milestone in milestones.order_by("position", "id"):
        milestones_by_objective[milestone.objective_id].append(
            Item(milestone, milestone.rag(today, at_close))
        )
    # Keyed by (kind, parent id): success measures and context indicators go apart.
    by_objective, by_priority = defaultdict(list), defaultdict(list)
    for measure in measures:
        measure.series, measure.planned = series.get(measure.id, []), planned.get(measure.id, [])
        reading = stored.get(measure.id) or measure.spc_reading(measure.series)
        if not values_up_to:  # else read with its latest value as at that day
            _set_latest(measure, measure.id in stored and not charts)
        item = Item(measure, measure.rag(today), reading)
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
        for objective in [only_objective] if only_objective else priority.objectives.all():
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


def _set_latest(measure: Measure, from_reading: bool) -> None:
    """The measure's `latest_value` and `latest_period_end`, as with_latest_value() reads them:
    from its values where they were read (every measure whose stored reading is not current),
    else from its stored reading, current for those values. Two subqueries a measure had cost
    a trust dashboard's measures query a fifth of its time."""
    if from_reading:
        row = measure.reading
        measure.latest_value, measure.latest_period_end = row.latest_value, row.latest_period_end
        measure.latest_period_text = row.latest_period_text
    else:
        last = measure.series[-1] if measure.series else None
        measure.latest_value = None if last is None else last.value
        measure.latest_period_end = None if last is None else last.period_end
        measure.latest_period_text = "" if last is None else last.period_text


def strategy_rollups(strategy_ids: list[int], today: dt.date) -> dict[int, RollUp]:
    """The overall roll-up of each strategy, in five queries for any number of strategies
    (six while a measure's stored reading is stale): milestones are counted in SQL by what was
    found (Milestone.objects.with_rag), and measures read as plain rows with their stored
    latest values (measures/readings.py), never a model instance each."""
    statuses: dict[int, list[tuple[Status, int]]] = defaultdict(list)
    counts = (
        Milestone.objects.filter(objective__priority__strategy__in=strategy_ids)
        .with_rag_finding(today)  # the colour and rank, unread, cost as much again each
        .values_list("objective__priority__strategy", "rag_finding")
        .annotate(n=Count("id"))
        .order_by()  # sorted below: sorting in SQL by the CASE cost a fifth of the query
    )
    # The reason's parts in the same order on every page load.
    for strategy_id, finding, n in sorted(counts, key=lambda row: row[1]):
        # A milestone's reason is never read in a roll-up: one Status stands for all n.
        statuses[strategy_id].append(
            (Status(FINDING_RAG[finding], finding, "milestone", finding), n)
        )
    rows, planned = [], {}
    for part in Measure.objects.for_strategies_apart(strategy_ids):
        measures = part.success_measures().order_by()
        rows += rows_with_latest_value(measures, "id", "strategy_id", *STATUS_FIELDS)
        # By subquery: a list of a thousand ids cost three times as long.
        planned |= planned_by_measure(measures.values("id"))
    judged = [(row, status_of(row, planned.get(row.id, []), today, words=False)) for row in rows]
    # A roll-up quotes a measure's own reason only where it is the one measure of its strategy
    # with that finding (roll_up_counted): only those are put in words, a few of a thousand.
    alone = Counter((row.strategy_id, status.rag, status.finding) for row, status in judged)
    for row, status in judged:
        if alone[row.strategy_id, status.rag, status.finding] == 1:
            status = status_of(row, planned.get(row.id, []), today)
        statuses[row.strategy_id].append((status, 1))
    return {i: roll_up_counted(statuses[i]) for i in strategy_ids}
