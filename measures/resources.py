"""The django-import-export resource for quarterly figures: one row = one measure, one period.

Every rule a row must meet is checked in `before_import_row`, so a bad row becomes one of the
resource's invalid row results with a plain-English message. Measures and existing values
are read once per import, not once per row, and writes go in bulk with their history rows.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from measures.exporting import unneutralise
from measures.models import ImportBatch, Measure, MeasureValue, Unit
from measures.parsing import (
    ParseError,
    is_quarter_end,
    parse_financial_quarter,
    parse_iso_date,
    parse_number,
)
from strategy_tracker.data_version import bump as bump_data_version

WRITTEN_FIELDS = ["value", "period_text", "note", "source"]


class MeasureByCodeWidget(widgets.ForeignKeyWidget):
    """Looks codes up in the measures read at the start of the import."""

    def __init__(self, measures_by_code: dict[str, Measure]):
        super().__init__(Measure, "code")
        self.measures_by_code = measures_by_code

    def clean(self, value, row=None, **kwargs):
        return self.measures_by_code[value]


class IsoDateWidget(widgets.Widget):
    """Rows reach the resource with their period already checked and written as ISO."""

    def clean(self, value, row=None, **kwargs):
        return dt.date.fromisoformat(value)


class PreloadedValueLoader(BaseInstanceLoader):
    """Existing values of the file's measures, read in one query, keyed by (measure, period)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        # Only the periods the file names: a measure may have years of values the file
        # does not touch.
        periods = {resource._period_key(row) for row in dataset.dict} - {None}
        self.values = {
            (v.measure_id, v.period_end): v
            for v in MeasureValue.objects.filter(
                measure__in=resource.measures_by_code.values(), period_end__in=periods
            )
        }
        for value in self.values.values():
            value._before = tuple(getattr(value, name) for name in WRITTEN_FIELDS)

    def get_instance(self, row):
        measure = self.resource.measures_by_code[row["measure_code"]]
        return self.values.get((measure.id, dt.date.fromisoformat(row["period_end"])))


