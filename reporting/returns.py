"""A programme lead's quarterly return: every milestone they own or are a delegate on, in
strategies with an open reporting period, updated or confirmed in one submit.

Each milestone is saved on its own, under its own optimistic lock (Milestone.record_update):
one that someone else saved meanwhile is shown beside the lead's text, which is kept, and the
others are saved. A milestone left unchanged and unticked is left for later."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from milestones import sign_off
from milestones.forms import typed_update
from milestones.models import (
    Milestone,
    MilestoneDelegate,
    StaleMilestoneError,
    Submission,
    SubmissionState,
    WaitingUpdateChanged,
    form_words,
    update_words,
)
from milestones.status import CLOSED
from objectives.models import Membership, Organisation, Strategy
from reporting.forms import ReturnRowForm
from reporting.models import Level, PeriodState, ReportingPeriod, SnapshotItem
from strategy_tracker.dates import long_day
from strategy_tracker.people import as_id, display_name
from strategy_tracker.roles import OWNER_ROLES

SAVED, CONFIRMED, SUBMITTED, LEFT = "saved", "confirmed", "submitted", "left"
INVALID, CONFLICT, REFUSED = "invalid", "conflict", "refused"
PROBLEMS = (INVALID, CONFLICT, REFUSED)


@dataclass
class ReturnRow:
    milestone: Milestone
    period: ReportingPeriod
    last_quarter: SnapshotItem | None
    form: ReturnRowForm | None
    pending: Submission | None = None  # awaiting approval, or returned
    outcome: str = ""
    refusal: str = ""
    waiting_changed: bool = False  # the conflict: another update waits, not a new version

    @property
    def has_problem(self) -> bool:
        return self.outcome in PROBLEMS

    @property
    def first_error(self) -> tuple[str, str] | None:
        """The first field the lead must correct, by its id, with what is wrong."""
        for field in self.form:
            if field.errors:
                return field.id_for_label, field.errors[0]
        errors = self.form.non_field_errors()
        return (self.prefix, errors[0]) if errors else None

    @property
    def prefix(self) -> str:
        return f"m{self.milestone.pk}"

    @property
    def needs_update(self) -> bool:
        return still_owed(self.milestone, self.period, self.pending)


def still_owed(milestone: Milestone, period: ReportingPeriod, pending: Submission | None) -> bool:
    """Not yet updated, confirmed or submitted for approval since this quarter's period
    opened (a returned update still needs one): what a return shows as owed, and what the
    reminders chase."""
    start = period.returns_from
    if pending and pending.state == SubmissionState.SUBMITTED and pending.submitted_at >= start:
        return False
    updated = milestone.last_updated_at
    return updated is None or updated < start


def open_periods(strategy_ids) -> dict[int, ReportingPeriod]:
    """The open period of each strategy that takes returns: a closed strategy takes none, as it
    gets no reminders, even if its Admin closed it with a quarter open."""
    periods = ReportingPeriod.objects.filter(
        strategy_id__in=strategy_ids,
        state=PeriodState.OPEN,
        strategy__status=Strategy.Status.PUBLISHED,
    )
    return {p.strategy_id: p for p in periods}


def return_rows(user, data=None) -> list[ReturnRow]:
    """The user's open milestones in strategies with an open period, grouped by strategy in
    document order, each with its form (bound to `data` if given) and last quarter's
    snapshot of it."""
    posted = data or {}
    sent = _sent_ids(posted)
    # A milestone sent in the return stays in it even if it was closed meanwhile: its changed
    # version then shows as a conflict, never as a silent drop.
    milestones = list(
        Milestone.objects.for_user(user)
        .visible_to(user)
        # An owner whose organisation is no longer responsible has none. A strategy closed
        # since the page was read keeps its rows, to be refused in words with the lead's text.
        .updatable_by(user, closed_too=True)
        .exclude(Q(status__in=CLOSED) & ~Q(pk__in=sent))
        .with_hierarchy()
        .order_by(
            "objective__priority__strategy__title",
            "objective__priority__strategy_id",
            "objective__priority__part",
            "objective__priority__number",
            "objective__number",
            "position",
            "id",
        )
    )
    periods = open_periods({m.objective.priority.strategy_id for m in milestones})
    # A milestone sent in a return whose period has closed since is kept, to be refused with
    # the lead's text: its period is the one that closed.
    sent_late = {
        m.objective.priority.strategy_id
        for m in milestones
        if m.pk in sent and m.objective.priority.strategy_id not in periods
    }
    closed = _latest_periods(sent_late)
    rows = []
    for m in milestones:
        period = periods.get(m.objective.priority.strategy_id)
        if period is None and m.pk in sent:
            period = closed.get(m.objective.priority.strategy_id)
        if period is not None:
            rows.append(ReturnRow(milestone=m, period=period, last_quarter=None, form=None))
    ids = [row.milestone.pk for row in rows]
    last, pending = _last_quarter(ids, periods), sign_off.latest_submissions(ids)
    for row in rows:
        row.last_quarter, row.pending = last.get(row.milestone.pk), pending.get(row.milestone.pk)
        row.form = row_form(row.milestone, row.pending, data)
    return rows


def row_form(milestone: Milestone, pending: Submission | None, data=None) -> ReturnRowForm:
    """A row's form: bound to what was sent, or starting from the lead's returned or
    submitted words (sign_off.form_start), else from the milestone. Bound, it starts from
    what the page that sent it showed, so a row sent as it was shown is left however the
    milestone or its updates moved on since (submit)."""
    prefix = f"m{milestone.pk}"
    start = sign_off.form_start(milestone, pending)
    if data is not None and f"{prefix}-version" in data:
        start = _as_shown(milestone, start, data, prefix)
    return ReturnRowForm(data, milestone=milestone, prefix=prefix, initial=start)


def _as_shown(milestone: Milestone, now: dict, data, prefix: str) -> dict:
    """The row's starting values as the page that sent `data` showed them: the words of the
    update it started from, or the milestone at the version it read (from its history)."""
    version, words_from = as_id(data.get(f"{prefix}-version")), data.get(f"{prefix}-words_from")
    if version == milestone.version and str(now["words_from"] or "") == (words_from or ""):
        return now
    shown = {"version": version, "waiting": as_id(data.get(f"{prefix}-waiting"))}
    if (update_id := as_id(words_from)) is not None:
        update = Submission.objects.filter(pk=update_id, milestone=milestone).first()
    else:
        update = milestone.history.filter(version=version).order_by("-history_id").first()
    # Nothing to compare with (a version never saved): judged against the milestone now.
    return now if update is None else shown | sign_off.words_of(update) | {"words_from": update_id}


def _sent_ids(posted) -> set[int]:
    """The milestones a posted return names (`m<id>-version`)."""
    ids = set()
    for key in posted:
        if key.startswith("m") and key.endswith("-version"):
            if (pk := as_id(key[1 : -len("-version")])) is not None:
                ids.add(pk)
    return ids


@dataclass
class NotYours:
    """A milestone the return sent that is not the lead's to update any more: nothing is
    saved for it, and what they typed is shown back to them to copy."""

    title: str  # "" for one they may no longer see
    why: str
    typed: list[tuple[str, str]]  # (label, what they typed), only what they filled in


@dataclass
class ReturnsIn:
    """How far an open period's returns have come: of the strategy's open milestones, how
    many have this quarter's update (as `ReturnRow.needs_update` counts one)."""

    updated: int
    open: int

    @property
    def missing(self) -> int:
        return self.open - self.updated


