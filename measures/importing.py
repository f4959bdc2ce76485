"""The import of quarterly figures: preview (a dry run) and confirm (all rows or none).

An uploaded file is stored as an ImportBatch, in the database, so whichever app server gets
the confirm can read it. Preview and confirm check its rows BATCH_ROWS at a time, keeping only
what the preview shows and the counts, so memory stays flat however long the file is. Confirm
writes each batch as it goes, in one transaction, under a lock, checking every row again
against the data as it is then, so two admins confirming at once cannot interleave. An upload
not imported within MEASURE_IMPORT_UNCONFIRMED_HOURS expires and is deleted; imported ones
stay as the record.
"""

import bisect
import datetime as dt
import hashlib
import itertools
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone

from measures import readings
from measures.columns import TEXT_COLUMNS, WRITTEN_FIELDS
from measures.csv_files import (
    UNNAMED,
    CsvFile,
    CsvFileError,
    CsvRow,
    check_csv,
    iter_rows,
    open_csv,
)
from measures.exporting import unneutralise
from measures.models import (
    ImportBatch,
    Measure,
    MeasureValue,
    Unit,
    allowed_range,
    importing_organisations,
    range_text,
)
from measures.parsing import (
    EARLIEST_PERIOD_END,
    ParseError,
    day_text,
    is_quarter_end,
    parse_number,
    parse_period,
    period_wording,
    pooled_first_year,
    quoted,
    shortened,
)
from measures.periods import POOLED, a_kind, kind_of_gap, kind_of_text
from objectives.models import Organisation, Strategy

