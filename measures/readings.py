"""Each measure's SPC reading, stored (MeasureReading) and kept current.

Writers of values call `mark_changed` in their own transaction; the task worker then works
the readings out again (`refresh`). Readers call `current_readings`, which returns only the
readings still true of the values and settings: for any other measure the page works the
reading out from the values itself, so a reading shown is never stale, only sometimes slower.
"""

import datetime as dt
import hashlib
import inspect
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from measures import parsing, periods, spc
from measures.models import Measure, MeasureReading, series_by_measure
from measures.spc import Assurance, SpcResult, Variation

REFRESH_BATCH = 500  # measures whose values are read together
# The code that works a reading out: a reading worked out by other code (before a deploy that
# changed it) is stale, and worked out again.
# What a reading holds is part of it too (STORED_SHAPE): a reading stored before the latest
# value's period wording was kept is worked out again.
STORED_SHAPE = "latest period wording"
RULES = hashlib.sha256(
    (
        inspect.getsource(spc)
        + inspect.getsource(periods)
        + inspect.getsource(parsing)  # periods reads years pooled with it
        + STORED_SHAPE
    ).encode()
).hexdigest()[:12]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredReading:
    """What a stored reading holds: what the SPC icons and the SPC summary read of an
    SpcResult (`points` is how many, not the points)."""

    points: int
    run_chart_only: bool
    variation: Variation | None
    assurance: Assurance | None
    kind: str | None
    target: float | None = None  # the measure's, as the reading was worked out against it

    @classmethod
    def of(cls, result: SpcResult) -> "StoredReading":
        return cls(
            len(result.points),
            result.run_chart_only,
            result.variation,
            result.assurance,
            result.kind,
            result.target,
        )


def inputs_of(measure: Measure) -> str:
    """What a reading depends on besides the values, as one string to compare: the measure's
    settings (the target as a float: 50 and 50.0000 are the same target), the run lengths and
    the code that reads them."""
    target = None if measure.target_value is None else float(measure.target_value)
    return "|".join(
        str(part)
        for part in (
            RULES,
            measure.direction,
            target,
            measure.spc_baseline_points,
            measure.spc_rebase_from,
            settings.SPC_SHIFT_LENGTH,
            settings.SPC_TREND_LENGTH,
        )
    )


def mark_changed(measure_ids) -> None:
    """Call in the transaction that writes these measures' values: their stored readings
    stop being current, and the worker is asked to work them out again once it commits."""
    ids = sorted(set(measure_ids))
    if not ids:
        return
    table = MeasureReading._meta.db_table
    with connection.cursor() as cursor:
        # One statement, whether or not a reading exists yet; PostgreSQL and SQLite alike.
        for start in range(0, len(ids), REFRESH_BATCH):
            chunk = ids[start : start + REFRESH_BATCH]
            cursor.execute(
                f"INSERT INTO {table} (measure_id, changes, inputs, points, run_chart_only, "
                "variation, assurance, kind, latest_period_text) VALUES "
                + ", ".join(["(%s, 1, '', 0, TRUE, '', '', '', '')"] * len(chunk))
                + f" ON CONFLICT (measure_id) DO UPDATE SET changes = {table}.changes + 1",
                chunk,
            )
    ask_worker(ids)


# Measures whose readings the worker is to be asked for once this thread's transaction
# commits: one task per transaction, however many values it wrote one by one. Ids left by a
# transaction that rolled back go with the next one: a harmless extra refresh.
_pending = threading.local()


def ask_worker(measure_ids) -> None:
    """Once the current transaction commits, ask the task worker to refresh these readings."""
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.update(measure_ids)
    # robust: the write has committed by then, so a failure to queue the task (the database
    # busy) is logged, not raised at the writer as if nothing had been saved; the worker's
    # daily run catches up.
    transaction.on_commit(_enqueue_pending, robust=True)


def _enqueue_pending() -> None:
    from measures.tasks import refresh_readings  # the task module imports this one

    ids, _pending.ids = sorted(getattr(_pending, "ids", ())), set()
    if ids:
        refresh_readings.enqueue(ids)


def current_readings(measures) -> dict[int, StoredReading]:
    """The stored readings of these measures that are still current, by measure id. Measures
    read with select_related("reading") cost no query; others, one for all."""
    measures = list(measures)
    cached = Measure.reading.related  # what select_related put on each, None if no reading
    if all(cached.is_cached(m) for m in measures):
        rows = [r for m in measures if (r := cached.get_cached_value(m)) is not None]
    else:
        rows = MeasureReading.objects.filter(measure_id__in=[m.id for m in measures])
    by_id = {m.id: m for m in measures}
    return {
        row.measure_id: _stored(row, by_id[row.measure_id])
        for row in rows
        if _is_current(row, by_id[row.measure_id])
    }


