"""Strategies and their parts: organisation → strategy → priority → objective."""

import operator

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from strategy_tracker.addresses import address
from strategy_tracker.plausible_dates import plausible_date
from strategy_tracker.roles import (
    ADMIN,
    APPROVER,
    ROLES,
    is_site_administrator,
    organisations_where,
)
from strategy_tracker.rows import BuiltInOneStep
from strategy_tracker.visible_text import visible_text


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


def responsible_field() -> models.ForeignKey:
    return models.ForeignKey(
        "objectives.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="responsible partner",
        help_text="The organisation that delivers it, if not the one responsible for what it "
        "sits under (in the end, the strategy's lead organisation).",
    )


class NamesResponsiblePartner:
    """An item (priority, objective, milestone, measure) can name the organisation
    responsible for it: the strategy's lead organisation or one of its partners. Its class
    says where its strategy is (`strategy_path`)."""

    strategy_path = "strategy"

    def strategy_or_none(self) -> "Strategy | None":
        """Its strategy, or None while it has no parent (a form's item not yet placed)."""
        try:
            return operator.attrgetter(self.strategy_path)(self)
        except (AttributeError, ObjectDoesNotExist):
            return None

    @property
    def in_closed_strategy(self) -> bool:
        """Its strategy is closed: kept as it was when it closed, so it takes no change."""
        strategy = self.strategy_or_none()
        return strategy is not None and strategy.is_closed

    def is_managed_by(self, user) -> bool:
        """Whether `user` looks after it (sets a milestone's owner and delegates, a measure's
        SPC limits): a site administrator, or an Admin of the strategy's lead organisation
        or of the organisation responsible for it. Nobody, once its strategy is closed: it is
        kept as it was when it closed."""
        if self.in_closed_strategy:
            return False
        if is_site_administrator(user):
            return True
        lead = self.strategy_or_none().organisation_id
        return bool({lead, self.responsible_organisation_id} & organisations_where(user, ADMIN))

    def clean(self) -> None:
        super().clean()
        if self.responsible_id is None:
            return
        strategy = self.strategy_or_none()
        if strategy is None:
            return  # no parent chosen yet: that field's own error says so
        if self.responsible_id not in strategy.organisation_ids():
            raise ValidationError(
                {
                    "responsible": "Choose the strategy's lead organisation or one of its "
                    "partners (a site administrator adds partners)."
                }
            )

    def delivered_by(self) -> "Organisation | None":
        """The partner responsible for it, where that is not the lead organisation."""
        strategy = self.strategy_or_none()
        responsible = self.responsible_organisation_id
        if responsible == strategy.organisation_id:
            return None
        return Organisation.objects.filter(pk=responsible).first()


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganisationQuerySet":
        """Organisations `user` belongs to, and those leading or partnering a strategy they
        may read (every one, for a site administrator)."""
        if is_site_administrator(user):
            return self
        strategies = Strategy.objects.visible_to(user)
        partners = Partner.objects.filter(strategy__in=strategies).values("organisation_id")
        return self.filter(
            Q(pk__in=organisations_where(user))
            | Q(pk__in=strategies.values("organisation_id"))
            | Q(pk__in=partners)
        )


class Organisation(BuiltInOneStep, models.Model):
    name = models.CharField(max_length=200, unique=True, validators=[visible_text])
    short_name = models.CharField(max_length=50, blank=True)

    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("objectives:strategy_list") + f"?organisation={self.pk}"


class Membership(models.Model):
    """`user` holds `role` in `organisation` (strategy_tracker/roles.py says what each role
    may do). A site administrator grants and removes them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=50, choices=[(r, r) for r in ROLES])

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_role_once"
            ),
            models.CheckConstraint(condition=Q(role__in=ROLES), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.role} at {self.organisation}"


class JobTitle(models.Model):
    """A person's job title ("Director of Nursing"): what a public page may show of an owner,
    never their name, if the organisation chooses (public/). A site administrator sets it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_title"
    )
    title = models.CharField(max_length=200, validators=[visible_text])

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.title


class Partner(models.Model):
    """`organisation` delivers `strategy` with its lead organisation (a site administrator
    names partners; the history keeps who and when)."""

    strategy = models.ForeignKey("Strategy", on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "organisation"], name="partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} (partner)"

    def clean(self) -> None:
        strategy = getattr(self, "strategy", None)
        if strategy is not None and self.organisation_id == strategy.organisation_id:
            raise ValidationError(
                {"organisation": "The lead organisation leads it already: name another."}
            )


