"""Stored SPC readings: current only while true of the values and settings, never shown stale."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from measures import readings
from measures.importing import confirm, store_upload
from measures.models import MeasureReading, MeasureValue
from measures.readings import StoredReading, current_readings, refresh
from measures.spc import Variation
from tests.factories import make_measure, make_objective, make_value
from tests.task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db


def month_ends(n: int, start=dt.date(2023, 1, 31)) -> list[dt.date]:
    ends, year, month = [], start.year, start.month
    for _ in range(n):
        first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
        ends.append(first_of_next - dt.timedelta(days=1))
        year, month = first_of_next.year, first_of_next.month
    return ends


def rising_measure(objective=None, code="RISE", points=20):
    """A higher-is-better measure whose last points climb: special cause improvement."""
    measure = make_measure(
        objective or make_objective(), code=code, direction="higher", target_value=Decimal(50)
    )
    for i, end in enumerate(month_ends(points)):
        make_value(measure, end, 40 + (i if i >= points - 8 else i % 2))
    return measure


def live(measure) -> StoredReading:
    values = list(measure.values.order_by("period_end"))
    return StoredReading.of(measure.spc_reading(values))


def test_a_refreshed_reading_is_the_reading_worked_out_from_the_values():
    objective = make_objective()
    rising, flat = rising_measure(objective), make_measure(objective, code="FLAT")
    for end in month_ends(3):
        make_value(flat, end, 7)

    assert refresh() == 2
    stored = current_readings([rising, flat])
    assert stored[rising.id] == live(rising)
    assert stored[rising.id].variation == Variation.IMPROVEMENT_HIGH
    assert stored[flat.id] == live(flat) and stored[flat.id].run_chart_only
    assert refresh() == 0  # all current: nothing worked out again


def test_every_way_of_writing_a_value_makes_the_reading_stale():
    measure = rising_measure()
    refresh()
    make_value(measure, dt.date(2025, 1, 31), 99)
    assert current_readings([measure]) == {}
    refresh()

    value = measure.values.get(period_end=dt.date(2025, 1, 31))
    value.value = Decimal(1)
    value.save()
    assert current_readings([measure]) == {}
    refresh()

    MeasureValue.objects.filter(pk=value.pk).delete()  # the admin's "delete selected"
    assert current_readings([measure]) == {}
    refresh()
    assert current_readings([measure])[measure.id] == live(measure)


def test_changing_a_measures_settings_makes_its_reading_stale():
    measure = rising_measure()
    refresh()
    measure.direction = "lower"
    assert current_readings([measure]) == {}  # before it is even saved: the inputs differ
    measure.save()
    refresh([measure.id])
    assert current_readings([measure])[measure.id].variation == Variation.CONCERN_HIGH


def test_a_write_during_a_refresh_leaves_the_reading_stale(monkeypatch):
    """The worker reads the values; a lead's value commits before it stores what it read."""
    measure = rising_measure()
    read_values = readings.series_by_measure

    def read_then_someone_writes(ids):
        series = read_values(ids)
        make_value(measure, dt.date(2025, 6, 30), 1)
        return series

    monkeypatch.setattr(readings, "series_by_measure", read_then_someone_writes)
    assert refresh([measure.id]) == 1
    assert current_readings([measure]) == {}
    monkeypatch.undo()
    refresh([measure.id])
    assert current_readings([measure])[measure.id] == live(measure)


def test_deleting_a_measure_deletes_its_reading():
    measure = rising_measure()
    refresh()
    measure.delete()
    assert not MeasureReading.objects.exists()


def test_an_import_makes_stale_only_the_measures_it_wrote(admin_user):
    objective = make_objective()
    written, untouched = rising_measure(objective, "WRIT"), rising_measure(objective, "UNTO")
    refresh()
    data = b"measure_code,period_end,value\nWRIT,2025-03-31,12\n"
    batch = store_upload(user=admin_user, file_name="q.csv", data=data)
    confirm(batch.pk, restatements_confirmed=False)
    assert set(current_readings([written, untouched])) == {untouched.id}


def test_one_task_per_transaction_refreshes_the_readings(django_capture_on_commit_callbacks):
    measure = make_measure(make_objective(), code="TASK")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for end in month_ends(16):
                make_value(measure, end, 5)
    assert DBTaskResult.objects.count() == 1
    assert current_readings([measure]) == {}
    assert run_queued_tasks() == 1
    assert current_readings([measure])[measure.id] == live(measure)


def test_the_command_works_out_the_stale_readings():
    from io import StringIO

    from django.core.management import call_command

    measure = rising_measure()
    out = StringIO()
    call_command("refresh_readings", stdout=out)
    assert out.getvalue().strip() == "1 readings worked out again."
    assert current_readings([measure])[measure.id] == live(measure)


def test_a_reading_worked_out_by_other_code_is_stale(monkeypatch):
    """After an upgrade that changed how readings are worked out, none is current."""
    measure = rising_measure()
    refresh()
    monkeypatch.setattr(readings, "RULES", "other code")
    assert current_readings([measure]) == {}


@pytest.mark.django_db(transaction=True)  # the worker's writes commit, and are checked, alone
def test_a_measure_deleted_while_readings_are_worked_out_leaves_the_others_stored(monkeypatch):
    objective = make_objective()
    kept, gone = rising_measure(objective, "KEPT"), rising_measure(objective, "GONE")
    read_values = readings.series_by_measure

    def read_then_someone_deletes(ids):
        series = read_values(ids)
        type(gone).objects.filter(pk=gone.pk).delete()
        return series

    monkeypatch.setattr(readings, "series_by_measure", read_then_someone_deletes)
    assert refresh() == 1
    assert current_readings([kept])[kept.id] == live(kept)
    assert not MeasureReading.objects.filter(measure_id=gone.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_value_saved_outside_a_transaction_is_marked_in_its_own(monkeypatch):
    """A save and its reading marked stale commit together: if marking fails, nothing is
    saved (else a reader would take the old reading for current)."""
    measure = rising_measure()

    def refused(ids):
        raise RuntimeError("marking failed")

    monkeypatch.setattr("measures.signals.mark_changed", refused)
    with pytest.raises(RuntimeError):
        make_value(measure, dt.date(2030, 3, 31), 1)
    assert not measure.values.filter(period_end=dt.date(2030, 3, 31)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_is_kept_when_the_worker_cannot_be_asked(monkeypatch, caplog):
    from types import SimpleNamespace

    from django.db import OperationalError

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("measures.tasks.refresh_readings", SimpleNamespace(enqueue=busy))
    measure = rising_measure()  # each value commits, then asks the worker, which fails
    assert measure.values.count() == 20
    assert current_readings([measure]) == {}
    assert "database is locked" in caplog.text