BATCH_ROWS = 2000  # checked, looked up and written together
# Rows without errors shown in the preview: enough to see the file was read as meant. The
# totals count them all; 1,000 made the preview of a 1,000-row file 24 times the floor.
PREVIEW_ROW_LIMIT = 200
ERROR_ROW_LIMIT = 1000  # rows with errors listed; the totals count them all
# Rows that change a figure already reported, listed wherever they are in the file: the
# restatements tick confirms what the preview showed. As many as the other rows: rendering a
# thousand made the preview a fifth slower (docs/performance.md, twenty-fifth session).
UPDATE_ROW_LIMIT = 200
SHOWN_TEXT_CHARS = 200  # of a row's note and source in the preview, so it stays small
LINES_NAMED = 5  # a repeated pair's message names at most this many other lines
_IMPORT_LOCK_KEY = 7_301_001  # any constant; names this app's import lock in PostgreSQL
DATABASE_REFUSED = (
    "The database refused the figures, so nothing was written. Try again; if it happens "
    "again, tell your system administrator ({name})."
)
# What the database holds, read from the model, so a row the preview passes always fits.
_VALUE_FIELD = MeasureValue._meta.get_field("value")
MAX_DECIMAL_PLACES = _VALUE_FIELD.decimal_places
MAX_WHOLE_DIGITS = _VALUE_FIELD.max_digits - _VALUE_FIELD.decimal_places
_TOO_LARGE = Decimal(10) ** MAX_WHOLE_DIGITS
# Stored text: the field → the column it comes from, and the field's length limit.
TEXT_SOURCES = {"period_text": "period"} | {c.field: c.name for c in TEXT_COLUMNS}
TEXT_LIMITS = {name: MeasureValue._meta.get_field(name).max_length for name in TEXT_SOURCES}
HistoricalValue = MeasureValue.history.model
logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why, and nothing was written."""


class RestatementsUnconfirmed(ImportRefused):
    """The file restates figures already reported, and the box confirming them was not
    ticked."""


class UploadExpired(ImportRefused):
    """The upload was not imported in time, so it has been (or is about to be) deleted."""


def restates(outcome: str, old: Decimal | None, new: Decimal | None) -> bool:
    """An update restates a reported figure only if it changes its value (a new note or
    source alone does not): only these need the confirming tick."""
    return outcome == "update" and old != new


@dataclass
class RowOutcome:
    line: int
    outcome: str  # new, update, unchanged, error
    measure_code: str
    period_end: str
    old_value: Decimal | None = None
    new_value: Decimal | None = None
    unit: str = ""  # its measure's, for the preview's figures ("" for a code not known)
    # Each text column's cell as the file has it (the first SHOWN_TEXT_CHARS), so odd text shows.
    texts: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    wording_changed: bool = False  # an update that changes the period's stored wording

    @property
    def notes_only(self) -> bool:
        return self.outcome == "update" and not restates(
            self.outcome, self.old_value, self.new_value
        )


_KEPT_LIMITS = {"error": ERROR_ROW_LIMIT, "update": UPDATE_ROW_LIMIT, "other": PREVIEW_ROW_LIMIT}


@dataclass
class ImportReport:
    csv: CsvFile
    rows: list[RowOutcome] = field(default_factory=list)  # the first with and without errors
    totals: dict[str, int] = field(
        default_factory=lambda: {"new": 0, "update": 0, "unchanged": 0, "error": 0}
    )
    # Codes the file names of the illustrative example strategy's measures, which are made up.
    illustrative_codes: list[str] = field(default_factory=list)
    # Each known code's unit (as the checks read it, in capitals), read once per measure, so
    # a listed row's figures are written with it without a look-up per row.
    units: dict[str, str] = field(default_factory=dict)
    restated: int = 0  # updates that restate a figure (`restates`)
    # Rows naming a measure and nothing else, as the template writes every measure's: left out.
    left_blank: int = 0
    # Updates that change a figure's period wording but not the figure (see notes_only).
    wording_changes: int = 0
    # Which figures those are, from what to what: the preview's is carried to the confirm,
    # so a confirm never restates figures the person did not see in the preview.
    _restatements: "hashlib._Hash" = field(
        default_factory=hashlib.sha256, init=False, repr=False, compare=False
    )
    # How many rows of each kind ("error", "update", and the rest) are kept in `rows`.
    _kept: dict[str, int] = field(
        default_factory=lambda: {"error": 0, "update": 0, "other": 0}, init=False, repr=False
    )

    @property
    def has_errors(self) -> bool:
        return bool(self.totals["error"])

    @property
    def notes_only(self) -> int:
        """Updates that change only a stored figure's note or source."""
        return self.totals["update"] - self.restated

    @property
    def restatements_seen(self) -> str:
        """Which stored figures the file changes, and from and to what (a value, or a note or
        source), in a few characters: the same for a preview and a confirm only if they
        change the same figures alike."""
        return self._restatements.hexdigest()[:32]

    @property
    def total_rows(self) -> int:
        return sum(self.totals.values())

    error_limit = ERROR_ROW_LIMIT
    other_limit = PREVIEW_ROW_LIMIT

    update_limit = UPDATE_ROW_LIMIT

    @property
    def errors_not_shown(self) -> int:
        return self.totals["error"] - self._kept["error"]

    @property
    def updates_not_shown(self) -> int:
        return self.totals["update"] - self._kept["update"]

    @property
    def summary(self) -> str:
        t = self.totals
        return f"{t['new']} new, {t['update']} updated, {t['unchanged']} unchanged"

    @property
    def text_columns(self) -> list[str]:
        return [c.name for c in TEXT_COLUMNS]

    def add(
        self,
        row: CsvRow,
        outcome: str,
        *,
        old: Decimal | None = None,
        new: Decimal | None = None,
        messages: list[str] | None = None,
        wording_changed: bool = False,
        old_texts: tuple = (),
    ) -> None:
        """Count a row's outcome, and keep it if it is among the first of its kind (which the
        preview lists), so memory does not grow with the file. `wording_changed`: an update
        changes the stored wording of the period; `old_texts`: an update's stored texts."""
        self.totals[outcome] += 1
        restated = restates(outcome, old, new)
        if wording_changed and not restated:
            self.wording_changes += 1
        if restated:
            self.restated += 1
        if outcome == "update":
            code, period = _named_by(row)
            # (!s: a Decimal's str(), the same text as its format() at half the cost)
            self._restatements.update(f"{code}\x1f{period}\x1f{old!s}\x1f{new!s}\x1e".encode())
            # The note and source it replaces, as the preview saw them.
            self._restatements.update(repr(old_texts).encode())
        kind = outcome if outcome in ("error", "update") else "other"
        if self._kept[kind] >= _KEPT_LIMITS[kind]:
            return
        self._kept[kind] += 1
        cells = row.values
        code, period = _named_by(row)
        self.rows.append(
            RowOutcome(
                line=row.line,
                outcome=outcome,
                measure_code=shortened(code),
                period_end=shortened(period),
                old_value=old,
                new_value=new,
                unit=self.units.get(code.strip().upper(), ""),
                texts={
                    c.name: shortened(unneutralise(cells.get(c.name, "")), SHOWN_TEXT_CHARS)
                    for c in TEXT_COLUMNS
                },
                messages=messages or [],
                wording_changed=wording_changed,
            )
        )


