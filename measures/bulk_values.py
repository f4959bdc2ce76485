"""Reading and writing imported values in bulk, with a history row for each value written.

On PostgreSQL, existing values are looked up by their exact (measure, period) pairs in the
unique index, and new ones go into a temporary table with COPY, from which one statement
writes them and, from the rows it wrote, their history rows. That is PostgreSQL's fastest
way in, and what keeps the confirm step within 3× of a bare bulk_create (README, "Speed").
On other databases (SQLite) the ORM and django-simple-history's bulk helpers do the same,
more slowly. Either way the rows are the same, which a test checks.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db import connection
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from measures.models import ImportBatch, MeasureValue

_STAGE = "measure_import_stage"
HistoryModel = MeasureValue.history.model


@dataclass(frozen=True)
class Stamp:
    """What every history row of one import says: who, when, why, and which import."""

    user: object
    date: dt.datetime
    reason: str
    batch: ImportBatch


def existing(pairs: set[tuple[int, dt.date]]) -> list[MeasureValue]:
    """The stored values for these (measure id, period end) pairs."""
    if not pairs:
        return []
    if _on_postgresql():
        table = connection.ops.quote_name(MeasureValue._meta.db_table)
        measure_ids, periods = zip(*pairs, strict=True)
        return list(
            MeasureValue.objects.raw(
                # LIMIT 1 keeps the planner probing the unique index once per pair; left
                # to itself it hashes the whole table.
                "SELECT v.* FROM unnest(%s::bigint[], %s::date[]) AS k(measure_id, period_end) "
                f"CROSS JOIN LATERAL (SELECT * FROM {table} AS v WHERE v.measure_id = "
                "k.measure_id AND v.period_end = k.period_end LIMIT 1) AS v",
                # Array literals as text: psycopg2 would spell out ARRAY[...] element by
                # element, which PostgreSQL then takes far longer to parse than to run.
                [_array(measure_ids), _array(periods)],
            )
        )
    candidates = MeasureValue.objects.filter(
        measure_id__in={m for m, _ in pairs}, period_end__in={p for _, p in pairs}
    )
    return [v for v in candidates if (v.measure_id, v.period_end) in pairs]


def _array(items) -> str:
    return "{" + ",".join(str(item) for item in items) + "}"


def create(values: list[MeasureValue], stamp: Stamp) -> None:
    if _on_postgresql():
        _write_with_copy(values, stamp, changed=None)
    else:
        bulk_create_with_history(values, MeasureValue, **_history_kwargs(stamp))


def update(values: list[MeasureValue], fields: list[str], stamp: Stamp) -> None:
    if _on_postgresql():
        _write_with_copy(values, stamp, changed=fields)
    else:
        bulk_update_with_history(values, MeasureValue, fields, **_history_kwargs(stamp))


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _history_kwargs(stamp: Stamp) -> dict:
    return {
        "default_user": stamp.user,
        "default_date": stamp.date,
        "default_change_reason": stamp.reason,
        "custom_historical_attrs": {"import_batch": stamp.batch},
    }


def _value_fields():
    return [f for f in MeasureValue._meta.concrete_fields if not f.primary_key]


def _write_with_copy(values: list[MeasureValue], stamp: Stamp, *, changed: list[str] | None):
    """New values if `changed` is None, else an update of those fields of existing ones."""
    q = connection.ops.quote_name
    created = changed is None
    fields = _value_fields()
    columns = [f.column for f in fields]
    text_columns = [f.column for f in fields if f.get_internal_type() in ("CharField", "TextField")]
    staged = columns if created else ["id", *columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for value in values:
        row = [getattr(value, f.attname) for f in fields]
        writer.writerow(row if created else [value.pk, *row])
    buffer.seek(0)

    table = q(MeasureValue._meta.db_table)
    listed = ", ".join(q(c) for c in columns)
    if created:
        write = f"INSERT INTO {table} AS v ({listed}) SELECT {listed} FROM {_STAGE}"
    else:
        assignments = ", ".join(
            f"{q(c)} = s.{q(c)}" for c in (MeasureValue._meta.get_field(n).column for n in changed)
        )
        write = f"UPDATE {table} AS v SET {assignments} FROM {_STAGE} AS s WHERE v.id = s.id"
    history_columns = ["id", *columns, "history_date", "history_change_reason"]
    history_columns += ["history_type", "history_user_id", "import_batch_id"]
    with connection.cursor() as cursor:
        # One staging table per transaction, emptied for each batch.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} ON COMMIT DROP AS "
            f"SELECT id, {listed} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {_STAGE}")
        cursor.copy_expert(
            f"COPY {_STAGE} ({', '.join(q(c) for c in staged)}) FROM STDIN WITH "
            f"(FORMAT csv, FORCE_NOT_NULL ({', '.join(q(c) for c in text_columns)}))",
            buffer,
        )
        cursor.execute(
            f"WITH written AS ({write} RETURNING v.id, "
            f"{', '.join(f'v.{q(c)}' for c in columns)}) "
            f"INSERT INTO {q(HistoryModel._meta.db_table)} "
            f"({', '.join(q(c) for c in history_columns)}) "
            f"SELECT id, {listed}, %s, %s, %s, %s, %s FROM written",
            [
                stamp.date,
                stamp.reason,
                "+" if created else "~",
                getattr(stamp.user, "pk", None),
                stamp.batch.pk,
            ],
        )
        if cursor.rowcount != len(values):
            raise RuntimeError(f"wrote {cursor.rowcount} of {len(values)} values")
