"""Success measures and their reported values."""

import datetime as dt
import itertools
import operator
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse
from simple_history.models import HistoricalRecords

from measures import data_quality, periods, spc, trajectory
from measures.status import status_of
from objectives.models import (
    LiveManager,
    NamesResponsiblePartner,
    Objective,
    Priority,
    Strategy,
    archived_field,
    responsible_field,
)
from strategy_tracker.addresses import address
from strategy_tracker.dates import long_day, short_day
from strategy_tracker.plausible_dates import plausible_date
from strategy_tracker.roles import ADMIN, is_site_administrator, organisations_where
from strategy_tracker.rows import BuiltInOneStep
from strategy_tracker.status import Status
from strategy_tracker.visible_text import visible_text


class Unit(models.TextChoices):
    PERCENT = "%", "%"
    COUNT = "count", "count"
    RATE_PER_1000 = "rate per 1,000", "rate per 1,000"
    # Public health and safety figures are published per 10,000 (pressure ulcers per bed
    # days) and per 100,000 (suicides, deaths): shown per 1,000 they would misstate them.
    RATE_PER_10000 = "rate per 10,000", "rate per 10,000"
    RATE_PER_100000 = "rate per 100,000", "rate per 100,000"
    DAYS = "days", "days"
    POUNDS = "£", "£"
    SCORE = "score", "score"
    RATIO = "ratio", "ratio"
    NUMBER = "number", "number (unit not stated)"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NONE = "none", "No direction"


class Kind(models.TextChoices):
    SUCCESS = "success", "Success measure"
    CONTEXT = "context", "Context indicator"


def importing_organisations(user) -> set[int] | None:
    """The organisations whose measures (those they are responsible for) `user` imports
    figures for, as their Admin; None for a site administrator, who imports any."""
    return None if is_site_administrator(user) else organisations_where(user, ADMIN)


class MeasureQuerySet(models.QuerySet):
    def for_strategies(self, strategy_ids) -> "MeasureQuerySet":
        """Measures of these strategies, on a priority or on an objective."""
        return self.filter(
            Q(priority__strategy__in=strategy_ids)
            | Q(objective__priority__strategy__in=strategy_ids)
        )

    def for_strategies_apart(self, strategy_ids) -> tuple["MeasureQuerySet", "MeasureQuerySet"]:
        """for_strategies in two parts, the measures on a priority and those on an objective,
        each with its `strategy_id`, to read one after the other: with the OR of the two,
        PostgreSQL read every measure of every strategy to find one strategy's (10.4 ms of a
        dashboard at ten times the trust; 3.9 ms in two parts)."""
        return tuple(
            self.filter(**{f"{path}__in": strategy_ids}).annotate(strategy_id=F(path))
            for path in ("priority__strategy", "objective__priority__strategy")
        )

    def visible_to(self, user) -> "MeasureQuerySet":
        """Measures of strategies this user may see (Strategy.objects.visible_to)."""
        return self.for_strategies(Strategy.objects.visible_to(user).values("id"))

    def with_responsible(self) -> "MeasureQuerySet":
        """Annotate `responsible_organisation`: the SQL twin of the property of that name."""
        return self.annotate(
            responsible_organisation=Coalesce(
                "responsible",
                "objective__responsible",
                "objective__priority__responsible",
                "priority__responsible",
                "objective__priority__strategy__organisation",
                "priority__strategy__organisation",
            )
        )

    def imported_by(self, user) -> "MeasureQuerySet":
        """Measures whose figures `user` imports (see importing_organisations): none of a
        closed strategy, which is kept as it was when it closed."""
        closed = Strategy.Status.CLOSED
        open_ones = self.exclude(priority__strategy__status=closed).exclude(
            objective__priority__strategy__status=closed
        )
        organisations = importing_organisations(user)
        if organisations is None:
            return open_ones
        return (
            open_ones.visible_to(user)  # a partner's Admin never reaches the lead's drafts
            .with_responsible()
            .filter(responsible_organisation__in=organisations)
        )

    def success_measures(self) -> "MeasureQuerySet":
        """Measures judged against a target and counted in roll-ups (not context indicators)."""
        return self.filter(kind=Kind.SUCCESS)

    def with_latest_value(self, up_to: dt.date | None = None) -> "MeasureQuerySet":
        """Annotate `latest_value`, `latest_period_end` and `latest_period_text` (the period's
        own wording): the most recent reported value;
        with `up_to`, the most recent for a period ending on or before that day."""
        latest = MeasureValue.objects.filter(measure=OuterRef("pk")).order_by("-period_end")
        if up_to:
            latest = latest.filter(period_end__lte=up_to)
        return self.annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period_end=Subquery(latest.values("period_end")[:1]),
            latest_period_text=Subquery(latest.values("period_text")[:1]),
        )


