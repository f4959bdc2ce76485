"""The django-import-export resource for quarterly figures: one row = one measure, one period.

Every rule a row must meet is checked in `before_import_row`, so a bad row becomes one of the
resource's invalid row results with a plain-English message; that step also turns the row's
text into values, so the fields below only carry them across. Measures are read once per
import, existing values once per batch of rows, and writes go in bulk with their history rows.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from measures import bulk_values
from measures.exporting import unneutralise
from measures.file_keys import FileKeys
from measures.models import ImportBatch, Measure, MeasureValue, Unit
from measures.parsing import (
    EARLIEST_PERIOD_END,
    ParseError,
    day_text,
    is_quarter_end,
    parse_number,
    parse_period,
    period_wording,
    quoted,
    shortened,
)
from strategy_tracker.data_version import bump as bump_data_version

WRITTEN_FIELDS = ["value", "period_text", "note", "source"]
BATCH_ROWS = 2000
# What the database holds, read from the model, so a row the preview passes always fits.
_VALUE_FIELD = MeasureValue._meta.get_field("value")
MAX_DECIMAL_PLACES = _VALUE_FIELD.decimal_places
MAX_WHOLE_DIGITS = _VALUE_FIELD.max_digits - _VALUE_FIELD.decimal_places
# Text stored from a row: the field it goes in → the column it comes from, and its limit.
TEXT_COLUMNS = {"period_text": "period", "note": "note", "source": "source"}
TEXT_LIMITS = {name: MeasureValue._meta.get_field(name).max_length for name in TEXT_COLUMNS}


@dataclass(frozen=True)
class MeasureRules:
    """What the checks on a row need to know about its measure, worked out once per import."""

    id: int
    unit: str
    baseline_period: dt.date | None
    low: Decimal | None
    high: Decimal | None

    @classmethod
    def by_code(cls, codes: set[str]) -> dict[str, "MeasureRules"]:
        measures = Measure.objects.only(
            "code", "unit", "baseline_period", "minimum_value", "maximum_value"
        ).in_bulk(codes, field_name="code")
        return {
            code: cls(m.id, m.unit, m.baseline_period, *m.allowed_range())
            for code, m in measures.items()
        }


class RowResultWithoutRepr(RowResult):
    # The library describes each row's object for the admin's log; nothing here reads it,
    # and working it out for every row of a large file is a measurable cost.
    def add_instance_info(self, instance):
        pass


class PreloadedValueLoader(BaseInstanceLoader):
    """Existing values of a batch of rows, read in one query, keyed by (measure, period)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        pairs = set()
        for code, iso, quarter in zip(
            dataset["measure_code"], dataset["period_end"], dataset["period"], strict=True
        ):
            measure = resource.measures_by_code.get(code.strip().upper())
            try:
                pairs.add((measure.id, parse_period(iso, quarter)))
            except (AttributeError, ParseError):
                continue  # an unknown measure or a bad period: the row will say so
        self.values = {(v.measure_id, v.period_end): v for v in bulk_values.existing(pairs)}
        for value in self.values.values():
            value._before = tuple(getattr(value, name) for name in WRITTEN_FIELDS)

    def get_instance(self, row):
        return self.values.get((row["measure_code"], row["period_end"]))


