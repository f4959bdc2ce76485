"""Milestones: the dated (or undated) deliverables of an objective, updated by their owners."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from objectives.models import Objective


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


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
