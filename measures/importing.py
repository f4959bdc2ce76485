"""The import of quarterly figures: preview (a dry run) and confirm (all rows or none).

An uploaded file is stored as an ImportBatch, in the database, so whichever app server gets
the confirm can read it. Confirm checks every row again under a lock, against the data as it
is then, so two admins confirming at once cannot interleave.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from import_export.results import RowResult

from measures.csv_files import CsvFile, CsvFileError, read_csv
from measures.models import ImportBatch
from measures.resources import MeasureValueResource
from strategy_tracker.data_version import data_version

DATASET_COLUMNS = ["_line", "measure_code", "period_end", "period", "value", "note", "source"]
PREVIEW_ROW_LIMIT = 1000
OUTCOME_LABELS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "update",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_INVALID: "error",
    RowResult.IMPORT_TYPE_ERROR: "error",
}
_IMPORT_LOCK_KEY = 7_301_001  # any constant; names this app's import lock in PostgreSQL


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why, and nothing was written."""


@dataclass
class RowOutcome:
    line: int
    outcome: str  # new, update, unchanged, error
    measure_code: str
    period_end: str
    old_value: Decimal | None = None
    new_value: Decimal | None = None
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    csv: CsvFile
    rows: list[RowOutcome]
    totals: dict[str, int]
    base_errors: list[str]
    total_rows: int | None = None

    @property
    def has_errors(self) -> bool:
        return bool(self.totals["error"] or self.base_errors)

    @property
    def shown_rows(self) -> list[RowOutcome]:
        """Every error, and the other rows up to the preview limit."""
        errors = [r for r in self.rows if r.outcome == "error"]
        others = [r for r in self.rows if r.outcome != "error"][:PREVIEW_ROW_LIMIT]
        return sorted(errors + others, key=lambda r: r.line)

    def for_display(self) -> "ImportReport":
        """What the preview page shows: every error and the first rows, not the whole file."""
        csv = CsvFile(
            self.csv.encoding, self.csv.delimiter, self.csv.columns, self.csv.extra_columns
        )
        return ImportReport(
            csv,
            self.shown_rows,
            dict(self.totals),
            list(self.base_errors),
            total_rows=len(self.rows),
        )

    @property
    def summary(self) -> str:
        t = self.totals
        return f"{t['new']} new, {t['update']} updated, {t['unchanged']} unchanged"


def store_upload(*, user, file_name: str, data: bytes) -> ImportBatch:
    """Check that the file can be read at all, then keep it for preview and confirm."""
    read_csv(data, settings.MEASURE_IMPORT_MAX_BYTES)  # raises CsvFileError if not
    return ImportBatch.objects.create(
        uploaded_by=user,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
    )


def _dataset(parsed: CsvFile) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=DATASET_COLUMNS)
    for row in parsed.rows:
        dataset.append([str(row.line)] + [row.values.get(c, "") for c in DATASET_COLUMNS[1:]])
    return dataset


def _run(batch: ImportBatch, *, dry_run: bool, today: dt.date, user=None) -> ImportReport:
    parsed = read_csv(bytes(batch.content), settings.MEASURE_IMPORT_MAX_BYTES)
    codes = {row.values.get("measure_code", "").strip().upper() for row in parsed.rows}
    resource = MeasureValueResource(
        batch=batch, user=user or batch.uploaded_by, today=today, codes=codes
    )
    result = resource.import_data(
        _dataset(parsed),
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    rows = []
    for csv_row, row_result in zip(parsed.rows, result.rows, strict=True):
        outcome = OUTCOME_LABELS[row_result.import_type]
        old, new = resource.values_by_line.get(csv_row.line, (None, None))
        messages = []
        if row_result.validation_error is not None:
            messages = [m for ms in row_result.validation_error.message_dict.values() for m in ms]
        messages += [str(e.error) for e in row_result.errors]
        rows.append(
            RowOutcome(
                line=csv_row.line,
                outcome=outcome,
                measure_code=csv_row.values.get("measure_code", ""),
                period_end=csv_row.values.get("period_end") or csv_row.values.get("period", ""),
                old_value=old,
                new_value=new if outcome != "error" else None,
                messages=messages,
            )
        )
    totals = {"new": 0, "update": 0, "unchanged": 0, "error": 0}
    for row in rows:
        totals[row.outcome] += 1
    base_errors = [
        "The database refused the figures, so nothing was written. Try again; if it happens "
        f"again, tell your system administrator ({type(e.error).__name__})."
        for e in result.base_errors
    ]
    return ImportReport(parsed, rows, totals, base_errors)


def preview(batch: ImportBatch, today: dt.date | None = None) -> ImportReport:
    return _run(batch, dry_run=True, today=today or timezone.localdate())


def cached_preview(batch: ImportBatch) -> ImportReport:
    """The preview as shown, worked out once per version of the data (the file itself never
    changes), so reloading the page does not run the whole file again."""
    today = timezone.localdate()
    key = f"import-preview:{batch.pk}:{today.isoformat()}:{data_version()}"
    report = cache.get(key)
    if report is None:
        report = preview(batch, today).for_display()
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
    """Write every row of the batch, or none and ImportRefused saying why. `user` is who
    confirms (the uploader if not given): the history and the record name them."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _take_import_lock()
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == ImportBatch.Status.IMPORTED:
            raise ImportRefused("This file has already been imported; nothing was changed.")
        # One pass, writing as it checks: any error raises, and the atomic block undoes it all.
        # Rows are checked against the data as it is now, which may differ from the preview.
        report = _run(batch, dry_run=False, today=today, user=user)
        if report.has_errors:
            raise ImportRefused(
                " ".join(report.base_errors) or "Some rows have errors now, so nothing was written."
            )
        if report.totals["update"] and not restatements_confirmed:
            raise ImportRefused(
                f"{report.totals['update']} row{'s' if report.totals['update'] != 1 else ''} "
                "would restate figures already reported. Tick the box to confirm, or fix the file."
            )
        batch.status = ImportBatch.Status.IMPORTED
        batch.imported_by = user or batch.uploaded_by
        batch.imported_at = timezone.now()
        batch.new_count = report.totals["new"]
        batch.updated_count = report.totals["update"]
        batch.unchanged_count = report.totals["unchanged"]
        batch.save()
    return report


__all__ = ["CsvFileError", "ImportRefused", "confirm", "preview", "store_upload"]