def _named_by(row: CsvRow) -> tuple[str, str]:
    """The measure code and period a row names, as the file writes them: by its wording
    where it has one ("2020-22" says what "2022-12-31" does not), else by its end day."""
    cells = row.values
    return cells.get("measure_code", ""), cells.get("period") or cells.get("period_end", "")


# --- storing and expiring uploads ------------------------------------------------------------


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


# --- checking rows -----------------------------------------------------------------------------


class MeasureRules(NamedTuple):  # a tuple: quick to make a thousand of
    """What the checks on a row need to know about its measure, worked out once per import."""

    id: int
    unit: str
    baseline_period: dt.date | None
    low: Decimal | None
    high: Decimal | None
    illustrative: bool = False  # of the illustrative example strategy, which is made up
    refused: str = ""  # why the person importing may not import its figures, if they may not

    @classmethod
    def by_code(cls, codes, by) -> dict[str, "MeasureRules"]:
        """The rules of the measures with these codes that `by` can see (any other code is
        unknown to them), each saying whether they may import its figures."""
        # Whatever case a code is stored in ("t1-lower"): the file's are read in capitals.
        rows = cls._rows(by, capitals__any_of=list(codes))
        refusals = _refusals(rows, by)
        # A thousand measures have a handful of units and ranges: each worked out once.
        ranges: dict[tuple, tuple[Decimal | None, Decimal | None]] = {}
        stored = defaultdict(list)
        for row in rows:
            stored[row[0].upper()].append(row[0])
        rules = {}
        for code, pk, unit, baseline, low, high, illustrative, status, _ in rows:
            limits = ranges.get((unit, low, high))
            if limits is None:
                limits = ranges[unit, low, high] = allowed_range(unit, low, high)
            key, refusal = code.upper(), refusals.get(pk, "")
            if status == Strategy.Status.CLOSED:
                refusal = (
                    f"Measure {key} is of a closed strategy, kept as it was when it closed: it "
                    "takes no more figures."
                )
            if len(stored[key]) > 1:  # "AB-1" and "ab-1": which is meant?
                refusal = (
                    f"Measure code {key} matches {len(stored[key])} measures "
                    f"({', '.join(sorted(stored[key]))}): rename all but one."
                )
            rules[key] = cls(pk, unit, baseline, *limits, illustrative, refusal)
        return rules

    @staticmethod
    def _rows(by, **chosen) -> list[tuple]:
        measures = (
            Measure.objects.visible_to(by)
            .alias(capitals=Upper("code"))
            .filter(**chosen)
            .with_responsible()
            # Both parents' strategies are joined already, for who is responsible.
            .annotate(
                illustrative=Coalesce(
                    "priority__strategy__illustrative",
                    "objective__priority__strategy__illustrative",
                ),
                strategy_status=Coalesce(
                    "priority__strategy__status", "objective__priority__strategy__status"
                ),
            )
            .order_by()  # read into a dict by code
        )
        rows = measures.values_list(
            "code",
            "id",
            "unit",
            "baseline_period",
            "minimum_value",
            "maximum_value",
            "illustrative",
            "strategy_status",
            "responsible_organisation",
        )
        return list(rows)


def _refusals(rows, by) -> dict[int, str]:
    """Measure id → why `by` may not import its figures: another organisation is
    responsible for it (Measure.objects.imported_by's rule, on rows read already)."""
    importing = importing_organisations(by)
    if importing is None:
        return {}
    # Each row: code, id, …, responsible organisation (as by_code reads them).
    others = [(row[1], row[0], row[-1]) for row in rows if row[-1] not in importing]
    if not others:
        return {}
    names = dict(
        Organisation.objects.filter(pk__in={o for *_, o in others}).values_list("id", "name")
    )
    return {
        pk: f"Measure {code} is the responsibility of {names.get(org, 'another organisation')}: "
        "only its Admins import its figures."
        for pk, code, org in others
    }


