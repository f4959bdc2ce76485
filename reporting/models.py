import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from objectives.models import Strategy
from reporting.quarters import Quarter


class PeriodState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReportingPeriodQuerySet(models.QuerySet):
    def before(self, quarter: Quarter) -> "ReportingPeriodQuerySet":
        return self.filter(
            models.Q(year__lt=quarter.year)
            | models.Q(year=quarter.year, quarter__lt=quarter.number)
        )


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
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

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

    @property
    def financial_quarter(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def label(self) -> str:
        return self.financial_quarter.label

    @property
    def quarter_end(self) -> dt.date:
        return self.financial_quarter.end

    def is_late(self, today: dt.date) -> bool:
        """Still open after its grace period: returns sent now are late."""
        return self.state == PeriodState.OPEN and today > self.closes_on
