import datetime as dt
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from measures import data_quality
from measures.charts import VERDICT_STYLE
from measures.spc import Assurance, Variation
from milestones import status as status_rules
from objectives.models import Strategy
from reporting.quarters import Quarter
from risks.scoring import Scored
from strategy_tracker.people import display_name
from strategy_tracker.rows import BuiltInOneStep, JSONObjectField
from strategy_tracker.status import Rag, RollUp, Status


class StrategyPeriod(NamedTuple):
    """A strategy's period as the `strategy_period` filter reads it: a report's, as at close."""

    period_start: dt.date
    period_end: dt.date
    period_text: str


class PeriodState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReportingPeriodQuerySet(models.QuerySet):
    def closed(self) -> "ReportingPeriodQuerySet":
        return self.filter(state=PeriodState.CLOSED)

    def before(self, quarter: Quarter) -> "ReportingPeriodQuerySet":
        return self.filter(
            models.Q(year__lt=quarter.year)
            | models.Q(year=quarter.year, quarter__lt=quarter.number)
        )

    def closed_quarters(self) -> list[Quarter]:
        """The quarters these periods closed, newest first, each once."""
        pairs = (
            self.filter(state=PeriodState.CLOSED)
            .order_by("-year", "-quarter")
            .values_list("year", "quarter")
            .distinct()
        )
        return [Quarter(year, number) for year, number in pairs]


