"""Milestones: the dated (or undated) deliverables of an objective, updated by their owners."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import CharField, Expression, F, IntegerField, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from milestones import status as status_rules
from milestones.due_dates import outside_period, outside_period_notes
from milestones.status import CLOSED, FINDING_RAG, milestone_status
from objectives.models import (
    LiveManager,
    Membership,
    NamesResponsiblePartner,
    Objective,
    Strategy,
    archived_field,
    responsible_field,
)
from strategy_tracker.addresses import address
from strategy_tracker.forms import normalise_line_breaks
from strategy_tracker.plausible_dates import plausible_date
from strategy_tracker.roles import (
    ADMIN,
    OWNER_ROLES,
    is_site_administrator,
    organisations_where,
)
from strategy_tracker.rows import BuiltInOneStep
from strategy_tracker.status import DISPLAY_ORDER
from strategy_tracker.visible_text import visible_text

# A reported status that needs a line of commentary to explain it.
STATUSES_NEEDING_COMMENTARY = {"at_risk", "off_track", "cancelled"}


def update_words(update) -> tuple:
    """What an update (a milestone, a submission, a history row) says, as two sends of it
    are compared: its commentary's line breaks and outer spaces aside."""
    return (update.status, normalise_line_breaks(update.commentary).strip(), update.forecast_date)


def form_words(status: str, commentary: str, forecast_date) -> tuple:
    """The same, of what a form posted."""
    return (status, normalise_line_breaks(commentary).strip(), forecast_date)