@dataclass
class Figure:
    """A row that passed every check, as it would be stored."""

    measure_id: int
    period_end: dt.date
    value: Decimal
    texts: dict[str, str]  # by field, those the row fills; any other leaves what is stored


@dataclass
class _Repeats:
    lines: list[int]  # the first LINES_NAMED + 1 lines naming the pair
    count: int


@dataclass
class _Scan:
    """What the whole file must be read for before any row is checked."""

    codes: set[str]  # the measure codes it names
    repeats: dict[tuple[str, dt.date], _Repeats]  # (code, period) pairs on more than one line
    periods: set[dt.date]  # the periods it names
    rows: int
    left_blank: int  # rows the template wrote and nobody filled in: left out (fills_nothing)
    # The rows themselves, if they are one batch or fewer (a preview's thousand): checked
    # from here rather than read from the file again. A larger file is read again, a batch
    # at a time, so an import holds at most a batch of rows either way.
    kept: list[CsvRow] | None


def _scan(data: bytes, parsed: CsvFile) -> _Scan:
    codes: dict[str, str] = {}  # each code's text once, however many rows name it
    first_lines: dict[tuple[str, dt.date], int] = {}
    repeats: dict[tuple[str, dt.date], _Repeats] = {}
    periods: set[dt.date] = set()
    rows = left_blank = 0
    kept: list[CsvRow] | None = []
    for row in iter_rows(data, parsed):
        if fills_nothing(row):
            left_blank += 1
            continue
        rows += 1
        if kept is not None:
            kept.append(row)
            if len(kept) > BATCH_ROWS:
                kept = None
        code = row.values.get("measure_code", "").strip().upper()
        code = codes.setdefault(code, code)
        try:
            period = parse_period(row.values.get("period_end", ""), row.values.get("period", ""))
        except ParseError:
            continue  # the row's check says why
        periods.add(period)
        first = first_lines.setdefault((code, period), row.line)
        if first != row.line:
            seen = repeats.setdefault((code, period), _Repeats([first], 1))
            seen.count += 1
            if len(seen.lines) <= LINES_NAMED:
                seen.lines.append(row.line)
    return _Scan(set(codes), repeats, periods, rows, left_blank, kept)


# What the template fills in for every measure: a row with nothing else is not a figure.
TEMPLATE_FILLED = ("measure_code", "measure_name")


def fills_nothing(row: CsvRow) -> bool:
    """A row the template wrote for a measure and nobody filled in: no period, no value, no
    note or source. Left out (and counted), so the template's other rows need not be deleted."""
    values = row.values
    if values.get("value", "").strip():  # nearly every row: said at once
        return False
    return not any(v.strip() for k, v in values.items() if k not in TEMPLATE_FILLED)


def _repeats_text(repeats: _Repeats, line: int) -> str:
    named = [other for other in repeats.lines if other != line][:LINES_NAMED]
    more = repeats.count - 1 - len(named)
    also = "This measure and period also appear on"
    if more:
        others = f"{more:,} other line{'s' if more > 1 else ''}"
        return f"{also} lines {', '.join(str(n) for n in named)} and {others}."
    if len(named) == 1:
        return f"{also} line {named[0]}."
    return f"{also} lines {', '.join(str(n) for n in named[:-1])} and {named[-1]}."


def period_error(
    period_end: dt.date, measure: "MeasureRules | Measure | None", today: dt.date
) -> str:
    """Why a figure for the period ending `period_end` is refused (a quarter's end, not in
    the future, not before any figure this tracks or the measure's baseline), or ""; the
    strategy JSON import holds its figures to the same rule."""
    if not is_quarter_end(period_end):
        return (
            f"{day_text(period_end)} is not the end of a quarter "
            "(31 March, 30 June, 30 September or 31 December)."
        )
    if period_end > today:
        return f"The period ending {day_text(period_end)} is in the future."
    if period_end < EARLIEST_PERIOD_END:
        return (
            f"The period ending {day_text(period_end)} is before {EARLIEST_PERIOD_END.year}, "
            "earlier than any figure this tracks: is the year mistyped?"
        )
    if measure and measure.baseline_period and period_end < measure.baseline_period:
        return (
            f"The period ending {day_text(period_end)} is before this measure's baseline "
            f"({day_text(measure.baseline_period)})."
        )
    return ""