class MeasureValueResource(resources.ModelResource):
    measure = fields.Field(attribute="measure_id", column_name="measure_code")
    period_end = fields.Field(attribute="period_end", column_name="period_end")
    period_text = fields.Field(attribute="period_text", column_name="period_text")
    value = fields.Field(attribute="value", column_name="value")
    note = fields.Field(attribute="note", column_name="note")
    source = fields.Field(attribute="source", column_name="source")

    class Meta:
        model = MeasureValue
        fields = ("measure", "period_end", "period_text", "value", "note", "source")
        import_id_fields = ("measure", "period_end")
        instance_loader_class = PreloadedValueLoader
        use_bulk = True
        batch_size = BATCH_ROWS
        skip_diff = True  # old values are kept by the loader; a deep copy per row is not needed
        report_skipped = True

    def __init__(
        self,
        *,
        batch: ImportBatch | None,
        user,
        today: dt.date,
        measures_by_code: dict[str, MeasureRules],
        file_keys: FileKeys,
    ):
        """`file_keys`: the measure and period pairs that appear on more than one line."""
        super().__init__()
        self.batch = batch
        self.user = user
        self.today = today
        self.measures_by_code = measures_by_code
        self.file_keys = file_keys
        # Line → (reported value, new value) for the current batch of rows.
        self.values_by_line: dict[int, tuple[Decimal | None, Decimal]] = {}
        self._current = None
        self._stamp = None
        self._data_version_bumped = False
        self._columns_to_attributes = [
            (f.column_name, f.attribute) for f in self.get_import_fields()
        ]
        # A new value is built from its fields' defaults given in order, Django's quick way.
        self._defaults = [f.get_default() for f in MeasureValue._meta.concrete_fields]

    @classmethod
    def get_row_result_class(cls):
        return RowResultWithoutRepr

    # --- checking each row -------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        errors = {}
        code = row["measure_code"].strip().upper()
        measure = self.measures_by_code.get(code)
        if not code:
            errors["measure_code"] = "No measure code."
        elif measure is None:
            errors["measure_code"] = f"Unknown measure code {quoted(row['measure_code'])}."
        try:
            period_end = parse_period(row.get("period_end", ""), row.get("period", ""))
        except ParseError as error:
            errors["period"] = str(error)
            period_end = None
        if period_end and not is_quarter_end(period_end):
            errors["period"] = (
                f"{day_text(period_end)} is not the end of a quarter "
                "(31 March, 30 June, 30 September or 31 December)."
            )
        elif period_end and period_end > self.today:
            errors["period"] = f"The period ending {day_text(period_end)} is in the future."
        elif period_end and period_end < EARLIEST_PERIOD_END:
            errors["period"] = (
                f"The period ending {day_text(period_end)} is before "
                f"{EARLIEST_PERIOD_END.year}, earlier than any figure this tracks: is the year "
                "mistyped?"
            )
        elif (
            period_end
            and measure
            and measure.baseline_period
            and period_end < measure.baseline_period
        ):
            errors["period"] = (
                f"The period ending {day_text(period_end)} is before this measure's baseline "
                f"({day_text(measure.baseline_period)})."
            )
        try:
            value = parse_number(
                row["value"], allow_percent=bool(measure) and measure.unit == Unit.PERCENT
            )
        except ParseError as error:
            errors["value"] = str(error)
            value = None
        if value is not None and -value.as_tuple().exponent > MAX_DECIMAL_PLACES:
            errors["value"] = (
                f"{shortened(row['value'])} has more than {MAX_DECIMAL_PLACES} decimal places."
            )
        elif value is not None and abs(value) >= 10**MAX_WHOLE_DIGITS:
            largest = f"{10**MAX_WHOLE_DIGITS - 1:,}"
            errors["value"] = f"{shortened(row['value'])} is too large (the limit is {largest})."
        elif value is not None and measure:
            low, high = measure.low, measure.high
            if (low is not None and value < low) or (high is not None and value > high):
                allowed = _range_text(low, high, measure.unit)
                errors["value"] = (
                    f"{value.normalize():f} is outside this measure's range ({allowed})."
                )
        texts = _texts_to_store(row)
        for name, text in texts.items():
            limit = TEXT_LIMITS[name]  # None: no limit
            if limit is not None and len(text) > limit:
                column = TEXT_COLUMNS[name]
                errors.setdefault(column, f"The {column} is longer than {limit} characters.")
        repeats = period_end and self.file_keys.other_lines(code, period_end, int(row["_line"]))
        if repeats:
            errors["measure_code"] = _repeats_text(*repeats)
        if errors:
            raise ValidationError(errors)
        row["measure_code"] = measure.id
        row["period_end"] = period_end
        row["value"] = value
        # An empty cell leaves what is there: a restated figure keeps its note and source.
        row.pop("note", None)
        row.pop("source", None)
        row.update((name, text) for name, text in texts.items() if text)

    def import_instance(self, instance, row, **kwargs):
        """Copy the row's values onto the instance. The library's own version sends each
        through its field's widget; here before_import_row has already checked and
        converted them, and skipping that step is a third of the time an import takes."""
        for column, attribute in self._columns_to_attributes:
            if column in row:
                setattr(instance, attribute, row[column])

    def init_instance(self, row=None):
        return MeasureValue(*self._defaults)

    def save_m2m(self, instance, row, **kwargs):
        """Nothing: a value has no many-to-many fields to save."""

    def after_init_instance(self, instance, new, row, **kwargs):
        self._current = instance

    def after_import_row(self, row, row_result, **kwargs):
        """Keep each good row's reported and new value (invalid rows never get here)."""
        instance = self._current
        before = getattr(instance, "_before", None)
        self.values_by_line[int(row["_line"])] = (before[0] if before else None, instance.value)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged: an existing value whose figure, note and source are all the same."""
        if import_validation_errors or instance.pk is None:
            return False
        return tuple(getattr(instance, name) for name in WRITTEN_FIELDS) == instance._before

    # --- writing, in bulk, with history ----------------------------------------------------

    def after_import(self, dataset, result, **kwargs):
        """Nothing: the library would reset the id sequence here, for files that carry ids;
        these files never do, so the sequence is already right."""

    def _history_stamp(self) -> bulk_values.Stamp:
        if self._stamp is None:
            reason = f"Import {self.batch.pk}: {self.batch.file_name}"
            max_length = bulk_values.HistoryModel._meta.get_field("history_change_reason")
            self._stamp = bulk_values.Stamp(
                user=self.user,
                date=timezone.now(),
                reason=reason[: max_length.max_length],
                batch=self.batch,
            )
        return self._stamp

    def _bump_data_version_once(self) -> None:
        # Once per import is enough: every batch is written in the confirm's one transaction.
        if not self._data_version_bumped:
            bump_data_version()
            self._data_version_bumped = True

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(
            self.create_instances,
            dry_run,
            raise_errors,
            result,
            lambda values: bulk_values.create(values, self._history_stamp()),
        )

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(
            self.update_instances,
            dry_run,
            raise_errors,
            result,
            lambda values: bulk_values.update(values, WRITTEN_FIELDS, self._history_stamp()),
        )

    def _write(self, instances: list, dry_run: bool, raise_errors: bool, result, write) -> None:
        """Write a batch's new or changed values (the preview checks every rule but writes
        nothing); a database error becomes the import's error, and the batch is emptied."""
        try:
            if instances and not dry_run:
                self._bump_data_version_once()
                # A savepoint of its own: a statement the database refuses aborts only this,
                # so the library can still release its savepoint around the batch and the
                # refusal is reported as the import's error (not lost in an InternalError).
                with transaction.atomic():
                    write(instances)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()


def _texts_to_store(row) -> dict[str, str]:
    """The row's text as it would be stored, by field; an empty one is not written."""
    return {
        "period_text": period_wording(row.get("period", "")),
        "note": unneutralise(row.get("note", "")),
        "source": unneutralise(row.get("source", "")),
    }


def _repeats_text(lines: list[int], more: int) -> str:
    also = "This measure and period also appear on"
    if more:
        others = f"{more:,} other line{'s' if more > 1 else ''}"
        return f"{also} lines {', '.join(str(n) for n in lines)} and {others}."
    if len(lines) == 1:
        return f"{also} line {lines[0]}."
    return f"{also} lines {', '.join(str(n) for n in lines[:-1])} and {lines[-1]}."


def _range_text(low: Decimal | None, high: Decimal | None, unit: str) -> str:
    suffix = "%" if unit == Unit.PERCENT else ""
    if low is not None and high is not None:
        return f"{low.normalize():f}{suffix} to {high.normalize():f}{suffix}"
    if low is not None:
        return f"at least {low.normalize():f}{suffix}"
    return f"at most {high.normalize():f}{suffix}"
