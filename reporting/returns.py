"""A programme lead's quarterly return: every milestone they own or are a delegate on, in
strategies with an open reporting period, updated or confirmed in one submit.

Each milestone is saved on its own, under its own optimistic lock (Milestone.record_update):
one that someone else saved meanwhile is shown beside the lead's text, which is kept, and the
others are saved. A milestone left unchanged and unticked is left for later."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from milestones.models import Milestone, StaleMilestoneError
from milestones.status import CLOSED
from reporting.forms import ReturnRowForm
from reporting.models import Level, PeriodState, ReportingPeriod, SnapshotItem
from strategy_tracker.forms import normalise_line_breaks
from strategy_tracker.status import day

SAVED, CONFIRMED, LEFT = "saved", "confirmed", "left"
INVALID, CONFLICT, REFUSED = "invalid", "conflict", "refused"
PROBLEMS = (INVALID, CONFLICT, REFUSED)


@dataclass
class ReturnRow:
    milestone: Milestone
    period: ReportingPeriod
    last_quarter: SnapshotItem | None
    form: ReturnRowForm
    outcome: str = ""
    refusal: str = ""

    @property
    def has_problem(self) -> bool:
        return self.outcome in PROBLEMS

    @property
    def prefix(self) -> str:
        return f"m{self.milestone.pk}"

    @property
    def needs_update(self) -> bool:
        """Not yet updated or confirmed since this quarter's period opened."""
        updated = self.milestone.last_updated_at
        return updated is None or updated < period_start(self.period)


def period_start(period: ReportingPeriod) -> dt.datetime:
    """When returns for the period began to count: when it opened, or its first day."""
    if period.opened_at:
        return min(period.opened_at, _start_of(period.opens_on))
    return _start_of(period.opens_on)


def _start_of(day_: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day_, dt.time.min))


def open_periods(strategy_ids) -> dict[int, ReportingPeriod]:
    periods = ReportingPeriod.objects.filter(strategy_id__in=strategy_ids, state=PeriodState.OPEN)
    return {p.strategy_id: p for p in periods}


def return_rows(user, data=None) -> list[ReturnRow]:
    """The user's open milestones in strategies with an open period, grouped by strategy in
    document order, each with its form (bound to `data` if given) and last quarter's
    snapshot of it."""
    milestones = list(
        Milestone.objects.for_user(user)
        .visible_to(user)
        .exclude(status__in=CLOSED)
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
    posted = data or {}
    sent_late = {
        m.objective.priority.strategy_id
        for m in milestones
        if f"m{m.pk}-version" in posted and m.objective.priority.strategy_id not in periods
    }
    closed = _latest_periods(sent_late)
    rows = []
    for m in milestones:
        period = periods.get(m.objective.priority.strategy_id)
        if period is None and f"m{m.pk}-version" in posted:
            period = closed.get(m.objective.priority.strategy_id)
        if period is not None:
            form = ReturnRowForm(data, milestone=m, prefix=f"m{m.pk}")
            rows.append(ReturnRow(milestone=m, period=period, last_quarter=None, form=form))
    last = _last_quarter([row.milestone for row in rows], periods)
    for row in rows:
        row.last_quarter = last.get(row.milestone.pk)
    return rows


def _latest_periods(strategy_ids) -> dict[int, ReportingPeriod]:
    latest = {}
    periods = ReportingPeriod.objects.filter(strategy_id__in=strategy_ids)
    for period in periods.order_by("year", "quarter"):
        latest[period.strategy_id] = period
    return latest


def _last_quarter(milestones, periods) -> dict[int, SnapshotItem]:
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
        period_id__in=closed, level=Level.MILESTONE, object_id__in=[m.pk for m in milestones]
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
        if not row.form.is_valid():
            row.outcome = INVALID
            continue
        data = row.form.cleaned_data
        commentary = data["commentary"].strip()
        saved = row.milestone
        changed = (data["status"], commentary, data["forecast_date"]) != (
            saved.status,
            normalise_line_breaks(saved.commentary).strip(),
            saved.forecast_date,
        )
        if not changed and not data["confirm"]:
            row.outcome = LEFT
            continue
        period = still_open.get(row.period.strategy_id)
        if period is None or period.pk != row.period.pk:
            row.outcome, row.refusal = REFUSED, _closed_meanwhile(row.period)
            continue
        late = " (late)" if today > period.closes_on else ""
        try:
            saved.record_update(
                by=user,
                expected_version=data["version"],
                status=data["status"],
                commentary=commentary,
                forecast_date=data["forecast_date"],
                reason=f"Quarterly return {period.label}{late}",
            )
        except StaleMilestoneError:
            row.outcome = CONFLICT
            continue
        row.outcome = SAVED if changed else CONFIRMED
    return rows


def _closed_meanwhile(period: ReportingPeriod) -> str:
    period.refresh_from_db()
    when = f" on {day(timezone.localdate(period.closed_at))}" if period.closed_at else ""
    return (
        f"{period.label} closed{when}, after this page was opened, so this return was not "
        "saved. Your text is kept below: update the milestone on its own page."
    )