def _is_current(row: MeasureReading, measure: Measure) -> bool:
    """Worked out since the last write of the measure's values, from its settings as now."""
    return row.read_at == row.changes and row.inputs == inputs_of(measure)


def _stored(row: MeasureReading, measure: Measure) -> StoredReading:
    return StoredReading(
        row.points,
        row.run_chart_only,
        Variation(row.variation) if row.variation else None,
        Assurance(row.assurance) if row.assurance else None,
        row.kind or None,
        None if measure.target_value is None else float(measure.target_value),
    )


def rows_with_latest_value(measures: QuerySet[Measure], *fields: str) -> list[tuple]:
    """`measures` as named tuples of `fields` (with "id") and `latest_value` and
    `latest_period_end`, as with_latest_value() gives them: the stored latest value where the
    reading is current (one join), else read from the values (one more query, for those).
    Tuples, not a namespace each: a list of strategies reads a thousand."""
    read = measures.annotate(
        latest_value=F("reading__latest_value"),
        latest_period_end=F("reading__latest_period_end"),
        stored_at=F("reading__read_at"),
        stored_changes=F("reading__changes"),
    ).values_list(
        *fields, "latest_value", "latest_period_end", "stored_at", "stored_changes", named=True
    )
    rows = list(read)
    stale = {
        row.id: i
        for i, row in enumerate(rows)
        if row.stored_at is None or row.stored_at != row.stored_changes
    }
    if stale:
        latest = Measure.objects.filter(id__in=list(stale)).with_latest_value().order_by()
        for i, value, period in latest.values_list("id", "latest_value", "latest_period_end"):
            at = stale[i]
            rows[at] = rows[at]._replace(latest_value=value, latest_period_end=period)
    return rows


def refresh(measure_ids=None, now: dt.datetime | None = None) -> int:
    """Work out again the readings of these measures (every measure's, if None) that are not
    current; how many were written. Each is stored with the `changes` read before its values,
    so a write committed meanwhile leaves it stale, never wrongly current."""
    measures = Measure.objects.order_by("id")
    if measure_ids is not None:
        measures = measures.filter(id__in=list(measure_ids))
    measures = list(measures)
    now = now or timezone.now()
    written = 0
    for start in range(0, len(measures), REFRESH_BATCH):
        chunk = measures[start : start + REFRESH_BATCH]
        # Read before the values: a write that commits after this leaves what is stored stale.
        stored = {
            r.measure_id: r
            for r in MeasureReading.objects.filter(measure_id__in=[m.id for m in chunk])
        }
        stale = [m for m in chunk if m.id not in stored or not _is_current(stored[m.id], m)]
        if not stale:
            continue
        changes = {m.id: stored[m.id].changes for m in stale if m.id in stored}
        series = series_by_measure([m.id for m in stale])
        rows = []
        for measure in stale:
            values = series.get(measure.id, [])
            reading = StoredReading.of(measure.spc_reading(values))
            latest = values[-1] if values else None
            rows.append(
                MeasureReading(
                    measure=measure,
                    changes=changes.get(measure.id, 0),
                    read_at=changes.get(measure.id, 0),
                    inputs=inputs_of(measure),
                    points=reading.points,
                    run_chart_only=reading.run_chart_only,
                    variation=reading.variation or "",
                    assurance=reading.assurance or "",
                    kind=reading.kind or "",
                    latest_value=latest and latest.value,
                    latest_period_end=latest and latest.period_end,
                    latest_period_text=latest.period_text if latest else "",
                    read_on=now,
                )
            )
        written += _store(rows)
    return written


def _store(rows: list[MeasureReading]) -> int:
    """Write these readings; how many. A measure deleted since it was read is left out."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                # `changes` is left as the database has it: only the writers move it.
                MeasureReading.objects.bulk_create(
                    rows, update_conflicts=True, unique_fields=["measure"], update_fields=STORED
                )
            return len(rows)
        except IntegrityError:
            if attempt:
                logger.warning("readings of %s measures not stored: measures deleted", len(rows))
                return 0
            alive = set(
                Measure.objects.filter(id__in=[r.measure_id for r in rows]).values_list(
                    "id", flat=True
                )
            )
            rows = [r for r in rows if r.measure_id in alive]
    return 0


# What a refresh writes of a reading: everything but `changes`.
STORED = [
    "read_at",
    "inputs",
    "points",
    "run_chart_only",
    "variation",
    "assurance",
    "kind",
    "latest_value",
    "latest_period_end",
    "latest_period_text",
    "read_on",
]
