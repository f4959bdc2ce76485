"""The database annotation must colour every milestone exactly as milestones.status does.

Every combination of status, due date at each boundary, forecast around the due date and
updated-or-not is tried: a few hundred rows, so nothing is left to chance.
"""

import datetime as dt
import itertools

import pytest

from milestones.models import Milestone
from strategy_tracker.status import DISPLAY_ORDER, Rag
from tests.factories import make_objective

TODAY = dt.date(2026, 11, 23)
DUE_OFFSETS = [None, -31, -1, 0, 1, 29, 30, 31, 400]
FORECAST_SHIFTS = [None, -1, 0, 1]
UPDATED = [None, dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)]


def _combinations():
    for status, due_offset, shift, updated in itertools.product(
        Milestone.Status.values, DUE_OFFSETS, FORECAST_SHIFTS, UPDATED
    ):
        due = None if due_offset is None else TODAY + dt.timedelta(days=due_offset)
        base = due or TODAY
        forecast = None if shift is None else base + dt.timedelta(days=shift)
        yield {
            "status": status,
            "due_date": due,
            "forecast_date": forecast,
            "last_updated_at": updated,
        }


@pytest.mark.django_db
def test_sql_and_python_give_the_same_colour_and_finding_for_every_combination():
    objective = make_objective()
    created = Milestone.objects.bulk_create(
        Milestone(objective=objective, title="m", **fields) for fields in _combinations()
    )
    in_sql = {
        pk: (rag, finding)
        for pk, rag, finding in Milestone.objects.with_rag(TODAY).values_list(
            "id", "rag_value", "rag_finding"
        )
    }

    mismatches = [
        (m.status, m.due_date, m.forecast_date, m.last_updated_at, in_sql[m.id])
        for m in created
        if in_sql[m.id] != (m.rag(TODAY).rag.value, m.rag(TODAY).finding)
    ]
    assert len(created) == 6 * 9 * 4 * 2
    assert mismatches == []


@pytest.mark.django_db
def test_the_finding_alone_is_the_finding_with_the_colour_and_rank():
    """with_rag_finding builds one CASE, not three, and finds what with_rag finds."""
    objective = make_objective()
    Milestone.objects.bulk_create(
        Milestone(objective=objective, title="m", **fields) for fields in _combinations()
    )
    alone = Milestone.objects.with_rag_finding(TODAY)
    assert dict(alone.values_list("id", "rag_finding")) == dict(
        Milestone.objects.with_rag(TODAY).values_list("id", "rag_finding")
    )
    assert str(alone.query).count("CASE") == 1
    assert str(Milestone.objects.with_rag(TODAY).query).count("CASE") == 3


@pytest.mark.django_db
def test_the_rank_orders_by_colour_and_reads_its_own_columns_inside_a_subquery():
    """rag_rank is the colour's place in DISPLAY_ORDER (0 = red). Used inside another query,
    the CASE reads the subquery's own columns, not the outer query's."""
    objective = make_objective()
    Milestone.objects.bulk_create(
        Milestone(objective=objective, title="m", **fields) for fields in _combinations()
    )
    rows = Milestone.objects.with_rag(TODAY).values_list("id", "rag_value", "rag_rank")
    assert {rank for _, _, rank in rows} == {0, 1, 2, 3, 4}
    assert all(rank == DISPLAY_ORDER.index(Rag(rag)) for _, rag, rank in rows)
    red = Milestone.objects.with_rag_rank(TODAY).filter(rag_rank=0).values("id")
    outer = Milestone.objects.filter(id__in=red).exclude(status="complete").order_by("id")
    expected = [pk for pk, rag, _ in rows if rag == Rag.RED]
    assert list(outer.values_list("id", flat=True)) == sorted(expected)