def _value_error(text: str, value: Decimal, measure: MeasureRules | None) -> str:
    # Without a point a number has no decimal places (parse_number takes no exponent).
    if "." in text and -value.as_tuple().exponent > MAX_DECIMAL_PLACES:
        return f"{shortened(text)} has more than {MAX_DECIMAL_PLACES} decimal places."
    if abs(value) >= _TOO_LARGE:
        return f"{shortened(text)} is too large (the limit is {10**MAX_WHOLE_DIGITS - 1:,})."
    if measure and (
        (measure.low is not None and value < measure.low)
        or (measure.high is not None and value > measure.high)
    ):
        allowed = range_text(measure.low, measure.high, measure.unit)
        return f"{value.normalize():f} is outside this measure's range ({allowed})."
    return ""


def check_row(
    row: CsvRow,
    measures: dict[str, MeasureRules],
    repeats: dict,
    today: dt.date,
    *,
    comma_may_be_decimal: bool = False,
) -> Figure | list[str]:
    """A row as it would be stored (a Figure), or the messages saying what is wrong with it,
    one per column at fault, in plain English. `comma_may_be_decimal`: the file's fields are
    separated by semicolons (parse_number)."""
    cells = row.values
    errors: dict[str, str] = {}
    code = cells.get("measure_code", "").strip().upper()
    measure = measures.get(code)
    if not code:
        errors["measure_code"] = "No measure code."
    elif measure is None:
        errors["measure_code"] = f"Unknown measure code {quoted(cells['measure_code'])}."
    elif measure.refused:
        errors["measure_code"] = measure.refused
    try:
        period_end = parse_period(cells.get("period_end", ""), cells.get("period", ""))
    except ParseError as error:
        errors["period"] = str(error)
        period_end = None
    else:
        if message := period_error(period_end, measure, today):
            errors["period"] = message
    text = cells.get("value", "")
    try:
        value = parse_number(
            text,
            allow_percent=bool(measure) and measure.unit == Unit.PERCENT,
            comma_may_be_decimal=comma_may_be_decimal,
        )
    except ParseError as error:
        errors["value"] = str(error)
    else:
        if message := _value_error(text, value, measure):
            errors["value"] = message
    # Only the texts the row fills: an empty cell leaves what is stored.
    texts = {
        name: period_wording(cells[column])
        if name == "period_text"
        else unneutralise(cells[column])
        for name, column in TEXT_SOURCES.items()
        if cells.get(column)
    }
    for name, stored in texts.items():
        limit = TEXT_LIMITS[name]  # None: no limit
        if limit is not None and len(stored) > limit:
            column = TEXT_SOURCES[name]
            errors.setdefault(column, f"The {column} is longer than {limit} characters.")
    if period_end and (code, period_end) in repeats:
        errors["measure_code"] = _repeats_text(repeats[(code, period_end)], row.line)
    if column := cells.get(UNNAMED):
        errors[UNNAMED] = (
            f"Column {column} has a value but no heading in the header row: give the column "
            "its heading (note, source, …) or delete the value."
        )
    if errors:
        return list(errors.values())
    return Figure(measure.id, period_end, value, texts)


# --- reading and writing values ---------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """What every history row of one import says: who, when, why, and which import."""

    user_id: int | None
    date: dt.datetime
    reason: str
    batch_id: int


def create(values: list[MeasureValue], stamp: Stamp) -> None:
    MeasureValue.objects.bulk_create(values)
    _write_history(values, "+", stamp)


def update(values: list[MeasureValue], stamp: Stamp) -> None:
    # Written as an upsert on the unique (measure, period): as fast as new values. Django's
    # bulk_update builds a CASE expression per field and row in Python: 64 s for 100,000
    # restated figures.
    MeasureValue.objects.bulk_create(
        values,
        update_conflicts=True,
        unique_fields=["measure", "period_end"],
        update_fields=WRITTEN_FIELDS,
    )
    _write_history(values, "~", stamp)