class ReportingPeriod(models.Model):
    """One strategy's reporting for one financial quarter. Leads send their returns while it is
    open: from `opens_on`, some days before the quarter ends, until `closes_on`, the end of
    the grace period after it. Opening and closing are reporting/cycle.py's rules."""

    State = PeriodState

    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="reporting_periods"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2024 for 2024/25."
    )
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    opens_on = models.DateField(help_text="The first day leads can send their returns.")
    closes_on = models.DateField(help_text="The last day of the grace period after the quarter.")
    state = models.CharField(
        max_length=10, choices=PeriodState.choices, default=PeriodState.SCHEDULED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    # Set as it opens (returns_from): a period opened before it is read stays as it counted.
    returns_counted_from = models.DateTimeField(null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # At close: how many items each kind of change (reporting/changes.py) found against the
    # previous closed quarter, for the dashboard's line; the report lists them in full.
    change_counts = models.JSONField(default=dict, blank=True)
    # At close: the strategy's title, organisation and illustrative flag, and who closed it,
    # as they were, so the report's heading never changes after a rename either.
    as_closed = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords()
    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "year", "quarter"], name="one_period_per_strategy_quarter"
            ),
            models.UniqueConstraint(
                fields=["strategy"],
                condition=models.Q(state="open"),
                name="one_open_period_per_strategy",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=models.Q(opens_on__lte=models.F("closes_on")),
                name="period_opens_before_it_closes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy.title}: {self.label}"

    def snapshot_rows(self) -> "models.QuerySet[SnapshotItem]":
        """Its snapshot, in document order. Not through `self.snapshot`, which would give each
        row this period as its `period`, which no report reads (6.4M instructions of a board
        report's 391 rows)."""
        return SnapshotItem.objects.filter(period_id=self.pk).order_by("position")

    @property
    def financial_quarter(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def label(self) -> str:
        return self.financial_quarter.label

    @property
    def quarter_end(self) -> dt.date:
        return self.financial_quarter.end

    @property
    def returns_from(self) -> dt.datetime:
        """When returns for the period began to count: when it opened, or its first day if
        it was opened earlier than that; but never before the quarter before it closed (one
        whose grace period ran past this one's first day): an update sent while that one was
        open was its late return, not this quarter's. Kept as the period opens."""
        if self.returns_counted_from:
            return self.returns_counted_from
        return self.counting_from(previous_closed_at=None)

    def counting_from(self, previous_closed_at: dt.datetime | None) -> dt.datetime:
        first_day = timezone.make_aware(dt.datetime.combine(self.opens_on, dt.time.min))
        start = min(self.opened_at, first_day) if self.opened_at else first_day
        return max(start, previous_closed_at) if previous_closed_at else start

    @property
    def heading(self) -> dict:
        """The report's heading as at close (live values for a period closed before they
        were kept), in the shape the strategy flags template reads. A live value is read only
        where none was kept: the organisation and the closer are a query each."""
        strategy, kept = self.strategy, self.as_closed
        if "organisation" in kept:
            organisation = kept["organisation"]
        else:
            organisation = strategy.organisation.name
        if "closed_by" in kept:
            closer = kept["closed_by"]
        else:
            closer = display_name(self.closed_by) if self.closed_by_id else ""
        if "period" in kept:  # as at close: a strategy re-dated since leaves the report be
            start, end, text = kept["period"]
            period = StrategyPeriod(dt.date.fromisoformat(start), dt.date.fromisoformat(end), text)
        else:
            period = StrategyPeriod(
                strategy.period_start, strategy.period_end, strategy.period_text
            )
        return {
            "title": kept.get("title", strategy.title),
            "organisation": {"name": organisation},
            "illustrative": kept.get("illustrative", strategy.illustrative),
            "closed_by": closer,
            "period": period,
        }

    def is_late(self, today: dt.date) -> bool:
        """Still open after its grace period: returns sent now are late."""
        return self.state == PeriodState.OPEN and today > self.closes_on


class Level(models.TextChoices):
    STRATEGY = "strategy", "Strategy"
    PRIORITY = "priority", "Priority"
    OBJECTIVE = "objective", "Objective"
    MILESTONE = "milestone", "Milestone"
    MEASURE = "measure", "Success measure"
    CONTEXT = "context", "Context indicator"


class SnapshotItem(BuiltInOneStep, models.Model):
    """What the board saw of one item when its quarter closed: written once, at close
    (reporting/snapshots.py), and never changed, so later edits leave the quarter as it was.
    Self-contained: titles, owners and figures are copied, not referred to."""

    Level = Level

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="snapshot")
    level = models.CharField(max_length=10, choices=Level.choices)
    object_id = models.PositiveBigIntegerField(help_text="The live item, to compare quarters.")
    position = models.PositiveIntegerField(help_text="Document order within the snapshot.")
    priority_key = models.CharField(max_length=20, blank=True)
    number = models.CharField(max_length=40, blank=True, help_text="1.2 or a measure's code.")
    title = models.TextField()
    rag = models.CharField(max_length=10)
    finding = models.CharField(max_length=100, blank=True)
    reason = models.TextField()
    stale = models.BooleanField(default=False)
    counts = JSONObjectField(default=dict, blank=True, help_text="Roll-ups: items by colour.")
    # Milestones: the owner's latest report as the quarter closed.
    status = models.CharField(max_length=20, blank=True)
    status_label = models.CharField(max_length=40, blank=True)
    commentary = models.TextField(blank=True)
    forecast_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_text = models.CharField(max_length=100, blank=True)
    # A full name, which Django allows to be 301 characters: a limit here once stopped a close.
    owner = models.TextField(blank=True)
    # What a public page may show instead of the owner's name, if the organisation chooses.
    owner_job_title = models.CharField(max_length=200, blank=True)
    last_updated_at = models.DateTimeField(null=True, blank=True)
    # An update the owner sent was waiting for an approver's sign-off as the quarter closed.
    awaiting_approval = models.BooleanField(default=False)
    # Measures: the latest value for a period ending in or before the quarter.
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value_period_end = models.DateField(null=True, blank=True)
    value_period_text = models.CharField(
        max_length=100, blank=True, help_text="The source's own wording of that period."
    )
    unit = models.CharField(max_length=20, blank=True)
    variation = models.CharField(max_length=20, blank=True)
    assurance = models.CharField(max_length=20, blank=True)
    run_chart_only = models.BooleanField(default=False)
    # A figure the previous quarter's report showed, changed since it closed: that period
    # (and its wording, which names a year's figure: periods.period_words), and the value
    # then and now.
    restated_period_end = models.DateField(null=True, blank=True)
    restated_period_text = models.CharField(
        max_length=100, blank=True, help_text="The source's own wording of that period."
    )
    restated_from = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    restated_to = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # The unit the previous report showed that figure in, where the measure's has changed
    # since ("20", a count then, not "£20"): empty where it is the row's own.
    restated_unit = models.CharField(max_length=20, blank=True)
    # Measures: the SPC chart as it stood (reporting/charts.py): the latest points with their
    # mean, limits and meaning, the target, and each signal in words.
    chart = models.JSONField(default=dict, blank=True)
    # Measures: that chart drawn as reports show it (reporting/charts.py figure), at close.
    chart_figure = models.TextField(blank=True)
    # Measures: the data-quality rating as it stood (measures/data_quality.py), or {}.
    data_quality = JSONObjectField(default=dict, blank=True)

    class Meta:
        ordering = ["period", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "level", "object_id"], name="one_snapshot_row_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.get_level_display()} {self.number} {self.rag}"

    @property
    def nothing_reported(self) -> bool:
        """A milestone nobody updated that still has the status every milestone starts with
        (milestones/status.py): one loaded with a document's status has that as its report."""
        # A row with no status recorded has no report either.
        return status_rules.nothing_reported(self.status or "not_started", self.last_updated_at)

    @property
    def item_status(self) -> Status:
        """The stored status, as the badges show a live one."""
        return Status(Rag(self.rag), self.reason, self.level, self.finding, self.stale)

    @property
    def rollup(self) -> RollUp:
        return RollUp(Rag(self.rag), self.reason, {Rag(k): n for k, n in self.counts.items()})

    @property
    def variation_label(self) -> str:
        return Variation(self.variation).label if self.variation else ""

    @property
    def objective_number(self) -> int | None:
        """An objective's own number: 3 of "2.3"."""
        if self.level != Level.OBJECTIVE:
            return None
        return int(self.number.rpartition(".")[2])

    @property
    def restated_from_unit(self) -> str:
        return self.restated_unit or self.unit

    @property
    def chart_points(self) -> list[dict]:
        """The charted figures as a table's rows, oldest first: the chart's text alternative
        (the public measure page shows it beside the chart)."""
        wordings = (self.chart or {}).get("wordings", {})
        return [
            {
                "period_end": dt.date.fromisoformat(point[0]),
                "wording": wordings.get(point[0], ""),  # a year's or a one-off's own words
                "value": point[1],
                "mean": point[2],
                "upper": point[3],
                "lower": point[4],
                "meaning": VERDICT_STYLE[point[5]][0],
            }
            for point in (self.chart or {}).get("points", [])
        ]

    @property
    def quality(self) -> "data_quality.Rating | None":
        return data_quality.from_snapshot(self.data_quality)

    @property
    def assurance_label(self) -> str:
        return Assurance(self.assurance).label if self.assurance else ""


class RiskSnapshot(Scored, models.Model):
    """A strategic risk as its quarter closed (reporting/risk_snapshots.py): its scores, appetite
    and review, copied, so the report shows what the board saw then however it is rescored."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="risk_snapshot"
    )
    risk_id = models.PositiveBigIntegerField(help_text="The live risk, to compare quarters.")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    owner = models.TextField(blank=True)  # a full name: up to 301 characters
    threatens = models.TextField(blank=True, help_text="The priorities and objectives, named.")
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    current_likelihood = models.PositiveSmallIntegerField()
    current_impact = models.PositiveSmallIntegerField()
    target_likelihood = models.PositiveSmallIntegerField()
    target_impact = models.PositiveSmallIntegerField()
    appetite = models.CharField(max_length=10)
    review_date = models.DateField()
    review_overdue = models.BooleanField(help_text="Past its review date at the quarter's end.")

    class Meta:
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "risk_id"], name="one_snapshot_per_risk"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: R{self.number} {self.current_score}"

    @property
    def reference(self) -> str:
        return f"R{self.number}"


class PackState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class BoardPack(models.Model):
    """Several strategies' board reports for one quarter as one PDF, made in the background
    (reporting/packs.py, run by the task worker). The PDF is kept once finished, and only
    then: a pack that fails part way has none, so nothing half-made is offered."""

    State = PackState

    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    periods = models.ManyToManyField(ReportingPeriod, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=PackState.choices, default=PackState.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(help_text="Reports in the pack.")
    done = models.PositiveSmallIntegerField(default=0, help_text="Reports made so far.")
    failure = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, editable=False)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="Bytes.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="done") | models.Q(pdf__isnull=False),
                name="a_finished_pack_has_its_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"Board pack {self.label} ({self.get_state_display()})"

    @property
    def label(self) -> str:
        return Quarter(self.year, self.quarter).label

    @property
    def stalled(self) -> bool:
        """Started long ago and never finished: its worker was stopped part way."""
        started = self.started_at
        return (
            self.state == PackState.RUNNING
            and started is not None
            and timezone.now() - started > PACK_GIVEN_UP_AFTER
        )

    @property
    def waited_too_long(self) -> bool:
        """Asked for long ago and never started: no task worker has been running."""
        return (
            self.state == PackState.QUEUED
            and timezone.now() - self.requested_at > PACK_GIVEN_UP_AFTER
        )

    @property
    def progress(self) -> str:
        """Where the pack is, in words."""
        if self.state == PackState.QUEUED:
            if self.waited_too_long:
                return (
                    "Still waiting for the task worker: is it running (make worker)? Reload "
                    "this page once it is."
                )
            return "Waiting for the worker to start it."
        if self.stalled:
            return (
                f"Stopped after {self.done} of {self.total} reports: its worker was stopped "
                "part way. Make the pack again."
            )
        if self.state == PackState.RUNNING:
            return f"Being made: {self.done} of {self.total} reports done."
        if self.state == PackState.DONE:
            return f"Ready: {self.pages} pages."
        return f"Failed, so no PDF was kept: {self.failure}"


# A pack of sixty reports takes a few minutes; one still going after this never will.
PACK_GIVEN_UP_AFTER = dt.timedelta(minutes=30)


class ReminderDay(models.Model):
    """A day whose scheduled reminders have gone (reporting.tasks.daily_reporting_jobs): a
    second daily run that day, on a second worker or one started again, sends none again."""

    day = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Reminders of {self.day:%d %B %Y}"
