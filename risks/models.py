"""Strategic risks: the Board Assurance Framework's risks to a strategy's priorities and
objectives, each scored likelihood × impact (risks/scoring.py), kept by Admins and risk
owners, with every change in the history."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from simple_history.models import HistoricalRecords

from objectives.models import Objective, Priority, Strategy
from risks.scoring import (
    APPETITE_CHOICES,
    APPETITE_LIMITS,
    IMPACT_CHOICES,
    LIKELIHOOD_CHOICES,
    Scored,
)
from strategy_tracker.numbering import shown
from strategy_tracker.plausible_dates import plausible_date
from strategy_tracker.visible_text import visible_text


class StaleRiskError(Exception):
    """The risk changed after the person saving it read it; nothing was written."""


def _score_field(choices, what: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(choices=choices, help_text=what)


def _in_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
        name=f"risk_{name}_1_to_5",
        violation_error_message="Scores run from 1 to 5.",
    )


SCORE_FIELDS = [
    f"{when}_{part}"
    for when in ("inherent", "current", "target")
    for part in ("likelihood", "impact")
]


class RiskQuerySet(models.QuerySet):
    def open(self) -> "RiskQuerySet":
        return self.filter(status=Risk.Status.OPEN)

    def visible_to(self, user) -> "RiskQuerySet":
        """Risks of strategies this user may see (Strategy.objects.visible_to)."""
        return self.filter(strategy__in=Strategy.objects.visible_to(user))

    def review_overdue(self, today: dt.date) -> "RiskQuerySet":
        return self.open().filter(review_date__lt=today)

    def counts(self, today: dt.date) -> dict[str, int]:
        """How many of these risks are open, how many of those are above appetite, and how
        many have their review overdue, judged by Risk's own rules. A strategy has tens of
        risks: counting their rows costs the dashboard less than compiling the same counts in
        SQL through with_scores(), whose CASE Django builds again on every request."""
        # With the strategy's id: a strategy's `risks` sets itself on each, reading the id.
        judged = ("status", "current_likelihood", "current_impact", "appetite", "review_date")
        risks = list(self.open().order_by().only("strategy", *judged))
        return {
            "open": len(risks),
            "above_appetite": sum(risk.above_appetite for risk in risks),
            "review_overdue": sum(risk.review_overdue(today) for risk in risks),
        }

    def with_scores(self) -> "RiskQuerySet":
        """Annotate `current_value`, `target_value` and `appetite_value`, the Scored
        properties' SQL twins, to sort and filter the register by."""
        limits = [When(appetite=key, then=Value(limit)) for key, limit in APPETITE_LIMITS.items()]
        return self.annotate(
            current_value=F("current_likelihood") * F("current_impact"),
            target_value=F("target_likelihood") * F("target_impact"),
            appetite_value=Case(*limits, output_field=IntegerField()),
        )


class Risk(Scored, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="risks")
    number = models.PositiveIntegerField(
        help_text="R1, R2…: its reference in the register.",
        validators=[MinValueValidator(1, "A risk's reference starts at R1: give 1 or more.")],
    )
    title = models.CharField(max_length=300, validators=[visible_text])
    cause = models.TextField(
        help_text="Because of… (what gives rise to the risk)", validators=[visible_text]
    )
    event = models.TextField(
        help_text="…there is a risk that… (what might happen)", validators=[visible_text]
    )
    effect = models.TextField(
        help_text="…resulting in… (what it would do to the objectives)",
        validators=[visible_text],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_risks",
    )
    priorities = models.ManyToManyField(Priority, blank=True, related_name="risks")
    objectives = models.ManyToManyField(Objective, blank=True, related_name="risks")
    inherent_likelihood = _score_field(LIKELIHOOD_CHOICES, "Before any controls.")
    inherent_impact = _score_field(IMPACT_CHOICES, "Before any controls.")
    current_likelihood = _score_field(LIKELIHOOD_CHOICES, "With the controls in place today.")
    current_impact = _score_field(IMPACT_CHOICES, "With the controls in place today.")
    target_likelihood = _score_field(LIKELIHOOD_CHOICES, "Once the actions are done.")
    target_impact = _score_field(IMPACT_CHOICES, "Once the actions are done.")
    appetite = models.CharField(
        max_length=10,
        choices=APPETITE_CHOICES,
        help_text="The most risk the board will accept here: a current score above it is "
        "reported as above appetite.",
    )
    controls = models.TextField(blank=True, help_text="What is in place to manage it.")
    gaps_in_control = models.TextField(blank=True, help_text="Where the controls fall short.")
    assurance_first_line = models.TextField(
        blank=True, help_text="First line: management's own checks (e.g. team reports)."
    )
    assurance_second_line = models.TextField(
        blank=True, help_text="Second line: oversight (e.g. committee reviews, audits by teams)."
    )
    assurance_third_line = models.TextField(
        blank=True, help_text="Third line: independent (e.g. internal audit, regulators)."
    )
    gaps_in_assurance = models.TextField(blank=True)
    review_date = models.DateField(
        help_text="When it is next due for review.", validators=[plausible_date]
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    # Bumped on every save; a form names the version it read (optimistic locking).
    version = models.PositiveIntegerField(default=1)

    # Its links are recorded in the change reason (risks/views.py): simple-history's own
    # many-to-many history writes a second record for every save.
    history = HistoricalRecords()
    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="one_risk_per_number"),
            *[_in_range(name) for name in SCORE_FIELDS],
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("target_likelihood") * F("target_impact"),
                    F("current_likelihood") * F("current_impact"),
                ),
                name="risk_target_not_above_current",
                violation_error_message="The target score cannot be above the current score.",
            ),
            models.CheckConstraint(
                condition=Q(appetite__in=[key for key, _ in APPETITE_CHOICES]),
                name="risk_appetite_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="risk_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args, **kwargs):
        # Any saved change (an admin's edit too) makes an open form out of date.
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:detail", args=[self.strategy.slug, self.number])

    @property
    def reference(self) -> str:
        return f"R{self.number}"

    @property
    def above_appetite(self) -> bool:
        """Open, and scored above its appetite: a closed risk is flagged no more."""
        return self.status == self.Status.OPEN and Scored.above_appetite.fget(self)

    def review_overdue(self, today: dt.date) -> bool:
        """Open and past its review date: flagged as a milestone needing an update is."""
        return self.status == self.Status.OPEN and self.review_date < today

    def refused_review_date(self, review: dt.date | None, today: dt.date) -> str:
        """Why `review` may not be set, or "": a newly chosen review date is today or later
        (an overdue one already saved may stay while other things are edited). The app's
        form and the admin's both ask."""
        if review and review < today and review != self.review_date:
            return f"Choose a review date from today ({today:%-d %B %Y}) on: this one has passed."
        return ""

    def links_text(self) -> str:
        """What the risk threatens, as its history records a change of it ("Linked to: …")."""
        named = [f"priority {shown(p.key)}" for p in self.priorities.all()] + [
            f"objective {shown(o.priority.key)}.{o.number}"
            for o in self.objectives.select_related("priority")
        ]
        return ", ".join(sorted(named)) or "none"

    def can_be_changed_by(self, user) -> bool:
        """Admins of the strategy's lead organisation, and the risk's owner while they may
        see the strategy; nobody once the strategy is closed. Checked on the server for every
        write."""
        if self.strategy.is_closed:
            return False
        if self.strategy.is_administered_by(user):
            return True
        return (
            user.is_authenticated
            and self.owner_id == user.id
            and Strategy.objects.visible_to(user).filter(pk=self.strategy_id).exists()
        )

    @transaction.atomic
    def lock(self, expected_version: int) -> None:
        """Lock the row until the transaction ends; StaleRiskError if anyone saved it since
        `expected_version` was read."""
        # Unordered: the default ordering's join would lock the strategy's row too.
        fresh = (
            Risk.objects.select_for_update().filter(pk=self.pk).order_by().values("version").first()
        )
        if fresh is None or fresh["version"] != expected_version:
            raise StaleRiskError(self.pk)


