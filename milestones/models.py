"""Milestones: the dated (or undated) deliverables of an objective, updated by their owners."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from simple_history.models import HistoricalRecords

from objectives import rag
from objectives.models import Objective, Strategy


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


class MilestoneQuerySet(models.QuerySet):
    def for_strategy(self, strategy: Strategy) -> "MilestoneQuerySet":
        return self.filter(objective__priority__strategy=strategy)

    def with_rag(self, today: dt.date) -> "MilestoneQuerySet":
        """Annotate `rag_value`, the colour objectives.rag.milestone_status gives, in SQL,
        and `rag_rank`, its severity (0 = red) for sorting worst first.

        For filtering and counting in the database; a test holds the two to the same rules.
        """
        ranks = [When(rag_value=r.value, then=Value(i)) for i, r in enumerate(rag.DISPLAY_ORDER)]
        return self.annotate(
            rag_value=Case(
                When(status=MilestoneStatus.COMPLETE, then=Value(rag.Rag.BLUE.value)),
                When(status=MilestoneStatus.CANCELLED, then=Value(rag.Rag.GREY.value)),
                When(
                    due_date__isnull=True,
                    last_updated_at__isnull=True,
                    then=Value(rag.Rag.GREY.value),
                ),
                When(due_date__lt=today, then=Value(rag.Rag.RED.value)),
                When(status=MilestoneStatus.OFF_TRACK, then=Value(rag.Rag.RED.value)),
                When(status=MilestoneStatus.AT_RISK, then=Value(rag.Rag.AMBER.value)),
                When(forecast_date__gt=F("due_date"), then=Value(rag.Rag.AMBER.value)),
                When(
                    status=MilestoneStatus.NOT_STARTED,
                    due_date__lte=today + dt.timedelta(days=rag.DUE_SOON_DAYS),
                    then=Value(rag.Rag.AMBER.value),
                ),
                default=Value(rag.Rag.GREEN.value),
                output_field=CharField(),
            )
        ).annotate(rag_rank=Case(*ranks, output_field=IntegerField()))


class Milestone(models.Model):
    Status = MilestoneStatus

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(
        default=1, help_text="Order within the objective, as in the document."
    )
    heading = models.CharField(
        max_length=300,
        blank=True,
        help_text="The document's heading this milestone sits under, if any.",
    )
    title = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    due_text = models.CharField(
        max_length=100, blank=True, help_text='The document\'s own wording, e.g. "by March 2014".'
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_milestones",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    forecast_date = models.DateField(null=True, blank=True)
    commentary = models.TextField(blank=True, max_length=2000)
    last_updated_at = models.DateTimeField(null=True, blank=True)
    last_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Bumped on every update; an update names the version it read (optimistic locking).
    version = models.PositiveIntegerField(default=1)
    source_ref = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["objective_id", "position", "id"]
        permissions = [("update_own_milestone", "Can update milestones they own")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values),
                name="milestone_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.objective.get_absolute_url()

    def rag(self, today: dt.date) -> rag.Status:
        return rag.milestone_status(
            status=self.status,
            due_date=self.due_date,
            forecast_date=self.forecast_date,
            last_updated_at=self.last_updated_at,
            today=today,
        )
