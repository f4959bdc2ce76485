"""An objective's page reads only its objective (build_progress's `only_objective`): the same
milestones, measures, statuses and roll-up as the objective has in its priority's tree."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from milestones.models import Milestone
from objectives.progress import build_progress
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_value,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def _seen(objective_progress) -> dict:
    return {
        "objective": objective_progress.objective.pk,
        "milestones": [(i.obj.pk, i.status) for i in objective_progress.milestones],
        "measures": [
            (i.obj.pk, i.status, i.spc, [tuple(v) for v in i.obj.series])
            for i in objective_progress.measures
        ],
        "context": [(i.obj.pk, i.status) for i in objective_progress.context],
        "rollup": objective_progress.rollup,
    }


def test_an_objective_read_alone_is_the_objective_of_its_priority(monkeypatch):
    priority = make_priority()
    mine, other = make_objective(priority, number=1), make_objective(priority, number=2)
    for objective in (mine, other):
        make_milestone(objective, title="Late", due_date=dt.date(2026, 1, 31))
        make_milestone(objective, title="Ahead", due_date=dt.date(2027, 6, 30))
        measure = make_measure(objective, direction="higher", target_value=10)
        for month, value in ((3, 8), (6, 9), (9, 11)):
            make_value(measure, dt.date(2026, month, 30), value)
        make_measure(objective, kind="context")
    make_measure(priority=priority, direction="higher", target_value=10)  # the priority's own
    strategy = priority.strategy

    whole = build_progress(strategy, TODAY, only_priority=priority, owners=False)
    in_priority = next(o for o in whole.priorities[0].objectives if o.objective == mine)
    judged = []
    rag = Milestone.rag
    monkeypatch.setattr(
        Milestone, "rag", lambda m, today, *rest: judged.append(m.pk) or rag(m, today, *rest)
    )
    alone = build_progress(
        strategy, TODAY, only_priority=priority, only_objective=mine, owners=False
    )
    # Only its own milestones are read and judged.
    assert sorted(judged) == sorted(m.pk for m in mine.milestones.all())
    [priority_progress] = alone.priorities
    assert [o.objective for o in priority_progress.objectives] == [mine]
    assert _seen(priority_progress.objectives[0]) == _seen(in_priority)
    assert len(in_priority.milestones) == 2 and len(in_priority.measures) == 1
    # Nothing of the other objective or of the priority's own measures is read.
    assert priority_progress.measures == [] and priority_progress.context == []


def test_a_priority_or_objective_is_read_alone_only_within_its_own_parent():
    mine = make_objective(make_priority(), number=1)
    other = make_priority(mine.priority.strategy, number=2)
    with pytest.raises(ValueError):
        build_progress(mine.priority.strategy, TODAY, only_priority=other, only_objective=mine)
    with pytest.raises(ValueError):
        build_progress(mine.priority.strategy, TODAY, only_objective=mine)
    elsewhere = make_priority()  # of another strategy
    with pytest.raises(ValueError):
        build_progress(mine.priority.strategy, TODAY, only_priority=elsewhere)


def test_a_priority_read_alone_is_read_by_itself_and_is_the_priority_of_its_strategy():
    priority = make_priority()
    other = make_priority(priority.strategy, number=2)
    for parent in (priority, other):
        objective = make_objective(parent, number=1)
        make_objective(parent, number=2)  # with nothing of its own
        make_milestone(objective, title="Late", due_date=dt.date(2026, 1, 31))
        measure = make_measure(objective, direction="higher", target_value=10)
        make_value(measure, dt.date(2026, 9, 30), 11)
        make_measure(priority=parent, direction="lower", target_value=10)
    strategy = priority.strategy

    whole = build_progress(strategy, TODAY, owners=False)
    with CaptureQueriesContext(connection) as queries:
        alone = build_progress(strategy, TODAY, only_priority=priority, owners=False)
    [in_whole] = [p for p in whole.priorities if p.priority == priority]
    [read_alone] = alone.priorities
    assert [_seen(o) for o in read_alone.objectives] == [_seen(o) for o in in_whole.objectives]
    assert [(i.obj.pk, i.status) for i in read_alone.measures] == [
        (i.obj.pk, i.status) for i in in_whole.measures
    ]
    assert read_alone.rollup == in_whole.rollup and len(read_alone.measures) == 1
    # Its measures (its own and its objectives', in one query) and milestones are found by
    # the ids of the priority and its objectives, not by joins through them to the strategy.
    reads = [q["sql"] for q in queries if 'FROM "measures_measure"' in q["sql"]]
    reads += [q["sql"] for q in queries if 'FROM "milestones_milestone"' in q["sql"]]
    assert len(reads) == 2
    assert not any('"objectives_' in sql for sql in reads), reads