# Values a unit cannot take, unless the measure sets its own range.
UNIT_RANGES = {
    Unit.PERCENT: (0, 100),
    Unit.COUNT: (0, None),
    Unit.RATE_PER_1000: (0, None),
    Unit.RATE_PER_10000: (0, None),
    Unit.RATE_PER_100000: (0, None),
    Unit.DAYS: (0, None),
    Unit.RATIO: (0, None),
}


def allowed_range(
    unit: str, minimum: Decimal | None, maximum: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest value a measure may report: its own minimum and maximum, else
    its unit's (a percentage lies from 0 to 100; a count is never negative)."""
    low, high = UNIT_RANGES.get(unit, (None, None))
    low = minimum if minimum is not None else low
    high = maximum if maximum is not None else high
    return (None if low is None else Decimal(low), None if high is None else Decimal(high))


def range_text(low: Decimal | None, high: Decimal | None, unit: str) -> str:
    """A range in words: "0% to 100%", "at least 0"."""
    suffix = "%" if unit == Unit.PERCENT else ""
    if low is not None and high is not None:
        return f"{low.normalize():f}{suffix} to {high.normalize():f}{suffix}"
    if low is not None:
        return f"at least {low.normalize():f}{suffix}"
    return f"at most {high.normalize():f}{suffix}"


# A code naming a page the app has itself: /measures/import/ is the figures import.
RESERVED_CODES = {"import"}
RESERVED_CODE_REFUSAL = "This code is one the app uses itself: choose another."
CODE_RULE = (
    "A measure code is letters, digits, hyphens and underscores, starting with a letter or a "
    "digit, e.g. EPUT-SO2-VACANCY."
)


class Measure(BuiltInOneStep, NamesResponsiblePartner, models.Model):
    """A success measure, attached to exactly one priority or objective."""

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, null=True, blank=True, related_name="measures"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="measures"
    )
    code = models.SlugField(
        max_length=32,
        unique=True,
        allow_unicode=False,
        help_text="Short code used in CSV files, e.g. EPUT-SO2-VACANCY.",
        error_messages={"invalid": CODE_RULE},
    )
    name = models.CharField(max_length=300, validators=[visible_text])
    kind = models.CharField(
        max_length=10,
        choices=Kind,
        default=Kind.SUCCESS,
        help_text="A success measure is judged against its target and counted in roll-ups; a "
        "context indicator describes the setting the strategy works in, and is neither.",
    )
    unit = models.CharField(max_length=20, choices=Unit, default=Unit.NUMBER)
    direction = models.CharField(max_length=10, choices=Direction, default=Direction.NONE)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_period = models.DateField(
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text="End date of the baseline period.",
    )
    baseline_period_text = models.CharField(
        max_length=100, blank=True, help_text="The document's wording of the baseline period."
    )
    target_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    target_period_text = models.CharField(
        "target date (document wording)",  # as the editor and the measure's history name it
        max_length=100,
        blank=True,
        help_text="The document's wording of when the target is due (2027/28, by March 2028): "
        "pages give it instead of the target date, which the status is judged by.",
    )
    tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        default=0,
        help_text="How far from the target still counts as amber, in the measure's unit.",
    )
    minimum_value = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Lowest value this measure can take; empty for the unit's own limit.",
    )
    maximum_value = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Highest value this measure can take; empty for the unit's own limit.",
    )
    definition = models.TextField(blank=True)
    source_ref = models.CharField(max_length=300, blank=True)
    # SPC limits: from the first N points of each part of the series (all if empty), with a
    # new part from `spc_rebase_from`. Set by an Admin with a reason; never automatically.
    spc_baseline_points = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(spc.MIN_BASELINE_POINTS)]
    )
    spc_rebase_from = models.DateField(null=True, blank=True)
    # Order among its priority's or objective's measures (1, 2, 3…), as entered or as an Admin
    # sets it in the editor; a new measure goes last (save). Measures are not numbered: their
    # codes name them.
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    responsible = responsible_field()
    # An archived measure keeps its code, so its figures' history still names it.
    archived_at = archived_field()

    history = HistoricalRecords()

    everything = models.Manager()
    objects = LiveManager.from_queryset(MeasureQuerySet)()

    class Meta:
        default_manager_name = "objects"  # archived measures are left out
        ordering = ["code"]
        permissions = [("import_measurevalue", "Can import measure values from CSV")]
        # A file's codes are matched whatever their case (measures/importing.py, by_code).
        indexes = [models.Index(Upper("code"), name="measure_code_capitals")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(priority__isnull=False, objective__isnull=True)
                    | Q(priority__isnull=True, objective__isnull=False)
                ),
                name="measure_has_exactly_one_parent",
                violation_error_message="A measure belongs to one priority or one objective.",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0),
                name="measure_tolerance_not_negative",
                violation_error_message="The tolerance cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="measure_direction_valid"
            ),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="measure_unit_valid"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="measure_kind_valid"),
            models.CheckConstraint(
                condition=Q(minimum_value__isnull=True)
                | Q(maximum_value__isnull=True)
                | Q(minimum_value__lte=F("maximum_value")),
                name="measure_range_in_order",
                violation_error_message="The minimum cannot be above the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(spc_baseline_points__isnull=True) | Q(spc_baseline_points__gte=2),
                name="measure_spc_baseline_at_least_two",
                violation_error_message="SPC limits need a baseline of at least 2 points.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and not self.position:
            siblings = Measure.objects.filter(
                priority_id=self.priority_id, objective_id=self.objective_id
            )
            self.position = (siblings.aggregate(last=models.Max("position"))["last"] or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return address("measures:detail", self.code)

    def validate_unique(self, exclude=None) -> None:
        # Django's own check reads the default manager, which leaves archived measures out;
        # an archived measure keeps its code, so a new one cannot take it (in any case, as
        # the editor and the workbook import compare codes).
        super().validate_unique(exclude)
        if exclude and "code" in exclude:
            return
        if Measure.everything.filter(code__iexact=self.code).exclude(pk=self.pk).exists():
            raise ValidationError(
                {"code": "Another measure, live or archived, has this code; choose another."}
            )

    @property
    def quality(self) -> "data_quality.Rating | None":
        """Its data-quality rating, if it has been rated."""
        try:
            return self.data_quality.rating
        except ObjectDoesNotExist:
            return None

    @property
    def is_context(self) -> bool:
        return self.kind == Kind.CONTEXT

    @property
    def target_when(self) -> str:
        """ "by 2027/28" in the document's words where given, else "by 31 March 2028"."""
        return periods.by_when(self.target_date, self.target_period_text)

    def planned_points(self) -> list[trajectory.Point]:
        """The planned trajectory points: set by the page that read them for many measures at
        once (planned_by_measure), else read now."""
        if hasattr(self, "planned"):
            return self.planned
        return list(self.trajectory.values_list("period_end", "value"))

    def trajectory_path(self) -> trajectory.Trajectory | None:
        """The path from the baseline to the dated target."""
        return trajectory.build(
            direction=self.direction,
            baseline_value=self.baseline_value,
            baseline_period=self.baseline_period,
            target_value=self.target_value,
            target_date=self.target_date,
            planned=self.planned_points(),
        )

    def rag(self, today: dt.date) -> Status:
        """Needs `latest_value` and `latest_period_end` from with_latest_value()."""
        return status_of(self, self.planned_points(), today)

    def spc_reading(self, values=None) -> spc.SpcResult:
        """The SPC reading of this measure's values (pass them, or have them prefetched):
        the latest run of one period type, the other values set aside."""
        values = self.values.all() if values is None else values
        series = periods.one_period_type([(v.period_end, v.value, v.period_text) for v in values])
        result = spc.analyse(
            series.points,
            self.direction,
            self.target_value,
            baseline_points=self.spc_baseline_points,
            rebase_from=self.spc_rebase_from,
            shift_length=settings.SPC_SHIFT_LENGTH,
            trend_length=settings.SPC_TREND_LENGTH,
        )
        result.left_out, result.kind = series.left_out, series.kind
        charted = {point.period for point in result.points}
        result.wordings = {
            v.period_end: words
            for v in values
            if v.period_end in charted and (words := periods.own_wording(v.period_text))
        }
        for signal in result.signals:  # a year's figures by their words, as the table has them
            signal.start_words = result.wordings.get(signal.start, "")
            signal.end_words = result.wordings.get(signal.end, "")
        return result

    def baseline_stands_apart(self, values) -> bool:
        """Whether the baseline needs its own row and point: not when a value was reported for
        its period, which then is the baseline (shown once)."""
        if self.baseline_value is None:
            return False
        return self.baseline_period is None or all(
            v.period_end != self.baseline_period for v in values
        )

    def allowed_range(self) -> tuple[Decimal | None, Decimal | None]:
        return allowed_range(self.unit, self.minimum_value, self.maximum_value)

    def clean(self) -> None:
        """A baseline or target the measure could never report is refused, as an import
        refuses such a figure: a target of 150% is never met."""
        super().clean()
        errors = {}
        # A code's first character: a spreadsheet reads a cell "-1-1" as a sum (-2). Checked
        # for a code not stored yet (new, or changed in the admin): one stored before this
        # rule keeps working (files of figures name it, and a workbook names it again).
        first = self.code[:1]
        if self.code.lower() in RESERVED_CODES:
            errors["code"] = RESERVED_CODE_REFUSAL
        elif (
            first
            and not (first.isascii() and first.isalnum())
            and not Measure.everything.filter(code__iexact=self.code).exists()
        ):
            errors["code"] = CODE_RULE
        low, high = self.allowed_range()
        limits = [limit for limit in (low, high) if limit is not None]
        for name, label in (("baseline_value", "baseline"), ("target_value", "target")):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite():
                continue
            if not all(isinstance(x, Decimal) and x.is_finite() for x in limits):
                break  # a limit that is not a number is refused by its own field
            if (low is not None and value < low) or (high is not None and value > high):
                errors[name] = (
                    f"The {label}, {value.normalize():f}, is outside this measure's range "
                    f"({range_text(low, high, self.unit)})."
                )
        if self.pk is not None:
            changed = figures_broken_by(
                self.pk, self.baseline_period, self.unit, self.minimum_value, self.maximum_value
            )
            errors = changed | errors
        if errors:
            raise ValidationError(errors)

    @property
    def strategy(self):
        parent_priority = self.priority or self.objective.priority
        return parent_priority.strategy

    @property
    def responsible_organisation_id(self) -> int:
        """Its responsible partner, or its parent's (in the end the lead organisation)."""
        return self.responsible_id or (self.objective or self.priority).responsible_organisation_id


def figures_broken_by(
    measure_id: int, baseline_period, unit: str, minimum_value, maximum_value
) -> dict[str, str]:
    """What a change to a stored measure's baseline period, unit or range would break among
    the figures stored for it, by field: the figures import refuses a figure before the
    baseline or outside the range, so its own figures would no longer load back (its
    figures file, its strategy's JSON). Only what changed is checked: a measure stored
    before this rule still saves as it is."""
    stored = (
        Measure.everything.filter(pk=measure_id)
        .values("baseline_period", "unit", "minimum_value", "maximum_value")
        .first()
    )
    if stored is None:
        return {}
    errors = {}
    values = MeasureValue.objects.filter(measure_id=measure_id)
    if isinstance(baseline_period, dt.date) and baseline_period != stored["baseline_period"]:
        earlier = values.filter(period_end__lt=baseline_period).order_by("period_end")
        if first := earlier.values_list("period_end", flat=True).first():
            errors["baseline_period"] = (
                f"Figures are stored for periods before {long_day(baseline_period)} (the "
                f"earliest ends {long_day(first)}): the baseline is the first figure a measure "
                "is followed from. Choose a period no later than that."
            )
    limits = (minimum_value, maximum_value)
    if (unit, *limits) == (stored["unit"], stored["minimum_value"], stored["maximum_value"]):
        return errors
    low, high = allowed_range(unit, *limits)
    if not all(isinstance(x, Decimal) and x.is_finite() for x in (low, high) if x is not None):
        return errors  # a limit that is not a number is refused by its own field
    outside = Q(pk__in=[])
    if low is not None:
        outside |= Q(value__lt=low)
    if high is not None:
        outside |= Q(value__gt=high)
    if found := values.filter(outside).order_by("period_end").first():
        below = low is not None and found.value < low
        field = "minimum_value" if below else "maximum_value"
        if limits == (stored["minimum_value"], stored["maximum_value"]):
            field = "unit"  # the unit's own range (a % is 0 to 100)
        errors[field] = (
            f"A figure already stored is outside this measure's range "
            f"({range_text(low, high, unit)}): {found.value.normalize():f} for "
            f"{long_day(found.period_end)}. Widen the range, or correct that figure."
        )
    return errors


class ValueRow(NamedTuple):
    """A reported value as charts, SPC and tables read it: plain, not a model instance."""

    period_end: dt.date
    period_text: str
    value: Decimal
    note: str


def series_by_measure(measure_ids, up_to: dt.date | None = None) -> dict[int, list[ValueRow]]:
    """Every value of these measures, oldest first, in one query; with `up_to`, only those
    for periods ending on or before that day."""
    values = MeasureValue.objects.filter(measure_id__any_of=measure_ids)
    if up_to:
        values = values.filter(period_end__lte=up_to)
    rows = values.order_by("measure_id", "period_end").values_list(
        "measure_id", "period_end", "period_text", "value", "note"
    )
    return {
        measure_id: [ValueRow(p, t, v, n) for _, p, t, v, n in group]
        for measure_id, group in itertools.groupby(rows, key=operator.itemgetter(0))
    }


def planned_by_measure(measure_ids) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Every planned trajectory point of these measures (ids, or a query of them), in one
    query."""
    planned: dict[int, list[tuple[dt.date, Decimal]]] = {}
    rows = TrajectoryPoint.objects.filter(measure_id__any_of=measure_ids).values_list(
        "measure_id", "period_end", "value"
    )
    for measure_id, period_end, value in rows:
        planned.setdefault(measure_id, []).append((period_end, value))
    return planned


class TrajectoryPoint(models.Model):
    """A planned value on the way from the baseline to the target, where the measure's path
    is not a straight line (a recruitment plan that starts slowly, say)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="trajectory")
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_end"], name="trajectory_point_unique_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} trajectory {self.period_end}: {self.value}"

    def clean(self) -> None:
        measure = self.measure
        start, end = measure.baseline_period, measure.target_date
        if None in (start, end, measure.baseline_value, measure.target_value):
            raise ValidationError(
                "A trajectory needs the measure's baseline (value and period) and a target "
                "with a date first."
            )
        if self.period_end is None:
            return  # the field's own "required" error says so
        if not start < self.period_end < end:
            raise ValidationError(
                {
                    "period_end": f"A planned point lies between the baseline ({short_day(start)}) "
                    f"and the target date ({short_day(end)})."
                }
            )
        low, high = sorted([measure.baseline_value, measure.target_value])
        if self.value is not None and not low <= self.value <= high:
            raise ValidationError(
                {
                    "value": "A planned point lies between the baseline and the target, on the "
                    "way from one to the other."
                }
            )