class MeasureValueResource(resources.ModelResource):
    measure = fields.Field(attribute="measure", column_name="measure_code")
    period_end = fields.Field(
        attribute="period_end", column_name="period_end", widget=IsoDateWidget()
    )
    period_text = fields.Field(attribute="period_text", column_name="period_text")
    value = fields.Field(attribute="value", column_name="value", widget=widgets.DecimalWidget())
    note = fields.Field(attribute="note", column_name="note")
    source = fields.Field(attribute="source", column_name="source")

    class Meta:
        model = MeasureValue
        fields = ("measure", "period_end", "period_text", "value", "note", "source")
        import_id_fields = ("measure", "period_end")
        instance_loader_class = PreloadedValueLoader
        use_bulk = True
        batch_size = 5000
        skip_diff = True  # old values are kept by the loader; a deep copy per row is not needed
        report_skipped = True

    def __init__(self, *, batch: ImportBatch | None, user, today: dt.date, codes: set[str]):
        super().__init__()
        self.batch = batch
        self.user = user
        self.today = today
        self.measures_by_code = {m.code: m for m in Measure.objects.filter(code__in=codes)}
        self.fields["measure"].widget = MeasureByCodeWidget(self.measures_by_code)
        self.duplicates: dict[int, list[int]] = {}
        # Line → (reported value, new value): small, unlike keeping whole instances per row.
        self.values_by_line: dict[int, tuple[Decimal | None, Decimal]] = {}
        self._current = None

    # --- checking each row -------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Find the same measure and period twice in the file, naming both lines."""
        lines_by_key = defaultdict(list)
        for row in dataset.dict:
            key = (row["measure_code"].strip().upper(), self._period_key(row))
            if key[1] is not None:
                lines_by_key[key].append(int(row["_line"]))
        for lines in lines_by_key.values():
            if len(lines) > 1:
                for line in lines:
                    self.duplicates[line] = [other for other in lines if other != line]

    @staticmethod
    def _period_key(row) -> dt.date | None:
        try:
            return MeasureValueResource._period_end(row)
        except ParseError:
            return None

    @staticmethod
    def _period_end(row) -> dt.date:
        iso, quarter = row.get("period_end", ""), row.get("period", "")
        if not iso and not quarter:
            raise ParseError("No period: fill in period_end (YYYY-MM-DD) or period (2024/25 Q1).")
        from_iso = parse_iso_date(iso) if iso else None
        from_quarter = parse_financial_quarter(quarter) if quarter else None
        if from_iso and from_quarter and from_iso != from_quarter:
            raise ParseError(
                f"period_end {from_iso.isoformat()} and period “{quarter}” "
                f"(ending {from_quarter.isoformat()}) disagree."
            )
        return from_iso or from_quarter

    def before_import_row(self, row, **kwargs):
        errors = {}
        code = row["measure_code"].strip().upper()
        measure = self.measures_by_code.get(code)
        if not code:
            errors["measure_code"] = "No measure code."
        elif measure is None:
            errors["measure_code"] = f"Unknown measure code “{row['measure_code']}”."
        try:
            period_end = self._period_end(row)
        except ParseError as error:
            errors["period"] = str(error)
            period_end = None
        if period_end and not is_quarter_end(period_end):
            errors["period"] = (
                f"{period_end:%-d %B %Y} is not the end of a quarter "
                "(31 March, 30 June, 30 September or 31 December)."
            )
        elif period_end and period_end > self.today:
            errors["period"] = f"The period ending {period_end:%-d %B %Y} is in the future."
        elif (
            period_end
            and measure
            and measure.baseline_period
            and period_end < measure.baseline_period
        ):
            errors["period"] = (
                f"The period ending {period_end:%-d %B %Y} is before this measure's baseline "
                f"({measure.baseline_period:%-d %B %Y})."
            )
        try:
            value = parse_number(
                row["value"], allow_percent=bool(measure) and measure.unit == Unit.PERCENT
            )
        except ParseError as error:
            errors["value"] = str(error)
            value = None
        if value is not None and -value.as_tuple().exponent > 4:
            errors["value"] = f"{row['value'].strip()} has more than 4 decimal places."
        elif value is not None and abs(value) >= 10**10:
            errors["value"] = f"{row['value'].strip()} is too large (the limit is 9,999,999,999)."
        elif value is not None and measure:
            low, high = measure.allowed_range()
            if (low is not None and value < low) or (high is not None and value > high):
                allowed = _range_text(low, high, measure.unit)
                errors["value"] = (
                    f"{value.normalize():f} is outside this measure's range ({allowed})."
                )
        if len(row.get("source", "")) > 300:
            errors["source"] = "The source is longer than 300 characters."
        line = int(row["_line"])
        if line in self.duplicates:
            others = ", ".join(str(n) for n in self.duplicates[line])
            plural = "s" if len(self.duplicates[line]) > 1 else ""
            errors["measure_code"] = (
                f"This measure and period also appear on line{plural} {others}."
            )
        if errors:
            raise ValidationError(errors)
        row["measure_code"] = code
        row["period_end"] = period_end.isoformat()
        row["value"] = str(value)
        # An empty cell leaves what is there: a restated figure keeps its note and source.
        if row.get("period"):
            row["period_text"] = row["period"]
        for name in ("note", "source"):
            if not row.get(name):
                row.pop(name, None)
            else:
                row[name] = unneutralise(row[name])

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

    def _history_attrs(self) -> dict:
        return {
            "default_user": self.user,
            "default_change_reason": f"Import {self.batch.pk}: {self.batch.file_name}",
            "custom_historical_attrs": {"import_batch": self.batch},
        }

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run or not self.create_instances:
            self.create_instances.clear()  # the preview checks every rule without writing
            return
        try:
            bump_data_version()
            bulk_create_with_history(
                self.create_instances, MeasureValue, batch_size=batch_size, **self._history_attrs()
            )
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run or not self.update_instances:
            self.update_instances.clear()
            return
        try:
            bump_data_version()
            bulk_update_with_history(
                self.update_instances,
                MeasureValue,
                WRITTEN_FIELDS,
                batch_size=batch_size,
                **self._history_attrs(),
            )
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()


def _range_text(low: Decimal | None, high: Decimal | None, unit: str) -> str:
    suffix = "%" if unit == Unit.PERCENT else ""
    if low is not None and high is not None:
        return f"{low.normalize():f}{suffix} to {high.normalize():f}{suffix}"
    if low is not None:
        return f"at least {low.normalize():f}{suffix}"
    return f"at most {high.normalize():f}{suffix}"