# Addresses the app uses itself: /edit/new/, /edit/import/, /public/accessibility/.
RESERVED_SLUGS = {"new", "import", "accessibility"}
RESERVED_SLUG_REFUSAL = "This short name is one the app uses itself: choose another."


class StrategyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StrategyQuerySet":
        """Strategies of the user's organisations, as lead organisation or as partner. Drafts
        are half-built: only the lead organisation's Admins see them. Site administrators
        see everything; someone in no organisation sees nothing."""
        if is_site_administrator(user):
            return self
        member_of = organisations_where(user)
        partnered = Partner.objects.filter(organisation_id__in=member_of)
        return self.filter(
            (Q(organisation_id__in=member_of) | Q(pk__in=partnered.values("strategy_id")))
            & ~Q(status=Strategy.Status.DRAFT)
            | Q(organisation_id__in=organisations_where(user, ADMIN))
        )

    def approvable_by(self, user) -> "StrategyQuerySet":
        """Strategies whose updates `user` may approve once named: those of an organisation
        they are an Approver of, as lead or partner (every one, for a site administrator)."""
        if is_site_administrator(user):
            return self
        approver_of = organisations_where(user, APPROVER)
        partnered = Partner.objects.filter(organisation_id__in=approver_of)
        return self.visible_to(user).filter(
            Q(organisation_id__in=approver_of) | Q(pk__in=partnered.values("strategy_id"))
        )

    def administered_by(self, user) -> "StrategyQuerySet":
        """Strategies `user` builds and runs: those whose lead organisation they are an
        Admin of (every one, for a site administrator)."""
        if is_site_administrator(user):
            return self
        return self.filter(organisation_id__in=organisations_where(user, ADMIN))


# Beside an illustrative strategy's title wherever it leaves the pages (a PDF, an e-mail).
MADE_UP = " (illustrative data, not from a published document)"


