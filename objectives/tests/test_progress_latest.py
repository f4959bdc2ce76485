"""A measure's latest value on the strategy pages: the one with_latest_value() reads, whether
build_progress takes it from the values it read or from the measure's stored reading."""

import datetime as dt

import pytest

from measures import readings
from measures.models import Measure
from measures.readings import rows_with_latest_value
from milestones.models import MilestoneQuerySet
from objectives.progress import build_progress, strategy_rollups
from strategy_tracker.status import Rag
from tests.factories import make_measure, make_milestone, make_objective, make_value

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def _latest(strategy, charts: bool) -> dict[str, tuple]:
    progress = build_progress(strategy, TODAY, charts=charts)
    return {
        item.obj.code: (item.obj.latest_value, item.obj.latest_period_end)
        for item in progress.measures
    }


def _as_sql_reads_it(strategy) -> dict[str, tuple]:
    measures = Measure.objects.for_strategies([strategy.id]).with_latest_value()
    return {m.code: (m.latest_value, m.latest_period_end) for m in measures}


@pytest.mark.parametrize("charts", [True, False])
def test_the_latest_value_is_the_last_one_reported_however_it_is_read(charts):
    objective = make_objective()
    strategy = objective.priority.strategy
    filled = make_measure(objective, code="FILLED")
    make_measure(objective, code="EMPTY")
    make_value(filled, dt.date(2026, 3, 31), 12)
    make_value(filled, dt.date(2026, 6, 30), 15)
    make_value(filled, dt.date(2025, 12, 31), 99)  # written last, but the oldest period

    # Stale readings: the values are read.
    assert _latest(strategy, charts) == _as_sql_reads_it(strategy)
    assert _latest(strategy, charts)["FILLED"][1] == dt.date(2026, 6, 30)

    # Current readings: the dashboard (no charts) reads the stored latest value instead.
    readings.refresh()
    assert _latest(strategy, charts) == _as_sql_reads_it(strategy)
    assert _latest(strategy, charts)["EMPTY"] == (None, None)

    # A figure written since the readings were worked out is shown at once.
    make_value(filled, dt.date(2026, 9, 30), 7)
    assert _latest(strategy, charts)["FILLED"] == _as_sql_reads_it(strategy)["FILLED"]
    assert _latest(strategy, charts)["FILLED"][1] == dt.date(2026, 9, 30)


def test_the_list_of_strategies_judges_the_latest_value_as_the_dashboard_does():
    objective = make_objective()
    strategy = objective.priority.strategy
    rate = make_measure(objective, code="RATE", direction="higher", target_value=10)
    make_measure(objective, code="NONE", direction="higher", target_value=10)
    make_value(rate, dt.date(2026, 6, 30), 12)  # green

    def both():
        # Each measure's own latest value too, so none is put on another's row.
        rows = rows_with_latest_value(Measure.objects.for_strategies([strategy.id]), "id", "code")
        listed = {row.code: (row.latest_value, row.latest_period_end) for row in rows}
        assert listed == _as_sql_reads_it(strategy)
        listed = strategy_rollups([strategy.id], TODAY)[strategy.id]
        return listed, build_progress(strategy, TODAY, charts=False).rollup

    listed, dashboard = both()  # stale readings: the values are read
    assert listed == dashboard
    assert listed.counts == {Rag.GREEN: 1, Rag.GREY: 1}
    readings.refresh()
    listed, dashboard = both()
    assert listed == dashboard
    assert listed.counts == {Rag.GREEN: 1, Rag.GREY: 1}
    # Reported since the readings were worked out: the list reads it at once, as the
    # dashboard does, and quotes the one red measure's reason in words as the dashboard does.
    make_value(rate, dt.date(2026, 9, 30), 3)  # red
    listed, dashboard = both()
    assert listed == dashboard
    assert listed.counts == {Rag.RED: 1, Rag.GREY: 1}
    assert listed.reason.startswith("1 measure 70% below target")


def test_the_list_words_only_the_measures_its_roll_up_quotes(monkeypatch):
    """Two measures with the same finding are counted, not quoted: the roll-up reads the
    same as the dashboard's either way. Its milestones are counted by what was found alone,
    without building the colour's and rank's CASEs too."""
    objective = make_objective()
    strategy = objective.priority.strategy
    for code, value in (("A", 3), ("B", 4), ("C", 12)):
        measure = make_measure(objective, code=code, direction="higher", target_value=10)
        make_value(measure, dt.date(2026, 9, 30), value)
    make_milestone(objective, title="Late", due_date=dt.date(2026, 1, 31))
    dashboard = build_progress(strategy, TODAY, charts=False).rollup
    with monkeypatch.context() as patched:
        patched.setattr(MilestoneQuerySet, "with_rag", None)
        listed = strategy_rollups([strategy.id], TODAY)[strategy.id]
    assert listed == dashboard
    assert listed.reason == "1 milestone overdue, 2 measures below target"


def test_the_list_quotes_each_strategys_one_measure_with_a_finding():
    """The measure quoted is the one alone with its finding in its own strategy: two
    strategies with one red measure each both quote theirs."""
    strategies = []
    for value in (3, 4):
        objective = make_objective()
        measure = make_measure(objective, direction="higher", target_value=10)
        make_value(measure, dt.date(2026, 9, 30), value)
        strategies.append(objective.priority.strategy)
    listed = strategy_rollups([s.id for s in strategies], TODAY)
    for strategy, gap in zip(strategies, ("70%", "60%"), strict=True):
        dashboard = build_progress(strategy, TODAY, charts=False).rollup
        assert listed[strategy.id] == dashboard
        assert listed[strategy.id].reason.startswith(f"1 measure {gap} below target")
