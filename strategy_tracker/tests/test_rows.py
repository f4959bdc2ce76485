"""Rows built in one step (strategy_tracker/rows.py) are the instances Model.__init__ builds."""

import datetime as dt

import pytest
from django.db.models import Model
from django.db.models.signals import post_init

from measures.models import Measure, MeasureReading
from milestones.models import Milestone
from objectives.models import Objective, Organisation, Priority, Strategy
from reporting.models import SnapshotItem
from strategy_tracker.rows import BuiltInOneStep
from tests.factories import make_measure, make_milestone

pytestmark = pytest.mark.django_db


def _built_by_init(queryset, monkeypatch):
    """The same row, built by Django's own from_db (Model.__init__)."""
    with monkeypatch.context() as patched:
        patched.setattr(BuiltInOneStep, "from_db", classmethod(Model.from_db.__func__))
        return queryset.get()


def _built_in_one_step(queryset, models, monkeypatch):
    """The row, with __init__ of each of `models` refusing to run: proof it was not used."""

    def refuse(*args, **kwargs):
        raise AssertionError("built by Model.__init__")

    with monkeypatch.context() as patched:
        for model in models:
            patched.setattr(model, "__init__", refuse)
        return queryset.get()


def _fields(row) -> dict:
    return {
        k: v for k, v in row.__dict__.items() if k not in ("_state", "_prefetched_objects_cache")
    }


@pytest.mark.parametrize(
    "model",
    [Milestone, Measure, MeasureReading, Priority, Objective, SnapshotItem, Strategy, Organisation],
)
def test_the_models_read_by_the_hundred_are_built_in_one_step(model):
    assert issubclass(model, BuiltInOneStep)


def test_a_row_built_in_one_step_equals_one_built_by_init(monkeypatch):
    milestone = make_milestone(title="Open the hub", due_date=dt.date(2026, 3, 31))
    measure = make_measure(code="WAIT")
    rows = [
        (Milestone.objects.filter(pk=milestone.pk), [Milestone]),
        (Measure.objects.filter(pk=measure.pk), [Measure]),
        (Priority.objects.filter(pk=milestone.objective.priority_id), [Priority]),
        (Objective.objects.filter(pk=milestone.objective_id), [Objective]),
        (Strategy.objects.filter(pk=milestone.objective.priority.strategy_id), [Strategy]),
        (
            Organisation.objects.filter(pk=milestone.objective.priority.strategy.organisation_id),
            [Organisation],
        ),
        # Its objective, priority, strategy and organisation built the same way, by
        # select_related.
        (
            Milestone.objects.filter(pk=milestone.pk).select_related(
                "objective__priority__strategy__organisation"
            ),
            [Milestone, Objective, Priority, Strategy, Organisation],
        ),
    ]
    for queryset, models in rows:
        one_step = _built_in_one_step(queryset, models, monkeypatch)
        usual = _built_by_init(queryset, monkeypatch)
        assert type(one_step) is type(usual) is models[0]
        assert _fields(one_step) == _fields(usual)
        assert (one_step._state.adding, one_step._state.db) == (False, "default")
    related = _built_in_one_step(rows[-1][0], rows[-1][1], monkeypatch)
    assert related.objective.priority.pk == milestone.objective.priority_id
    assert _fields(related.objective) == _fields(_built_by_init(rows[3][0], monkeypatch))


def test_a_deferred_field_is_read_when_first_used(django_assert_num_queries):
    milestone = make_milestone(title="Open the hub", commentary="Builders booked.")
    row = Milestone.objects.only("id", "title").get(pk=milestone.pk)
    assert row.get_deferred_fields() >= {"commentary", "due_date"}
    with django_assert_num_queries(1):
        assert row.commentary == "Builders booked."


def test_a_row_built_in_one_step_saves_as_an_update_with_its_history():
    milestone = make_milestone(title="Open the hub")
    row = Milestone.objects.get(pk=milestone.pk)
    row.title = "Open the new hub"
    row.save()
    assert Milestone.objects.count() == 1
    assert list(row.history.values_list("title", flat=True)) == ["Open the new hub", "Open the hub"]


def test_while_something_listens_for_post_init_rows_are_built_by_init():
    milestone = make_milestone(title="Open the hub")
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance.title)

    post_init.connect(listener, sender=Milestone)
    try:
        Milestone.objects.get(pk=milestone.pk)
    finally:
        post_init.disconnect(listener, sender=Milestone)
    assert heard == ["Open the hub"]