class ImportBatch(models.Model):
    """An uploaded CSV of figures: kept in the database from preview to confirm (so any app
    server can confirm it), and afterwards as the record of what was imported."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not imported"
        IMPORTED = "imported", "Imported"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status, default=Status.PREVIEWED)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"Import {self.pk}: {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("measures:import_preview", args=[self.pk])


class ImportedHistory(models.Model):
    """Extra column on value history: the import that wrote the change, if one did."""

    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class MeasureValue(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField()
    period_text = models.CharField(
        max_length=100, blank=True, help_text="The source's own wording of the period."
    )
    value = models.DecimalField(max_digits=14, decimal_places=4)
    # The longest cell a file may have (measures/csv_files.py): every note a figure keeps, one
    # loaded from a strategy file too, comes back through its figures file.
    note = models.TextField(blank=True, max_length=10_000, validators=[MaxLengthValidator(10_000)])
    source = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(bases=[ImportedHistory])

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_end"], name="measure_value_unique_per_period"
            ),
        ]
        # An import looks up the values stored for its periods: without this index PostgreSQL
        # read the whole table of values to find them (15 ms for a 1,000-row preview, 2 with).
        indexes = [models.Index(fields=["period_end"], name="measure_value_period_end")]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period_end}: {self.value}"

    def save(self, *args, **kwargs) -> None:
        # One transaction for the value and its measure's reading marked stale (the post_save
        # signal, measures/signals.py): Django sends post_save after an unwrapped save has
        # committed, and a reader in between would take the old reading for current.
        # (A delete already sends post_delete inside its own transaction.)
        with transaction.atomic():
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.measure.get_absolute_url() + f"#value-{self.period_end.isoformat()}"

    def clean(self) -> None:
        # The figures import reads both from one cell; a strategy file or the admin gives
        # them apart, and pages would name this figure by another period's words.
        if self.period_end and (
            why := periods.wording_disagrees(self.period_text, self.period_end)
        ):
            raise ValidationError({"period_text": why})


class MeasureReading(BuiltInOneStep, models.Model):
    """A measure's SPC reading as of its values, stored so a dashboard need not read every
    value of every measure to show two icons (measures/readings.py keeps it).

    Every write of the measure's values adds one to `changes`, in the writer's transaction;
    the reading is current only while `read_at` (the `changes` it was worked out at) equals
    it and `inputs` (the settings it used) are the measure's own. A stale or missing reading
    is never shown: the page works the reading out from the values instead."""

    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, primary_key=True, related_name="reading"
    )
    changes = models.PositiveBigIntegerField(default=0)
    read_at = models.PositiveBigIntegerField(null=True)
    inputs = models.CharField(max_length=200, blank=True)
    points = models.PositiveIntegerField(default=0)
    run_chart_only = models.BooleanField(default=True)
    variation = models.CharField(max_length=20, blank=True)
    assurance = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    # The latest value, as with_latest_value() reads it: current while read_at == changes.
    latest_value = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    latest_period_end = models.DateField(null=True)
    latest_period_text = models.CharField(max_length=100, blank=True)
    read_on = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.variation or 'no reading'}"


def _dimension_field(label: str, question: str) -> models.CharField:
    return models.CharField(
        max_length=20,
        choices=data_quality.RATING_CHOICES,
        default=data_quality.NOT_ASSESSED,
        verbose_name=label,
        help_text=question,
    )


class DataQualityRating(models.Model):
    """A measure's data-quality kite mark (measures/data_quality.py): each dimension met,
    partly met, not met or not assessed, with who assessed it and when."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="data_quality")
    timeliness = _dimension_field(*data_quality.DIMENSIONS[0][1:])
    completeness = _dimension_field(*data_quality.DIMENSIONS[1][1:])
    validity = _dimension_field(*data_quality.DIMENSIONS[2][1:])
    process = _dimension_field(*data_quality.DIMENSIONS[3][1:])
    source = _dimension_field(*data_quality.DIMENSIONS[4][1:])
    sign_off = _dimension_field(*data_quality.DIMENSIONS[5][1:])
    note = models.TextField(blank=True, max_length=2000, help_text="What the rating rests on.")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField()
    # Bumped on every save; the form names the version it read (optimistic locking).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{
                        f"{name}__in": [key for key, _ in data_quality.RATING_CHOICES]
                        for name, _, _ in data_quality.DIMENSIONS
                    }
                ),
                name="data_quality_ratings_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Data quality of {self.measure_id}: {self.rating.summary()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    @property
    def rating(self) -> data_quality.Rating:
        assessor = self.assessed_by
        return data_quality.Rating(
            {name: getattr(self, name) for name, _, _ in data_quality.DIMENSIONS},
            self.assessed_on,
            assessor.get_full_name() or assessor.username,
        )


from measures.national_indicator_model import NationalIndicator  # noqa: E402,F401