def returns_in(period: ReportingPeriod) -> ReturnsIn:
    start = period.returns_from
    sent = Submission.objects.filter(state=SubmissionState.SUBMITTED, submitted_at__gte=start)
    counts = (
        Milestone.objects.filter(objective__priority__strategy_id=period.strategy_id)
        .exclude(status__in=CLOSED)
        .aggregate(
            open=Count("id"),
            updated=Count(
                "id",
                filter=Q(last_updated_at__gte=start) | Q(pk__in=sent.values("milestone_id")),
            ),
        )
    )
    return ReturnsIn(counts["updated"], counts["open"])


def no_longer_yours(rows: list[ReturnRow], posted, user) -> list[NotYours]:
    """The milestones the return sent that are not the lead's to update any more (given to
    someone else, a delegation removed, archived), each with why and what was typed."""
    ids = sorted(_sent_ids(posted) - {row.milestone.pk for row in rows})
    seen = (
        Milestone.everything.filter(
            pk__in=ids, objective__priority__strategy__in=Strategy.objects.visible_to(user)
        )
        .select_related("owner")
        .in_bulk()
    )
    delegated = set(
        MilestoneDelegate.objects.filter(milestone_id__in=ids, user=user).values_list(
            "milestone_id", flat=True
        )
    )
    return [_not_yours(seen.get(pk), pk in delegated, posted, f"m{pk}", user) for pk in ids]