def _write_history(values: list[MeasureValue], history_type: str, stamp: Stamp) -> None:
    """A history row for each value just written, copied from it in the database.
    django-simple-history's bulk helpers build a model object for each history row: with them
    a confirm took 4.3× a bare bulk_create of the same rows, with this 2.6×."""
    copied = ", ".join(f.column for f in HistoricalValue.tracked_fields)
    stamped = "history_date, history_change_reason, history_type, history_user_id, import_batch_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {HistoricalValue._meta.db_table} ({copied}, {stamped}) "
            f"SELECT {copied}, %s, %s, %s, %s, %s FROM {MeasureValue._meta.db_table} "
            f"WHERE id IN ({', '.join(['%s'] * len(values))})",
            [
                connection.ops.adapt_datetimefield_value(stamp.date),
                stamp.reason,
                history_type,
                stamp.user_id,
                stamp.batch_id,
                *(v.pk for v in values),
            ],
        )


def _write(new: list[dict], changed: list[dict], stamp: Stamp) -> None:
    """Write the values with these fields. Whatever goes wrong while writing, nothing is kept
    (the confirm's transaction is rolled back) and the admin is told so."""
    try:
        if new:
            create([MeasureValue(**fields) for fields in new], stamp)
        if changed:
            update([MeasureValue(**fields) for fields in changed], stamp)
    except (OperationalError, InterfaceError):
        raise  # the database went away: its own page says nothing was saved
    except Exception as error:
        logger.exception("import %s refused by the database", stamp.batch_id)
        raise ImportRefused(DATABASE_REFUSED.format(name=type(error).__name__)) from error


# --- preview and confirm -----------------------------------------------------------------------


def _measures_with_values(scan: _Scan, measures: dict[str, "MeasureRules"]) -> set[int] | None:
    """For a file of more than one batch, the measures it names with any value stored within
    its periods, in one query: a batch of rows only for new figures (a new quarter, say) then
    needs no query of its own. None for a file of one batch, whose own query is the one."""
    if scan.rows <= BATCH_ROWS or not scan.periods or not measures:
        return None
    values = MeasureValue.objects.filter(
        measure_id__any_of=[m.id for m in measures.values()],
        period_end__range=(min(scan.periods), max(scan.periods)),
    )
    return set(values.order_by().values_list("measure_id", flat=True).distinct())


def _stored(figures: list[Figure], among: set[int] | None) -> dict[tuple[int, dt.date], tuple]:
    """The values already stored for these figures' (measure, period) pairs, by pair: each
    row's measure, period, id and the fields an import writes (WRITTEN_FIELDS, in order). One
    query for a batch of rows, as plain rows: every value of the batch's measures within its
    periods, kept where the batch names them (the index on period_end finds them; by id,
    PostgreSQL read the whole table of values). Only measures `among` these, if given, can
    have one."""
    pairs = {
        (f.measure_id, f.period_end) for f in figures if among is None or f.measure_id in among
    }
    if not pairs:
        return {}
    periods = [period for _, period in pairs]
    rows = MeasureValue.objects.filter(
        measure_id__any_of={measure_id for measure_id, _ in pairs},
        period_end__range=(min(periods), max(periods)),
    ).order_by()
    return {
        row[:2]: row
        for row in rows.values_list("measure_id", "period_end", "id", *WRITTEN_FIELDS)
        if row[:2] in pairs
    }


_VALUE_AT = 3 + WRITTEN_FIELDS.index("value")  # in a row _stored reads
_TEXT_AT = {name: 3 + WRITTEN_FIELDS.index(name) for name in TEXT_SOURCES}