def next_number(strategy: Strategy) -> int:
    """The next free reference number in a strategy's register (call while the strategy row
    is locked, so two new risks cannot take the same one)."""
    last = Risk.objects.filter(strategy=strategy).aggregate(models.Max("number"))["number__max"]
    return (last or 0) + 1


def threatened(risk_ids) -> dict[int, str]:
    """What each risk threatens in words ("priority 2, objective 1.3"), by risk id: its
    priorities, then its objectives, in order, archived ones left out as the pages leave them.
    Read as plain rows in two queries for any number of risks: prefetching both relations
    cost a third of the register page."""
    named = defaultdict(list)
    priorities = Risk.priorities.through.objects.filter(
        risk_id__in=risk_ids, priority__archived_at__isnull=True
    ).order_by("priority__part", "priority__number")
    for risk_id, part, number in priorities.values_list(
        "risk_id", "priority__part", "priority__number"
    ):
        named[risk_id].append(f"priority {Priority(part=part, number=number).key}")
    objectives = Risk.objectives.through.objects.filter(
        risk_id__in=risk_ids, objective__archived_at__isnull=True
    ).order_by("objective__priority__part", "objective__priority__number", "objective__number")
    for risk_id, part, priority_number, number in objectives.values_list(
        "risk_id", "objective__priority__part", "objective__priority__number", "objective__number"
    ):
        key = Priority(part=part, number=priority_number).key
        named[risk_id].append(f"objective {key}.{number}")
    return {risk_id: ", ".join(named[risk_id]) for risk_id in risk_ids}


def refused_owner(owner, strategy: Strategy, current_id: int | None) -> str:
    """Why `owner` may not be given a risk or an action of `strategy`, or "" if they may:
    someone risk_owners lists, or whoever holds it now (they keep it until it is given away)."""
    if owner is None or owner.pk == current_id:
        return ""
    if risk_owners(strategy).filter(pk=owner.pk).exists():
        return ""
    name = owner.get_full_name() or owner.username
    if not owner.is_active:
        return f"{name} can no longer sign in: choose someone who can."
    return (
        f"{name} has no role in {strategy.organisation} or a partner of this strategy: choose "
        "someone who has."
    )


def risk_owners(strategy: Strategy):
    """Who can own a risk: active people with a role in the strategy's lead organisation or
    one of its partners, and site administrators."""
    from django.contrib.auth import get_user_model

    from objectives.models import Membership

    members = Membership.objects.filter(organisation_id__in=strategy.organisation_ids())
    return (
        get_user_model()
        .objects.filter(Q(pk__in=members.values("user_id")) | Q(is_superuser=True))
        .filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class RiskAction(models.Model):
    """What is being done to bring the risk down to its target, by whom and when."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(validators=[visible_text])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    done = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "done", "due_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    def save(self, *args, **kwargs):
        # A change to an action makes an open form of its risk out of date (the Django admin's
        # inline saves actions without saving the risk).
        super().save(*args, **kwargs)
        Risk.objects.filter(pk=self.risk_id).update(version=F("version") + 1)

    def overdue(self, today: dt.date) -> bool:
        return not self.done and self.due_date is not None and self.due_date < today
