"""The reporting cycle's rules: which quarter comes next, its window, and when a period may be
scheduled, opened and closed. Each step is in the period's history, with who did it."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from objectives.models import Strategy
from reporting import changes, snapshots, structure_changes
from reporting.models import PeriodState, ReportingPeriod
from reporting.quarters import Quarter
from strategy_tracker.dates import long_day
from strategy_tracker.people import display_name

MAX_GRACE_DAYS = 92  # a grace period longer than a quarter would overlap the next one's


class PeriodRefused(Exception):
    """A step the cycle does not allow; the message says why, in words for the Admin."""


def default_window(quarter: Quarter) -> tuple[dt.date, dt.date]:
    """Opens REPORTING_OPENS_DAYS_BEFORE_END days before the quarter ends (never before it
    starts) and closes REPORTING_GRACE_DAYS after."""
    opens = max(
        quarter.start, quarter.end - dt.timedelta(days=settings.REPORTING_OPENS_DAYS_BEFORE_END)
    )
    return opens, quarter.end + dt.timedelta(days=settings.REPORTING_GRACE_DAYS)


def window_chosen(
    quarter: Quarter, opens: dt.date, closes: dt.date, filled_for: str
) -> tuple[dt.date, dt.date]:
    """The dates to schedule `quarter` with: as typed, unless they are the usual dates the
    page filled in for another quarter (`filled_for`) and were left as they were: then the
    usual dates of the quarter chosen."""
    try:
        filled = Quarter.parse(filled_for)
    except ValueError:
        return opens, closes
    if filled != quarter and (opens, closes) == default_window(filled):
        return default_window(quarter)
    return opens, closes


def next_quarter(strategy: Strategy, today: dt.date) -> Quarter | None:
    """The quarter after the strategy's latest period; with none yet, the quarter of today,
    or of the strategy's start if it has not started. None past the last quarter there is."""
    latest = strategy.reporting_periods.order_by("-year", "-quarter").first()
    try:
        if latest:
            return latest.financial_quarter.next()
        return Quarter.containing(max(today, strategy.period_start))
    except ValueError:
        return None


def _check_reporting(strategy: Strategy) -> None:
    """Only a published strategy reports: a draft has nothing for a board yet, and a closed
    strategy is kept to be read."""
    if strategy.is_draft:
        raise PeriodRefused("This strategy is a draft: publish it before it reports.")
    if strategy.is_closed:
        raise PeriodRefused("This strategy is closed, so it reports no more.")


def check_window(quarter: Quarter, opens_on: dt.date, closes_on: dt.date) -> None:
    if not quarter.start <= opens_on <= quarter.end:
        raise PeriodRefused(
            f"{quarter} opens within the quarter, between {long_day(quarter.start)} and "
            f"{long_day(quarter.end)}."
        )
    if not quarter.end <= closes_on <= quarter.end + dt.timedelta(days=MAX_GRACE_DAYS):
        raise PeriodRefused(
            f"{quarter} closes on or after the quarter ends ({long_day(quarter.end)}) and within "
            f"{MAX_GRACE_DAYS} days of it."
        )


def schedule(
    strategy: Strategy, quarter: Quarter, opens_on: dt.date, closes_on: dt.date, by
) -> ReportingPeriod:
    """A new period, to be opened on `opens_on` (open_due_periods) or by an Admin before."""
    _check_reporting(strategy)
    check_window(quarter, opens_on, closes_on)
    if quarter.end < strategy.period_start or quarter.start > strategy.period_end:
        raise PeriodRefused(
            f"{quarter} is outside the strategy's period ({long_day(strategy.period_start)} to "
            f"{long_day(strategy.period_end)})."
        )
    with transaction.atomic():
        # Held until the new row commits, so two Admins cannot both add the "next" quarter.
        Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
        latest = strategy.reporting_periods.order_by("-year", "-quarter").first()
        if latest and latest.financial_quarter == quarter:
            raise PeriodRefused(_scheduled_already(latest))
        if latest and latest.financial_quarter.next() != quarter:
            raise PeriodRefused(
                f"Periods follow one another, with no quarter missed: this strategy's latest "
                f"is {latest.label}, so the next one is {latest.financial_quarter.next()}."
            )
        period = ReportingPeriod(
            strategy=strategy,
            year=quarter.year,
            quarter=quarter.number,
            opens_on=opens_on,
            closes_on=closes_on,
        )
        period._change_reason = f"Scheduled {quarter}"
        period._history_user = by
        period.save()
    return period


def _returns_counted_from(period: ReportingPeriod):
    """When an opening period's returns begin to count (ReportingPeriod.returns_from): never
    before the strategy's latest closed period closed."""
    before = (
        ReportingPeriod.objects.filter(strategy_id=period.strategy_id, state=PeriodState.CLOSED)
        .exclude(pk=period.pk)
        .order_by("-year", "-quarter")
        .first()
    )
    return period.counting_from(before and before.closed_at)


def _scheduled_already(period: ReportingPeriod) -> str:
    """Another Admin scheduled the quarter while this one had the page open: said so, rather
    than as a quarter chosen out of turn."""
    first = period.history.order_by("history_date", "history_id").first()
    by = f", by {display_name(first.history_user)}" if first and first.history_user else ""
    return (
        f"{period.label} is scheduled already{by}, to open on {long_day(period.opens_on)}: "
        "nothing was changed. Its dates can be changed below."
    )


class WindowChanged(PeriodRefused):
    """The period is no longer as the Admin's form showed it."""