def _not_yours(milestone, delegate: bool, posted, prefix: str, user) -> NotYours:
    typed = typed_update(posted, prefix)
    # An archived milestone is shown nowhere: named only to someone it was theirs to update
    # (its owner keeps it archived), never to a return naming any id it likes.
    if milestone is not None and milestone.archived_at and not milestone.can_be_updated_by(user):
        milestone = None
    if milestone is None:
        return NotYours("", "it is no longer in a strategy you can see", typed)
    if milestone.archived_at:
        why = "it was taken out of the strategy (archived) since you opened this page"
    elif milestone.owner_id != user.pk and not delegate:
        owner = f"{display_name(milestone.owner)}'s" if milestone.owner else "nobody's"
        why = f"it is {owner} to update now: you are no longer its owner or a delegate"
    else:
        why = _no_lead_role(milestone, user)
    return NotYours(milestone.title, why, typed)


def _no_lead_role(milestone: Milestone, user) -> str:
    """Why its owner or delegate may no longer update it: they hold no Programme lead or
    Admin role in the organisation responsible for it. Said as a role taken away only when
    they held one there (the organisation is still responsible, the role is what changed),
    else as where the responsibility is now."""
    responsible = Organisation.objects.get(pk=milestone.responsible_organisation_id)
    held = Membership.history.filter(
        user_id=user.pk, organisation_id=responsible.pk, role__in=OWNER_ROLES
    )
    if held.exists():
        return (
            f"you no longer hold a Programme lead or Admin role in {responsible.name}, "
            "which is responsible for it"
        )
    return (
        f"{responsible.name} is responsible for it now, and you hold no Programme lead or "
        "Admin role there"
    )


def _latest_periods(strategy_ids) -> dict[int, ReportingPeriod]:
    latest = {}
    periods = ReportingPeriod.objects.filter(strategy_id__in=strategy_ids)
    for period in periods.order_by("year", "quarter"):
        latest[period.strategy_id] = period
    return latest


def _last_quarter(milestone_ids, periods) -> dict[int, SnapshotItem]:
    """Each milestone as the board saw it at the close of its strategy's previous quarter."""
    previous = {}
    for strategy_id, period in periods.items():
        quarter = period.financial_quarter.previous()
        previous[strategy_id] = (quarter.year, quarter.number)
    closed = [
        p.pk
        for p in ReportingPeriod.objects.filter(
            strategy_id__in=periods, state=PeriodState.CLOSED
        ).only("id", "strategy_id", "year", "quarter")
        if previous[p.strategy_id] == (p.year, p.quarter)
    ]
    rows = SnapshotItem.objects.filter(
        period_id__in=closed, level=Level.MILESTONE, object_id__in=milestone_ids
    ).select_related("period")
    return {row.object_id: row for row in rows}