def _another_period(wording: str | None, stored: str, stored_kind: str | None = None) -> str:
    """Why a row's figure is not the stored one's though both end on the same day: a year
    and its last quarter ("2024/25" and "2024/25 Q4") are two periods, and a measure keeps
    one figure per period end, so one would replace the other unseen; or "". A stored figure
    with no wording is of `stored_kind` (its series', _kind_in_series) where that is known."""
    new_kind = kind_of_text(wording or "")
    stored_kind = kind_of_text(stored or "") or stored_kind
    if new_kind is None or stored_kind is None:
        return ""
    if new_kind == stored_kind and (
        new_kind != POOLED or pooled_first_year(wording) == pooled_first_year(stored)
    ):
        return ""  # the same period, perhaps worded otherwise ("2020 - 22" for "2020-22")
    named = (
        f"A figure for {quoted(stored)}"
        if stored
        else f"{a_kind(stored_kind).capitalize()} figure, given by its period end alone,"
    )
    return (
        f"{named} is stored for the same period end; {quoted(wording)} is "
        "another period ending that day, and a measure keeps one figure per period end. Leave "
        "this row out, or keep the figures of each kind of period in a measure of its own."
    )


def _stored_days(measures: dict[str, "MeasureRules"]) -> dict[int, list[dt.date]]:
    """Each measure's stored period ends, in order, in one query: read before any batch is
    written, so the preview and the confirm judge a row alike (_kind_in_series)."""
    days: dict[int, list[dt.date]] = defaultdict(list)
    rows = MeasureValue.objects.filter(measure_id__any_of=[m.id for m in measures.values()])
    for measure_id, day in rows.order_by("measure_id", "period_end").values_list(
        "measure_id", "period_end"
    ):
        days[measure_id].append(day)
    return days


def _kind_in_series(measure_id: int, day: dt.date, stored_days: dict) -> str | None:
    """The period type of a stored figure given no wording (by its period_end alone): its
    series', read from the spacing to the figures stored either side of it (a quarter after a
    missed one is still a quarter); None for a figure with no neighbour a period away."""
    days = stored_days.get(measure_id, [])
    at = bisect.bisect_left(days, day)
    before = kind_of_gap(days[at - 1], day) if 0 < at <= len(days) else None
    after = kind_of_gap(day, days[at + 1]) if at + 1 < len(days) else None
    return before or after


def _outcomes(checked, report: ImportReport, among: set[int] | None, stored_days: dict):
    """Each checked row added to the report as an error, new, an update or unchanged; the
    fields of the values to create, and of the stored values changed (a preview makes no
    model instance: a thousand of them were a tenth of its time)."""
    stored = _stored([f for _, f in checked if isinstance(f, Figure)], among)
    new, changed = [], []
    for row, figure in checked:
        if not isinstance(figure, Figure):
            report.add(row, "error", messages=figure)
            continue
        key = (figure.measure_id, figure.period_end)
        before = stored.get(key)
        if before is None:
            new.append(
                {"measure_id": key[0], "period_end": key[1], "value": figure.value} | figure.texts
            )
            report.add(row, "new", new=figure.value)
            continue
        old = before[_VALUE_AT]
        # A text the row leaves empty keeps what is there: a restated figure keeps its note.
        texts = figure.texts
        clash = ""
        if wording := texts.get("period_text"):  # only a worded row can name another period
            stored_wording = before[_TEXT_AT["period_text"]]
            stored_kind = None if stored_wording else _kind_in_series(*key, stored_days)
            clash = _another_period(wording, stored_wording, stored_kind)
        if clash:
            report.add(row, "error", messages=[clash])
            continue
        if old == figure.value and (
            not texts or all(before[_TEXT_AT[n]] == t for n, t in texts.items())
        ):
            report.add(row, "unchanged", old=old, new=figure.value)
        else:
            fields = {"id": before[2], "measure_id": key[0], "period_end": key[1]}
            fields.update(zip(WRITTEN_FIELDS, before[3:], strict=True))
            fields["value"] = figure.value
            fields.update(texts)
            changed.append(fields)
            wording = texts.get("period_text")
            report.add(
                row,
                "update",
                old=old,
                new=figure.value,
                wording_changed=wording is not None and wording != before[_TEXT_AT["period_text"]],
                old_texts=before[3:],
            )
    return new, changed