class Strategy(BuiltInOneStep, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="strategies"
    )
    title = models.CharField(max_length=300, validators=[visible_text])
    slug = models.SlugField(max_length=100, unique=True)
    period_start = models.DateField(validators=[plausible_date])
    period_end = models.DateField(validators=[plausible_date])
    # The dates are the app's reading (quarters, overdue, "period ended"); a document often
    # names only years ("2013 – 2016", "2023/24 to 2027/28"), which pages show beside them.
    period_text = models.CharField(
        "period (document wording)",
        max_length=100,
        blank=True,
        help_text='The document\'s own wording of its period, e.g. "2013 – 2016" or '
        '"2023/24 to 2027/28"; the dates are how the tracker reads it.',
    )
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
    partners = models.ManyToManyField(
        Organisation,
        through="Partner",
        blank=True,
        related_name="partner_in",
        help_text="Organisations delivering the strategy with the lead organisation: their "
        "people read it, and its items can name one of them as responsible.",
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
    def labelled_title(self) -> str:
        """The title as text leaving the pages gives it: the example says it is made up."""
        return self.title + (MADE_UP if self.illustrative else "")

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_administered_by(self, user) -> bool:
        """As administered_by, for one strategy (read from the memberships held in memory)."""
        if not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or self.organisation_id in organisations_where(user, ADMIN)

    def organisation_ids(self) -> set[int]:
        """The lead organisation and the partners: who an item can name as responsible."""
        return {self.organisation_id, *self.partners.values_list("id", flat=True)}

    def eligible_approvers(self):
        """Active people who can be named its approvers: Approvers of its lead organisation
        or a partner, and site administrators."""
        from django.contrib.auth import get_user_model

        approvers = Membership.objects.filter(
            role=APPROVER, organisation_id__in=self.organisation_ids()
        )
        return get_user_model().objects.filter(
            Q(pk__in=approvers.values("user_id")) | Q(is_superuser=True), is_active=True
        )

    def may_approve(self, user) -> bool:
        """Named as its approver, and still eligible to be."""
        if not self.approvers.filter(pk=user.pk, is_active=True).exists():
            return False
        return Strategy.objects.approvable_by(user).filter(pk=self.pk).exists()

    @property
    def slug_is_reserved(self) -> bool:
        """Kept from before RESERVED_SLUGS were refused: its editor's address is the app's."""
        return self.slug in RESERVED_SLUGS

    def clean(self) -> None:
        super().clean()
        if self.slug_is_reserved and (
            self.pk is None or Strategy.objects.filter(pk=self.pk).exclude(slug=self.slug).exists()
        ):
            raise ValidationError({"slug": RESERVED_SLUG_REFUSAL})
        if self.pk is None:
            return
        self._keep_reported_quarters()
        if self.partners.filter(pk=self.organisation_id).exists():
            raise ValidationError(
                {"organisation": "This organisation is one of its partners; it cannot lead it too."}
            )
        was = Strategy.objects.filter(pk=self.pk).values_list("organisation_id", flat=True).first()
        if was is not None and was != self.organisation_id:
            partners = set(self.partners.values_list("id", flat=True))
            if was in self.organisations_named_by_items() and was not in partners:
                raise ValidationError(
                    {
                        "organisation": "Items of this strategy name its lead organisation as "
                        "responsible: make it a partner first, or change those items."
                    }
                )

    def _keep_reported_quarters(self) -> None:
        """Its period keeps every quarter it has a reporting period for (read through the
        reverse relation: reporting/ builds on this app)."""
        if not self.period_start or not self.period_end:
            return
        for period in self.reporting_periods.all():
            quarter = period.financial_quarter
            if quarter.end < self.period_start or quarter.start > self.period_end:
                field = "period_start" if quarter.end < self.period_start else "period_end"
                raise ValidationError(
                    {
                        field: f"{quarter.label} has a reporting period, so the strategy's "
                        "period must still include it."
                    }
                )

    def organisations_named_by_items(self) -> set[int]:
        """Organisations its items (archived ones too) name as responsible."""
        from django.apps import apps  # the item models live in the apps that build on this one

        of_this = {
            Priority: Q(strategy=self),
            Objective: Q(priority__strategy=self),
            apps.get_model("milestones", "Milestone"): Q(objective__priority__strategy=self),
            apps.get_model("measures", "Measure"): Q(priority__strategy=self)
            | Q(objective__priority__strategy=self),
        }
        named = set()
        for model, items in of_this.items():
            rows = model._base_manager.filter(items, responsible__isnull=False)
            named |= set(rows.values_list("responsible_id", flat=True))
        return named

    def responsible_organisations(self):
        """Organisations its items can name as responsible, for a form's choices."""
        return Organisation.objects.filter(pk__in=self.organisation_ids())

    CLOSED_REFUSAL = (
        "This strategy is closed: it is kept as it was when it closed, so nothing in it can "
        "be changed."
    )

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Priority(BuiltInOneStep, NamesResponsiblePartner, models.Model):
    """A strategy's top-level aim (EPUT: "strategic objective"; Thurrock: "priority")."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    # Thurrock's strategy has two parts (adults, children and young people), each numbered 1-4.
    # Parts 1-9: a priority's address is "3", or "part2-3" outside Part One.
    part = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    part_title = models.CharField(max_length=200, blank=True, validators=[visible_text])
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300, validators=[visible_text])
    description = models.TextField(blank=True)
    source_ref = models.CharField(
        max_length=300, blank=True, help_text="Where this is in the source document."
    )
    responsible = responsible_field()
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
                violation_error_message="This strategy has a priority with this part and "
                "number already.",
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

    @property
    def responsible_organisation_id(self) -> int:
        """Its responsible partner, or the strategy's lead organisation."""
        return self.responsible_id or self.strategy.organisation_id


class Objective(BuiltInOneStep, NamesResponsiblePartner, models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    title = models.TextField(validators=[visible_text])
    description = models.TextField(blank=True)
    we_will = models.TextField(blank=True, help_text='The "We will" commitments, one per line.')
    where_now = models.TextField(blank=True, help_text='"Where are we now?"')
    where_want = models.TextField(blank=True, help_text='"Where do we want to be?"')
    source_ref = models.CharField(max_length=300, blank=True)
    responsible = responsible_field()
    archived_at = archived_field()

    history = HistoricalRecords()

    everything = models.Manager()
    objects = LiveManager()

    strategy_path = "priority.strategy"

    class Meta:
        default_manager_name = "objects"  # archived objectives are left out
        ordering = ["priority_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "number"],
                condition=Q(archived_at__isnull=True),
                name="objective_number_unique_in_priority",
                violation_error_message="This priority has an objective with this number already.",
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

    @property
    def responsible_organisation_id(self) -> int:
        """Its responsible partner, or its priority's."""
        return self.responsible_id or self.priority.responsible_organisation_id