def submit(rows: list[ReturnRow], posted, user, today: dt.date) -> list[ReturnRow]:
    """Save each row the lead sent: an update, or a confirmation if ticked. Rows not in what
    was sent (given to the lead since the page was read) are left. Sets each row's outcome."""
    still_open = open_periods({row.period.strategy_id for row in rows})
    for row in rows:
        if f"{row.prefix}-version" not in posted:
            row.outcome = LEFT
            continue
        # Edited, or ticked, against what the page showed (the milestone, or the lead's own
        # submitted words): a row sent as it was shown is left, whatever it holds.
        if not set(row.form.changed_data) - {"version", "waiting", "words_from"}:
            row.outcome = LEFT
            continue
        if not row.form.is_valid():
            # A version that is not a number cannot be checked: treated as a conflict, the row
            # is shown again against the version saved now.
            row.outcome = CONFLICT if "version" in row.form.errors else INVALID
            continue
        data = row.form.cleaned_data
        commentary = data["commentary"].strip()
        saved = row.milestone
        changed = form_words(data["status"], commentary, data["forecast_date"]) != update_words(
            saved
        )
        # The period the page was showing: a return for a quarter that closed is refused, not
        # counted for the next one opened since.
        period = still_open.get(row.period.strategy_id)
        sent_for = posted.get(f"{row.prefix}-period", "")
        if period is None or str(period.pk) != sent_for:
            row.outcome, row.refusal = REFUSED, _closed_meanwhile(row.period, sent_for)
            continue
        late = " (late)" if today > period.closes_on else ""
        try:
            outcome = sign_off.update(
                saved,
                by=user,
                expected_version=data["version"],
                status=data["status"],
                commentary=commentary,
                forecast_date=data["forecast_date"],
                reason=f"Quarterly return {period.label}{late}",
                waiting=data["waiting"],
            )
        except StaleMilestoneError as stale:
            row.outcome, row.waiting_changed = CONFLICT, isinstance(stale, WaitingUpdateChanged)
            saved.refresh_from_db()
            sent = form_words(data["status"], commentary, data["forecast_date"])
            # The same return sent twice (Back and send again) is no conflict.
            if sign_off.sent_twice(saved, stale, user, data["version"], data["waiting"], sent):
                row.outcome = (
                    SUBMITTED if row.waiting_changed else _as_first_sent(saved, data, sent)
                )
                row.waiting_changed = False
            continue
        if outcome in (sign_off.SUBMITTED, sign_off.LEFT_WAITING):  # waiting for approval
            row.outcome = SUBMITTED
        else:
            row.outcome = SAVED if changed else CONFIRMED
    return rows


def _as_first_sent(milestone: Milestone, data: dict, sent: tuple) -> str:
    """A return sent twice is told as its first send was: an update if its words changed the
    milestone as the page showed it (its history at the page's version), else confirmed."""
    then = milestone.history.filter(version=data["version"]).first()
    return SAVED if then is None or update_words(then) != sent else CONFIRMED


def _closed_meanwhile(period: ReportingPeriod, sent_for: str) -> str:
    if (pk := as_id(sent_for)) is not None:
        sent = ReportingPeriod.objects.filter(pk=pk, strategy_id=period.strategy_id).first()
        period = sent or period
    period.refresh_from_db()
    if period.state == PeriodState.OPEN:  # open, but its strategy was closed
        return (
            f"{period.strategy.title} was closed after this page was opened, so it takes no "
            "more returns and this one was not saved. Your text is kept below."
        )
    when = f" on {long_day(timezone.localdate(period.closed_at))}" if period.closed_at else ""
    return (
        f"{period.label} closed{when}, after this page was opened, so this return was not "
        "saved. Your text is kept below: update the milestone on its own page."
    )