def _run(batch: ImportBatch, *, today: dt.date, by, stamp: Stamp | None = None) -> ImportReport:
    """Check every row of the batch's file against the measures `by` may import, a batch of
    rows at a time; with a `stamp`, write them too, stopping at the first batch with an error
    (the caller then writes nothing).
    CsvFileError if the stored file is over a limit set lower since it was uploaded (found
    before any row is checked)."""
    data = bytes(ImportBatch.objects.filter(pk=batch.pk).values_list("content", flat=True).get())
    parsed = open_csv(data, settings.MEASURE_IMPORT_MAX_BYTES, settings.MEASURE_IMPORT_MAX_ROWS)
    scan = _scan(data, parsed)
    measures = MeasureRules.by_code(scan.codes, by)
    with_values = _measures_with_values(scan, measures)
    report = ImportReport(parsed)
    report.illustrative_codes = sorted(code for code, m in measures.items() if m.illustrative)
    report.units = {code: m.unit for code, m in measures.items()}
    report.left_blank = scan.left_blank
    if scan.kept is not None:
        rows = iter(scan.kept)
    else:
        rows = (row for row in iter_rows(data, parsed) if not fills_nothing(row))
    written: set[int] = set()
    # Only a file that words its periods can word one over a figure stored without.
    stored_days = _stored_days(measures) if "period" in parsed.columns else {}
    semicolons = parsed.delimiter == ";"  # where a comma may mark decimals
    while chunk := list(itertools.islice(rows, BATCH_ROWS)):
        checked = [
            (row, check_row(row, measures, scan.repeats, today, comma_may_be_decimal=semicolons))
            for row in chunk
        ]
        new, changed = _outcomes(checked, report, with_values, stored_days)
        if stamp is not None:
            if report.has_errors:
                break
            _write(new, changed, stamp)
            written.update(fields["measure_id"] for fields in new + changed)
    if written and not report.has_errors:
        readings.mark_changed(written)
    return report


def preview(batch: ImportBatch, today: dt.date | None = None, by=None) -> ImportReport:
    """What confirming would do, for `by` (the uploader, if not given)."""
    return _run(batch, today=today or timezone.localdate(), by=by or batch.uploaded_by)


def _take_import_lock() -> None:
    # One confirm at a time across every app server; released when the transaction ends.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK_KEY])


def confirm(
    batch_id: int,
    *,
    restatements_confirmed: bool,
    restatements_seen: str | None = None,
    today: dt.date | None = None,
    user=None,
) -> ImportReport:
    """Write every row of the batch, or none and ImportRefused saying why (UploadExpired if
    the upload expired). `user` is who confirms (the uploader if not given): the history and
    the record name them. `restatements_seen`, the preview's `restatements_seen`: if the
    figures the file restates are no longer those (someone wrote some meanwhile), nothing
    is written."""
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
            user = user or batch.uploaded_by
            reason = f"Import {batch.pk}: {batch.file_name}"
            stamp = Stamp(
                user_id=user.pk,
                date=timezone.now(),
                reason=reason[
                    : HistoricalValue._meta.get_field("history_change_reason").max_length
                ],
                batch_id=batch.pk,
            )
            # One pass, writing as it checks: any error raises, and the atomic block undoes it
            # all. Rows are checked against the data as it is now, which may differ from the
            # preview.
            report = _run(batch, today=today, by=user, stamp=stamp)
            _refuse_unless_clean(report, restatements_confirmed, restatements_seen)
            batch.status = ImportBatch.Status.IMPORTED
            batch.imported_by = user
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


def _refuse_unless_clean(
    report: ImportReport, restatements_confirmed: bool, restatements_seen: str | None
) -> None:
    if report.has_errors:
        raise ImportRefused("Some rows have errors now, so nothing was written.")
    if not report.total_rows:  # the preview offers no confirm; a forged one records nothing
        raise ImportRefused("No row of this file has a figure, so there is nothing to import.")
    updates = report.totals["update"]
    if updates and restatements_seen is not None and restatements_seen != report.restatements_seen:
        what = (
            "Figures this file restates have changed"
            if report.restated
            else "Someone changed the notes or sources of figures this file writes"
        )
        raise ImportRefused(
            f"{what} since your preview (someone wrote figures for some of the same measures "
            "and periods meanwhile), so nothing was written. The preview below shows them as "
            "they are now: check the rows marked Update, then confirm again."
        )
    if report.restated and not restatements_confirmed:
        raise RestatementsUnconfirmed(
            f"{report.restated} row{'s' if report.restated != 1 else ''} "
            "would restate figures already reported. Tick the box to confirm, or fix the file."
        )
