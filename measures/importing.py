"""The import of quarterly figures: preview (a dry run) and confirm (all rows or none).

An uploaded file is stored as an ImportBatch, in the database, so whichever app server gets
the confirm can read it. Confirm checks every row again under a lock, against the data as it
is then, so two admins confirming at once cannot interleave. An upload not imported within
MEASURE_IMPORT_UNCONFIRMED_HOURS expires and is deleted; imported ones stay as the record.
"""

import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from import_export.results import RowResult

from measures.csv_files import CsvFile, CsvFileError, CsvRow, check_csv, iter_rows, open_csv
from measures.exporting import unneutralise
from measures.file_keys import file_keys
from measures.models import ImportBatch
from measures.parsing import shortened
from measures.resources import MeasureRules, MeasureValueResource
from strategy_tracker.data_version import data_version

DATASET_COLUMNS = ["_line", "measure_code", "period_end", "period", "value", "note", "source"]
PREVIEW_ROW_LIMIT = 1000  # rows without errors shown in the preview
ERROR_ROW_LIMIT = 1000  # rows with errors listed; the totals count them all
SHOWN_TEXT_CHARS = 200  # of a row's note and source in the preview, so it stays small
OUTCOME_LABELS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "update",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_INVALID: "error",
    RowResult.IMPORT_TYPE_ERROR: "error",
}
_IMPORT_LOCK_KEY = 7_301_001  # any constant; names this app's import lock in PostgreSQL
DATABASE_REFUSED = (
    "The database refused the figures, so nothing was written. Try again; if it happens "
    "again, tell your system administrator ({name})."
)
logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why, and nothing was written."""


class UploadExpired(ImportRefused):
    """The upload was not imported in time, so it has been (or is about to be) deleted."""


@dataclass
class RowOutcome:
    line: int
    outcome: str  # new, update, unchanged, error
    measure_code: str
    period_end: str
    old_value: Decimal | None = None
    new_value: Decimal | None = None
    note: str = ""  # as the file has them (the first SHOWN_TEXT_CHARS), so odd text shows
    source: str = ""
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    csv: CsvFile
    rows: list[RowOutcome]  # the first rows with errors and without, up to their limits
    totals: dict[str, int]
    base_errors: list[str]

    @property
    def has_errors(self) -> bool:
        return bool(self.totals["error"] or self.base_errors)

    @property
    def total_rows(self) -> int:
        return sum(self.totals.values())

    @property
    def errors_not_shown(self) -> int:
        return self.totals["error"] - sum(1 for r in self.rows if r.outcome == "error")

    @property
    def summary(self) -> str:
        t = self.totals
        return f"{t['new']} new, {t['update']} updated, {t['unchanged']} unchanged"

    def wants(self, outcome: str) -> bool:
        """Count a row's outcome; True if the row is among the first of its kind, which the
        preview lists (the caller then adds it to `rows`), so memory does not grow with
        the file."""
        self.totals[outcome] += 1
        kind, limit = (
            ("error", ERROR_ROW_LIMIT) if outcome == "error" else ("other", PREVIEW_ROW_LIMIT)
        )
        if self._kept[kind] >= limit:
            return False
        self._kept[kind] += 1
        return True

    def __post_init__(self):
        self._kept = {"error": 0, "other": 0}


def store_upload(*, user, file_name: str, data: bytes) -> ImportBatch:
    """Check that the file can be read at all, then keep it for preview and confirm (and
    delete the uploads that were never imported in time)."""
    # Raises CsvFileError if not.
    check_csv(data, settings.MEASURE_IMPORT_MAX_BYTES, settings.MEASURE_IMPORT_MAX_ROWS)
    batch = ImportBatch.objects.create(
        uploaded_by=user,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
    )
    delete_expired_uploads()
    return batch


def _expiry() -> dt.datetime:
    """Uploads made before this and not imported have expired."""
    return timezone.now() - dt.timedelta(hours=settings.MEASURE_IMPORT_UNCONFIRMED_HOURS)


def expired_uploads():
    """Uploads never imported, older than MEASURE_IMPORT_UNCONFIRMED_HOURS."""
    return ImportBatch.objects.filter(
        status=ImportBatch.Status.PREVIEWED, uploaded_at__lt=_expiry()
    )


def is_expired(batch: ImportBatch) -> bool:
    return batch.status == ImportBatch.Status.PREVIEWED and batch.uploaded_at < _expiry()


def delete_expired_uploads() -> int:
    """Delete the expired uploads; how many. One DELETE, whose condition the database checks
    again on a row another transaction holds: an upload being confirmed meanwhile is kept
    if that confirm imports it. (Nothing refers to an upload that was never imported.)"""
    expired = expired_uploads()
    return expired._raw_delete(expired.db)


def _dataset(rows: list[CsvRow]) -> tablib.Dataset:
    return tablib.Dataset(
        *([str(row.line)] + [row.values.get(c, "") for c in DATASET_COLUMNS[1:]] for row in rows),
        headers=DATASET_COLUMNS,
    )


def _batches(rows: Iterator[CsvRow], size: int) -> Iterator[list[CsvRow]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def _outcome(
    csv_row: CsvRow, outcome: str, row_result, resource: MeasureValueResource
) -> RowOutcome:
    old, new = resource.values_by_line.get(csv_row.line, (None, None))
    note, source = (unneutralise(csv_row.values.get(name, "")) for name in ("note", "source"))
    messages = []
    if row_result.validation_error is not None:
        messages = [m for ms in row_result.validation_error.message_dict.values() for m in ms]
    messages += [str(e.error) for e in row_result.errors]
    return RowOutcome(
        line=csv_row.line,
        outcome=outcome,
        measure_code=shortened(csv_row.values.get("measure_code", "")),
        period_end=shortened(csv_row.values.get("period_end") or csv_row.values.get("period", "")),
        old_value=old,
        new_value=new if outcome != "error" else None,
        note=shortened(note, SHOWN_TEXT_CHARS),
        source=shortened(source, SHOWN_TEXT_CHARS),
        messages=messages,
    )


@contextlib.contextmanager
def _process_objects_set_aside():
    """An import makes millions of short-lived objects. Each time enough have been made,
    Python's cycle collector looks at every object in the process (the whole of Django and
    the app, again and again); measured, that was a fifth of an import's time. Setting the
    objects that exist before the import aside (gc.freeze) leaves it looking only at the
    import's own, so cycles made during the import (a row error's traceback) are still freed."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@_process_objects_set_aside()
