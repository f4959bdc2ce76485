"""Strategies and their parts: organisation → strategy → priority → objective."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from strategy_tracker.addresses import address
from strategy_tracker.roles import is_admin


class LiveManager(models.Manager):
    """Archived items leave every page and roll-up: the default manager never returns them.
    Each archivable model keeps a plain `everything` manager for the editor and the history.
    (Related managers and form choices use the default manager's class, so they hide them
    too; a foreign key followed forwards still reaches an archived item.)"""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


def archived_field() -> models.DateTimeField:
    return models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When it was archived (editor/archiving.py); kept, with its history, but "
        "shown nowhere.",
    )


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("objectives:strategy_list") + f"?organisation={self.pk}"


class StrategyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StrategyQuerySet":
        """Drafts are half-built: only Admins see them. Published and closed strategies are
        for everyone signed in."""
        if is_admin(user):
            return self
        return self.exclude(status=Strategy.Status.DRAFT)


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="strategies"
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    # Who published and who closed it, and when (objectives/lifecycle.py sets them).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    vision = models.TextField(blank=True)
    purpose = models.TextField(blank=True, help_text="The document's purpose statement.")
    aims = models.TextField(blank=True, help_text="One aim per line.")
    values = models.TextField(blank=True, help_text="The document's stated values.")
    summary = models.TextField(blank=True)
    source_document = models.CharField(max_length=300, blank=True)
    source_version = models.CharField(max_length=100, blank=True)
    source_date = models.DateField(null=True, blank=True)
    illustrative = models.BooleanField(
        default=False,
        help_text="Made-up data for trying the app, not from a published document. Every "
        "page that shows it says so.",
    )
    # Sign-off: set on the strategy's reporting periods page (reporting/), which checks that
    # nobody changed them since the page was read; the admin shows them, read-only.
    requires_approval = models.BooleanField(
        default=False,
        help_text="Milestone updates count only once one of the approvers approves them.",
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="approver_of"
    )

    history = HistoricalRecords()

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "-period_start", "title"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lt=F("period_end")),
                name="strategy_period_start_before_end",
                violation_error_message="The period must start before it ends.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "closed"]),
                name="strategy_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("objectives:strategy_detail", self.slug)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Priority(models.Model):
    """A strategy's top-level aim (EPUT: "strategic objective"; Thurrock: "priority")."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    # Thurrock's strategy has two parts (adults, children and young people), each numbered 1-4.
    # Parts 1-9: a priority's address is "3", or "part2-3" outside Part One.
    part = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    part_title = models.CharField(max_length=200, blank=True)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source_ref = models.CharField(
        max_length=300, blank=True, help_text="Where this is in the source document."
    )
    archived_at = archived_field()

    history = HistoricalRecords()

    everything = models.Manager()
    objects = LiveManager()

    class Meta:
        default_manager_name = "objects"  # archived priorities are left out
        ordering = ["strategy_id", "part", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            # An archived priority keeps its number; the live ones are numbered afresh.
            models.UniqueConstraint(
                fields=["strategy", "part", "number"],
                condition=Q(archived_at__isnull=True),
                name="priority_number_unique_in_part",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="priority_number_positive"),
            models.CheckConstraint(condition=Q(part__gte=1), name="priority_part_positive"),
            models.CheckConstraint(
                condition=Q(part__lte=9),
                name="priority_part_at_most_nine",
                violation_error_message="A strategy has at most nine parts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return address("objectives:priority_detail", self.strategy.slug, self.key)

    @property
    def key(self) -> str:
        """The priority's part of its URL: "3", or "part2-3" outside Part One."""
        return str(self.number) if self.part == 1 else f"part{self.part}-{self.number}"

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}" if self.part == 1 else f"Part {self.part}, {self}"


class Objective(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    description = models.TextField(blank=True)
    we_will = models.TextField(blank=True, help_text='The "We will" commitments, one per line.')
    where_now = models.TextField(blank=True, help_text='"Where are we now?"')
    where_want = models.TextField(blank=True, help_text='"Where do we want to be?"')
    source_ref = models.CharField(max_length=300, blank=True)
    archived_at = archived_field()

    history = HistoricalRecords()

    everything = models.Manager()
    objects = LiveManager()

    class Meta:
        default_manager_name = "objects"  # archived objectives are left out
        ordering = ["priority_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "number"],
                condition=Q(archived_at__isnull=True),
                name="objective_number_unique_in_priority",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="objective_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.priority.number}.{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        priority = self.priority
        return address(
            "objectives:objective_detail", priority.strategy.slug, priority.key, self.number
        )