def change_window(
    period: ReportingPeriod,
    opens_on: dt.date,
    closes_on: dt.date,
    by,
    seen: tuple[str, dt.date, dt.date] | None = None,
) -> bool:
    """Move a period's dates (a longer grace period, say); False if they were unchanged.
    A closed period's dates are part of its record and stay as they were. With `seen`, the
    state and dates the Admin's form showed: if someone has opened the period or changed its
    dates since, nothing is saved (WindowChanged), so their change is not undone unseen."""
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.state == PeriodState.CLOSED:
            raise PeriodRefused(f"{period.label} is closed; its dates are kept as they were.")
        if (period.opens_on, period.closes_on) == (opens_on, closes_on):
            return False  # already as asked, whatever happened meanwhile
        if seen is not None and seen != (period.state, period.opens_on, period.closes_on):
            raise WindowChanged(_changed_meanwhile(period, seen))
        check_window(period.financial_quarter, opens_on, closes_on)
        period.opens_on, period.closes_on = opens_on, closes_on
        if period.state == PeriodState.OPEN:  # its first day moved: returns count from it
            period.returns_counted_from = _returns_counted_from(period)
        period._change_reason = f"Dates of {period.label} changed"
        period._history_user = by
        period.save()
    return True


def _changed_meanwhile(period: ReportingPeriod, seen: tuple[str, dt.date, dt.date]) -> str:
    done = []
    if seen[0] != period.state:
        done.append(f"made {period.label} {period.get_state_display().lower()}")
    if seen[1:] != (period.opens_on, period.closes_on):
        done.append(f"changed the dates of {period.label}" if not done else "changed its dates")
    return (
        f"Since you opened this page, someone {' and '.join(done)}, so nothing was saved. "
        "What is saved now is beside yours below; your dates are still in the form: check "
        "them, then save again."
    )


def open_period(period: ReportingPeriod, by) -> ReportingPeriod:
    """Open a scheduled period now, ahead of its date if need be. One period of a strategy is
    open at a time, and they open in order."""
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.state == PeriodState.OPEN:
            raise PeriodRefused(f"{period.label} is already open.")
        _check_reporting(period.strategy)
        if period.state == PeriodState.CLOSED:
            raise PeriodRefused(
                f"{period.label} was closed on {long_day(timezone.localdate(period.closed_at))}; "
                "a closed quarter stays closed, so the board's record of it never changes."
            )
        others = ReportingPeriod.objects.filter(strategy_id=period.strategy_id).exclude(
            pk=period.pk
        )
        still_open = others.filter(state=PeriodState.OPEN).first()
        if still_open:
            raise PeriodRefused(
                f"{still_open.label} is still open: close it before opening {period.label}."
            )
        earlier = (
            others.filter(state=PeriodState.SCHEDULED).before(period.financial_quarter).first()
        )
        if earlier:
            raise PeriodRefused(f"{earlier.label} comes first: open it before {period.label}.")
        period.state = PeriodState.OPEN
        period.opened_at, period.opened_by = timezone.now(), by
        period.returns_counted_from = _returns_counted_from(period)
        period._change_reason = f"Opened {period.label}"
        period._history_user = by
        try:
            with transaction.atomic():
                period.save()
        except IntegrityError:  # another period of the strategy opened meanwhile
            raise PeriodRefused(
                f"Another period of this strategy was opened meanwhile; {period.label} is not."
            ) from None
    return period


def close_period(period: ReportingPeriod, by, today: dt.date | None = None) -> ReportingPeriod:
    """Close an open period once its quarter has ended, taking its "as at" snapshot in the
    same transaction. Closing is final."""
    today = today or timezone.localdate()
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.state == PeriodState.CLOSED:
            raise PeriodRefused(
                f"{period.label} was already closed on "
                f"{long_day(timezone.localdate(period.closed_at))}"
                + (f" by {display_name(period.closed_by)}" if period.closed_by else "")
                + "; nothing was changed."
            )
        if period.state != PeriodState.OPEN:
            raise PeriodRefused(f"{period.label} has not been opened yet, so it cannot close.")
        if today <= period.quarter_end:
            raise PeriodRefused(
                f"{period.label} ends on {long_day(period.quarter_end)}: a quarter closes only "
                "after it has ended."
            )
        period.state = PeriodState.CLOSED
        period.closed_at, period.closed_by = timezone.now(), by
        strategy = period.strategy
        period.as_closed = {
            "title": strategy.title,
            "organisation": strategy.organisation.name,
            "illustrative": strategy.illustrative,
            "closed_by": display_name(by) if by else "",
            "period": [
                strategy.period_start.isoformat(),
                strategy.period_end.isoformat(),
                strategy.period_text,
            ],
        }
        snapshots.take(period)
        structure_changes.keep(period)
        earlier = changes.previous_closed(period)
        period.change_counts = changes.compare(earlier, period).counts
        period._change_reason = f"Closed {period.label}"
        period._history_user = by
        period.save()
    return period


def open_due_periods(today: dt.date) -> list[ReportingPeriod]:
    """Open every scheduled period whose day has come, where the cycle allows it (the
    strategy's previous period is closed). Returns those opened; the rest wait."""
    opened = []
    due = ReportingPeriod.objects.filter(
        state=PeriodState.SCHEDULED,
        opens_on__lte=today,
        strategy__status=Strategy.Status.PUBLISHED,
    )
    for period in due.order_by("strategy_id", "year", "quarter"):
        try:
            opened.append(open_period(period, by=None))
        except PeriodRefused:
            continue
    return opened