def _run(
    batch: ImportBatch, *, dry_run: bool, today: dt.date, user=None, stop_at_error: bool = False
) -> ImportReport:
    """Check (and unless `dry_run`, write) the file a batch of rows at a time, so memory
    stays flat however long it is. `stop_at_error`: give up at the first batch with an
    error, when the caller will write nothing if there is one. CsvFileError if the stored
    file is over a limit set lower since it was uploaded (found before any row is checked)."""
    open_file = batch.open_file
    parsed = open_csv(
        open_file,
        batch.size,
        settings.MEASURE_IMPORT_MAX_BYTES,
        settings.MEASURE_IMPORT_MAX_ROWS,
    )
    keys = file_keys(lambda: iter_rows(open_file, parsed))
    resource = MeasureValueResource(
        batch=batch,
        user=user or batch.uploaded_by,
        today=today,
        measures_by_code=MeasureRules.by_code(keys.codes),
        file_keys=keys,
    )
    report = ImportReport(parsed, [], {"new": 0, "update": 0, "unchanged": 0, "error": 0}, [])
    for rows in _batches(iter_rows(open_file, parsed), MeasureValueResource._meta.batch_size):
        result = resource.import_data(
            _dataset(rows),
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        for csv_row, row_result in zip(rows, result.rows, strict=True):
            outcome = OUTCOME_LABELS[row_result.import_type]
            if report.wants(outcome):
                report.rows.append(_outcome(csv_row, outcome, row_result, resource))
        resource.values_by_line.clear()
        report.base_errors += [
            DATABASE_REFUSED.format(name=type(e.error).__name__) for e in result.base_errors
        ]
        if result.has_validation_errors() or result.has_errors():
            # A row's error keeps its traceback, and the traceback the batch: free them now
            # (cheap: only the import's own objects are looked at), not whenever Python would.
            del result
            gc.collect()
        if report.base_errors or (stop_at_error and report.has_errors):
            break
    return report


def preview(batch: ImportBatch, today: dt.date | None = None) -> ImportReport:
    return _run(batch, dry_run=True, today=today or timezone.localdate())


def cached_preview(batch: ImportBatch) -> ImportReport:
    """The preview as shown, worked out once per version of the data (the file itself never
    changes), so reloading the page does not run the whole file again."""
    today = timezone.localdate()
    key = f"import-preview:{batch.pk}:{today.isoformat()}:{data_version()}"
    report = cache.get(key)
    if report is None:
        report = preview(batch, today)
        cache.set(key, report, 3600)
    return report


def _take_import_lock() -> None:
    # One confirm at a time across every app server; released when the transaction ends.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK_KEY])


def confirm(
    batch_id: int,
    *,
    restatements_confirmed: bool,
    today: dt.date | None = None,
    user=None,
) -> ImportReport:
    """Write every row of the batch, or none and ImportRefused saying why (UploadExpired if
    the upload expired). `user` is who confirms (the uploader if not given): the history and
    the record name them."""
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            _take_import_lock()
            batch = (
                ImportBatch.objects.select_for_update().defer("content").filter(pk=batch_id)
            ).first()
            if batch is None or is_expired(batch):
                raise UploadExpired("This upload has expired, so nothing was imported.")
            if batch.status == ImportBatch.Status.IMPORTED:
                raise ImportRefused("This file has already been imported; nothing was changed.")
            # One pass, writing as it checks: any error raises, and the atomic block undoes it
            # all. Rows are checked against the data as it is now, which may differ from the
            # preview.
            report = _run(batch, dry_run=False, today=today, user=user, stop_at_error=True)
            _refuse_unless_clean(report, restatements_confirmed)
            batch.status = ImportBatch.Status.IMPORTED
            batch.imported_by = user or batch.uploaded_by
            batch.imported_at = timezone.now()
            batch.new_count = report.totals["new"]
            batch.updated_count = report.totals["update"]
            batch.unchanged_count = report.totals["unchanged"]
            batch.save()
    except CsvFileError as error:
        raise ImportRefused(str(error)) from None
    except DatabaseError as error:
        if isinstance(error, (OperationalError, InterfaceError)):
            raise  # the database went away: its own page says nothing was saved
        # Anything else the database refused, wherever the import was: rolled back above.
        logger.exception("import %s refused by the database", batch_id)
        raise ImportRefused(DATABASE_REFUSED.format(name=type(error).__name__)) from error
    return report


def _refuse_unless_clean(report: ImportReport, restatements_confirmed: bool) -> None:
    if report.has_errors:
        raise ImportRefused(
            " ".join(report.base_errors) or "Some rows have errors now, so nothing was written."
        )
    if report.totals["update"] and not restatements_confirmed:
        raise ImportRefused(
            f"{report.totals['update']} row{'s' if report.totals['update'] != 1 else ''} "
            "would restate figures already reported. Tick the box to confirm, or fix the file."
        )


__all__ = [
    "CsvFileError",
    "ImportRefused",
    "UploadExpired",
    "confirm",
    "delete_expired_uploads",
    "preview",
    "store_upload",
]