def holders(organisation_ids=None):
    """People who can hold (own, or be a delegate on) a milestone: active programme leads
    and Admins of the organisation responsible for it (of any of `organisation_ids`; of any
    organisation, if not given), and site administrators."""
    from django.contrib.auth import get_user_model

    members = Membership.objects.filter(role__in=OWNER_ROLES)
    if organisation_ids is not None:
        members = members.filter(organisation_id__in=organisation_ids)
    return (
        get_user_model()
        .objects.filter(Q(pk__in=members.values("user_id")) | Q(is_superuser=True))
        .filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def read_people(milestones: list["Milestone"]) -> None:
    """Each milestone's owner and last updater, read in one query for all (prefetching the
    two is a query each)."""
    from django.contrib.auth import get_user_model

    ids = {m.owner_id for m in milestones} | {m.last_updated_by_id for m in milestones}
    people = get_user_model().objects.in_bulk(ids - {None})
    for milestone in milestones:
        milestone.owner = people.get(milestone.owner_id)
        milestone.last_updated_by = people.get(milestone.last_updated_by_id)


class StaleMilestoneError(Exception):
    """The milestone changed after the person updating it read it; nothing was written."""


class WaitingUpdateChanged(StaleMilestoneError):
    """Another update was sent for approval (or the one shown was dealt with) after the person
    updating the milestone read it; nothing was written."""


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

    def nothing_reported(self) -> "MilestoneQuerySet":
        """Those nobody has reported on (milestones/status.nothing_reported, in SQL)."""
        return self.filter(status=MilestoneStatus.NOT_STARTED, last_updated_at__isnull=True)

    def due_date_notes(self, strategy: Strategy) -> list[str]:
        """A line for each of the strategy's milestones due outside its period, in the
        document's order (milestones/due_dates.py: said, not refused)."""
        milestones = (
            self.for_strategy(strategy)
            .filter(due_date__isnull=False)
            .select_related("objective__priority")
            .order_by(
                "objective__priority__part",
                "objective__priority__number",
                "objective__number",
                "position",
                "id",
            )
        )
        return outside_period_notes(milestones, strategy.period_start, strategy.period_end)

    def visible_to(self, user) -> "MilestoneQuerySet":
        """Milestones of strategies this user may see (Strategy.objects.visible_to)."""
        return self.filter(objective__priority__strategy__in=Strategy.objects.visible_to(user))

    def for_user(self, user, assigned_after: dt.datetime | None = None) -> "MilestoneQuerySet":
        """Milestones the user owns or is a named delegate on (given to them after
        `assigned_after`, if given). The ids come from a UNION, so each side reads its own
        index: joined, every row needed a DISTINCT; as an OR, every milestone was read."""
        owned = Milestone.objects.filter(owner=user)
        delegated = MilestoneDelegate.objects.filter(user=user)
        if assigned_after is not None:
            owned = owned.filter(owner_assigned_at__gt=assigned_after)
            delegated = delegated.filter(assigned_at__gt=assigned_after)
        ids = owned.order_by().values("id").union(delegated.order_by().values("milestone_id"))
        return self.filter(id__in=ids)

    def with_responsible(self) -> "MilestoneQuerySet":
        """Annotate `responsible_organisation`: the SQL twin of the property of that name."""
        return self.annotate(
            responsible_organisation=Coalesce(
                "responsible",
                "objective__responsible",
                "objective__priority__responsible",
                "objective__priority__strategy__organisation",
            )
        )

    def owners_changed(self, owners_shown: dict[int, int | None]) -> list["Milestone"]:
        """Lock these milestones until the transaction ends and return those whose owner is
        no longer the one shown (`owners_shown`, milestone id to owner id): giving them a new
        owner now would undo someone's change unseen."""
        # By id alone: a lock taken through this queryset's joins would lock those rows too.
        ids = list(self.values_list("pk", flat=True))
        rows = self.model.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        now = dict(rows.values_list("pk", "owner_id"))
        changed = [pk for pk, owner_id in now.items() if owners_shown.get(pk) != owner_id]
        return list(self.model.objects.filter(pk__in=changed).select_related("owner"))

    def managed_by(self, user) -> "MilestoneQuerySet":
        """Milestones whose owners and delegates `user` sets: those of strategies they
        administer, and those their organisation is responsible for as an Admin of it."""
        live = self.exclude(objective__priority__strategy__status=Strategy.Status.CLOSED)
        if is_site_administrator(user):
            return live
        admin_of = organisations_where(user, ADMIN)
        return (
            live.visible_to(user)  # a partner's Admin never reaches the lead's drafts
            .with_responsible()
            .filter(
                Q(objective__priority__strategy__organisation__in=admin_of)
                | Q(responsible_organisation__in=admin_of)
            )
        )

    def updatable_by(self, user, *, closed_too: bool = False) -> "MilestoneQuerySet":
        """Of these, those `user` may update as their owner or delegate (for_user gives
        those), or as an Admin who manages them: can_be_updated_by's rule, in SQL. With
        `closed_too`, those of closed strategies as well, as they were theirs until then."""
        live = self
        if not closed_too:
            live = self.exclude(objective__priority__strategy__status=Strategy.Status.CLOSED)
        if is_site_administrator(user):
            return live
        holds = organisations_where(user, *OWNER_ROLES)  # Admins included
        return live.with_responsible().filter(
            Q(responsible_organisation__in=holds)
            | Q(objective__priority__strategy__organisation__in=organisations_where(user, ADMIN))
        )

    def with_hierarchy(self) -> "MilestoneQuerySet":
        return self.select_related("objective__priority__strategy", "owner", "last_updated_by")

    def with_rag(self, today: dt.date) -> "MilestoneQuerySet":
        """Annotate `rag_finding`, what milestones.status.milestone_status finds, in SQL; its
        colour, `rag_value`; and `rag_rank`, the colour's severity (0 = red), for sorting
        worst first.

        For filtering and counting in the database; a test holds the two to the same rules.
        Each is a flat CASE over the same conditions: one annotation built on another would
        repeat the other's whole CASE inside each of its own branches.
        """
        return self.with_rag_finding(today).annotate(
            rag_value=RagCase(today, {f: rag.value for f, rag in FINDING_RAG.items()}),
            rag_rank=_rag_rank(today),
        )

    def with_rag_finding(self, today: dt.date) -> "MilestoneQuerySet":
        """Annotate only `rag_finding` (see with_rag): all a count by finding needs."""
        return self.annotate(rag_finding=RagCase(today, {f: f for f in FINDING_RAG}))

    def with_rag_rank(self, today: dt.date) -> "MilestoneQuerySet":
        """Annotate only `rag_rank` (see with_rag): all a list needs to sort and filter by
        colour."""
        return self.annotate(rag_rank=_rag_rank(today))


def _rag_rank(today: dt.date) -> "RagCase":
    """The colour's severity as DISPLAY_ORDER ranks it: 0 for red, worst first."""
    ranks = {f: DISPLAY_ORDER.index(rag) for f, rag in FINDING_RAG.items()}
    return RagCase(today, ranks, IntegerField())


class RagCase(Expression):
    """milestones.status.milestone_status's rule as one SQL CASE, first match wins (a
    milestone that matches none is on track), giving `values[finding]` for what it finds.

    Written from the four columns the rule reads: the same CASE built from Q objects was 24
    expressions that Django resolved and compiled again for every query, 1.1 ms of a priority
    page's milestone table (docs/performance.md, eighteenth session)."""

    def __init__(self, today: dt.date, values: dict[str, object], output_field=None):
        super().__init__(output_field=output_field or CharField())
        self.today, self.values = today, values
        self.columns = [F("status"), F("due_date"), F("last_updated_at"), F("forecast_date")]

    def get_source_expressions(self) -> list:
        return self.columns

    def set_source_expressions(self, expressions) -> None:
        self.columns = list(expressions)

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        status, due, updated, forecast = (compiler.compile(c)[0] for c in self.columns)
        day = connection.ops.adapt_datefield_value
        due_soon = self.today + dt.timedelta(days=status_rules.DUE_SOON_DAYS)
        rules = [
            (f"{status} = %s", [MilestoneStatus.COMPLETE.value], status_rules.COMPLETE),
            (f"{status} = %s", [MilestoneStatus.CANCELLED.value], status_rules.CANCELLED),
            (f"{due} IS NULL AND {updated} IS NULL", [], status_rules.UNDATED),
            (f"{due} < %s", [day(self.today)], status_rules.OVERDUE),
            (f"{status} = %s", [MilestoneStatus.OFF_TRACK.value], status_rules.OFF_TRACK),
            (f"{status} = %s", [MilestoneStatus.AT_RISK.value], status_rules.AT_RISK),
            (f"{forecast} > {due}", [], status_rules.LATE),
            (
                f"{status} = %s AND {due} <= %s AND {updated} IS NULL",
                [MilestoneStatus.NOT_STARTED.value, day(due_soon)],
                status_rules.DUE_SOON_UNREPORTED,
            ),
            (
                f"{status} = %s AND {due} <= %s",
                [MilestoneStatus.NOT_STARTED.value, day(due_soon)],
                status_rules.DUE_SOON,
            ),
            (
                f"{status} = %s AND {updated} IS NULL",
                [MilestoneStatus.NOT_STARTED.value],
                status_rules.UNREPORTED,
            ),
        ]
        whens, params = [], []
        for condition, condition_params, finding in rules:
            whens.append(f"WHEN {condition} THEN %s")
            params += [*condition_params, self.values[finding]]
        params.append(self.values[status_rules.ON_TRACK])
        return f"CASE {' '.join(whens)} ELSE %s END", params


class Milestone(BuiltInOneStep, NamesResponsiblePartner, models.Model):
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
    title = models.TextField(validators=[visible_text])
    due_date = models.DateField(null=True, blank=True, validators=[plausible_date])
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
    owner_assigned_at = models.DateTimeField(null=True, blank=True)
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="MilestoneDelegate",
        related_name="delegated_milestones",
        blank=True,
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    forecast_date = models.DateField(null=True, blank=True, validators=[plausible_date])
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
    responsible = responsible_field()
    archived_at = archived_field()

    history = HistoricalRecords()

    everything = models.Manager()
    objects = LiveManager.from_queryset(MilestoneQuerySet)()

    strategy_path = "objective.priority.strategy"

    class Meta:
        default_manager_name = "objects"  # archived milestones are left out
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

    def save(self, *args, **kwargs):
        # Any saved change (an admin's edit too) makes an open update form out of date.
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        objective = self.objective
        priority = objective.priority
        return address(
            "milestones:detail", priority.strategy.slug, priority.key, objective.number, self.pk
        )

    @property
    def responsible_organisation_id(self) -> int:
        """Its responsible partner, or its objective's (in the end the lead organisation)."""
        return self.responsible_id or self.objective.responsible_organisation_id

    def holders(self):
        """Who can be given this milestone (see holders())."""
        return holders([self.responsible_organisation_id])

    def can_be_updated_by(self, user) -> bool:
        """Its owner or a named delegate, while they are a programme lead or Admin of the
        organisation responsible for it; or whoever manages it (is_managed_by). Checked on
        the server for every write; updatable_by is its SQL twin. Nobody, once its strategy
        is closed (is_managed_by)."""
        if self.in_closed_strategy:
            return False
        if self.is_managed_by(user):
            return True
        if self.responsible_organisation_id not in organisations_where(user, *OWNER_ROLES):
            return False
        if self.owner_id == user.id:
            return True
        return self.delegates.filter(pk=user.pk).exists()

    @property
    def nothing_reported(self) -> bool:
        return status_rules.nothing_reported(self.status, self.last_updated_at)

    @property
    def reported_status(self) -> str:
        """What its owner reported, in words: "Nothing reported yet" if nobody has."""
        return "Nothing reported yet" if self.nothing_reported else self.get_status_display()

    @property
    def due_date_note(self) -> str:
        """Says if its due date falls outside its strategy's period (milestones/due_dates.py:
        said, not refused), else ""."""
        strategy = self.strategy_or_none()
        if strategy is None:
            return ""
        return outside_period(self.due_date, strategy.period_start, strategy.period_end)

    def lock(self) -> None:
        """Lock the row until the current transaction ends, and read it afresh."""
        Milestone.objects.select_for_update().filter(pk=self.pk).exists()
        self.refresh_from_db()

    def who_may_update(self) -> str:
        """Says, for someone who may not, who may update it."""
        if self.in_closed_strategy:
            return "This strategy is closed: its milestones are kept as they were when it closed."
        if self.owner is None:
            return (
                "This milestone has no owner yet: only its delegates or an Admin of its "
                "organisation can update it."
            )
        name = self.owner.get_full_name() or self.owner.username
        if not self.can_be_updated_by(self.owner):
            # Switched off, or no longer in an organisation that may hold it: said, not implied.
            return (
                f"Its owner, {name}, can no longer update it. Its delegates or an Admin of its "
                "organisation can, and an Admin can give it to someone else."
            )
        return (
            f"Only {name} (owner), their delegates or an Admin of its organisation can update "
            "this milestone."
        )

    def needs_update(self, now: dt.datetime) -> bool:
        """Open, and not updated within the reminder interval (or never); never one of a
        closed strategy, which takes no update."""
        if self.status in CLOSED or self.in_closed_strategy:
            return False
        interval = dt.timedelta(days=settings.MILESTONE_UPDATE_INTERVAL_DAYS)
        return self.last_updated_at is None or self.last_updated_at < now - interval

    def record_update(
        self,
        *,
        by,
        expected_version: int,
        status: str,
        commentary: str,
        forecast_date: dt.date | None,
        reason: str = "",
        reported_at: dt.datetime | None = None,
    ) -> None:
        """Write a lead's update, or raise StaleMilestoneError if anyone saved it since
        `expected_version` was read. The version is checked in the UPDATE itself, so two
        updates cannot both pass; the history row, with `reason` if given, is written in the
        same transaction. `reported_at`: when the lead sent it, if not now (an approved
        update counts for the quarter it was sent in).
        """
        with transaction.atomic():
            written = Milestone.objects.filter(pk=self.pk, version=expected_version).update(
                status=status,
                commentary=commentary,
                forecast_date=forecast_date,
                last_updated_at=reported_at or timezone.now(),
                last_updated_by=by,
                version=F("version") + 1,
            )
            if not written:
                raise StaleMilestoneError(self.pk)
            self.refresh_from_db()
            # A queryset update sends no signals, so the history row is written here.
            Milestone.history.bulk_history_create(
                [self], update=True, default_user=by, default_change_reason=reason
            )

    def saved_already_as(self, by, expected_version: int, sent: tuple) -> bool:
        """Whether the one save since `expected_version` was `by`'s own update (or
        confirmation) of these very words: the same update sent twice (a second click, Back and
        send again), not someone else's change. An Admin's edit also moves the version, and
        leaves the last update as it was: only a history row that recorded a new update by
        `by` counts. `sent`: form_words() of what was sent. Call on the milestone as it is now."""
        if self.version != expected_version + 1 or self.last_updated_by_id != by.pk:
            return False
        if update_words(self) != sent:
            return False
        rows = {
            row.version: row
            for row in self.history.filter(version__in=(expected_version, expected_version + 1))
        }
        saved, before = rows.get(expected_version + 1), rows.get(expected_version)
        return (
            saved is not None
            and saved.history_user_id == by.pk
            and saved.last_updated_at == self.last_updated_at
            and (before is None or before.last_updated_at != saved.last_updated_at)
        )

    def assign(
        self, *, by, owner=None, remove_owner=False, add_delegates=(), remove_delegates=()
    ) -> bool:
        """Change the owner (None leaves it; `remove_owner` clears it) and delegates, recorded
        in the history with who did it.

        Writes only the owner columns, so a lead's update saved meanwhile is kept. Returns
        whether anything changed; an assignment that changes nothing writes nothing.
        """
        with transaction.atomic():
            self.lock()  # one assignment at a time, each from the state the last one left
            before = sorted(u.get_full_name() or u.username for u in self.delegates.all())
            now = timezone.now()
            if remove_owner:
                owner_changed = self.owner_id is not None
                new_owner, assigned_at = None, None
            else:
                owner_changed = owner is not None and owner.pk != self.owner_id
                new_owner, assigned_at = owner, now
            if owner_changed:
                Milestone.objects.filter(pk=self.pk).update(
                    owner=new_owner, owner_assigned_at=assigned_at, version=F("version") + 1
                )
            owner_id = None if remove_owner else (owner.pk if owner_changed else self.owner_id)
            # The owner updates it already: never a delegate of their own milestone (a
            # delegate made its owner stops being one; the history says so).
            for user in (u for u in add_delegates if u.pk != owner_id):
                MilestoneDelegate.objects.get_or_create(
                    milestone=self, user=user, defaults={"assigned_at": now}
                )
            MilestoneDelegate.objects.filter(milestone=self, user__in=remove_delegates).delete()
            MilestoneDelegate.objects.filter(milestone=self, user_id=owner_id).delete()
            after = sorted(u.get_full_name() or u.username for u in self.delegates.all())
            if not owner_changed and after == before:
                return False
            self.refresh_from_db()
            reason = ""
            if after != before:
                reason = f"Delegates: {', '.join(before) or 'none'} → {', '.join(after) or 'none'}"
            Milestone.history.bulk_history_create(
                [self], update=True, default_user=by, default_change_reason=reason
            )
            return True

    def rag(self, today: dt.date, at_close: bool = False) -> Status:
        return milestone_status(
            status=self.status,
            due_date=self.due_date,
            forecast_date=self.forecast_date,
            last_updated_at=self.last_updated_at,
            today=today,
            at_close=at_close,
            due_text=self.due_text,
        )


class MilestoneDelegate(models.Model):
    """Someone the owner or an Admin named to update a milestone on the owner's behalf."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "user"], name="delegate_once_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on milestone {self.milestone_id}"


class MilestoneListVisit(models.Model):
    """When a lead last opened "My milestones", to show what was assigned since."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} saw their milestones at {self.seen_at}"


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"
    WITHDRAWN = "withdrawn", "Replaced by a later update"


class Submission(models.Model):
    """A lead's update of a milestone whose strategy requires sign-off: the board sees it
    only once an approver approves it (milestones/sign_off.py). Until then the milestone keeps
    what it had; `base_version` is the milestone as the lead read it."""

    State = SubmissionState

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="submissions")
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices)
    commentary = models.TextField(blank=True)
    forecast_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    base_version = models.PositiveIntegerField()
    reason = models.CharField(max_length=200, blank=True, help_text="Which return, if any.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=10, choices=SubmissionState.choices, default=SubmissionState.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(state="submitted"),
                name="one_submission_awaiting_per_milestone",
            ),
        ]

    def __str__(self) -> str:
        return f"Update of milestone {self.milestone_id} by {self.submitted_by}: {self.state}"
