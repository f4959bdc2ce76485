import datetime as dt

from django.utils import timezone

from reporting import cycle
from reporting.quarters import Quarter
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_strategy,
    make_value,
)


def strategy_reporting(slug: str, open_quarter=None):
    """A published strategy around today, with `open_quarter`'s period open if given: its
    period (or None) and its one objective."""
    today = timezone.localdate()
    strategy = make_strategy(
        slug=slug,
        title=f"Strategy {slug}",
        period_start=today - dt.timedelta(days=800),
        period_end=today + dt.timedelta(days=800),
    )
    period = None
    if open_quarter:
        window = cycle.default_window(open_quarter)
        period = cycle.open_period(cycle.schedule(strategy, open_quarter, *window, by=None), None)
    return period, make_objective(make_priority(strategy, number=1), number=1)


def signed_off_objective(approver, slug: str = "s"):
    """Strategy `slug` reporting this quarter, with sign-off on and `approver` its only named
    approver: its one objective."""
    period, objective = strategy_reporting(slug, Quarter.containing(timezone.localdate()))
    strategy = period.strategy
    strategy.requires_approval = True
    strategy.save()
    strategy.approvers.add(approver)
    return objective


def q2_strategy(programme_lead):
    """Strategy "s": one objective with three milestones and a measure with figures around
    2024/25 Q2, one of them after the quarter."""
    strategy = make_strategy(slug="s", period_start=dt.date(2023, 4, 1))
    objective = make_objective(
        make_priority(strategy, number=1, title="Care closer to home"), number=1
    )
    make_milestone(
        objective,
        title="Open the hub",
        owner=programme_lead,
        due_date=dt.date(2024, 9, 1),  # overdue at the quarter's end
        status="on_track",
        commentary="Builders delayed by a month.",
        forecast_date=dt.date(2024, 11, 1),
        last_updated_at=timezone.now(),
    )
    make_milestone(
        objective, title="Hire the team", due_date=dt.date(2024, 12, 1), status="not_started"
    )
    make_milestone(
        objective, title="Agree the plan", due_date=dt.date(2024, 6, 1), status="complete"
    )
    measure = make_measure(
        objective, code="WAIT", name="Waits", unit="count", direction="lower", target_value=10
    )
    for month_end, value in [
        (dt.date(2024, 7, 31), 14),
        (dt.date(2024, 8, 31), 13),
        (dt.date(2024, 9, 30), 12),
        (dt.date(2024, 10, 31), 5),  # after the quarter: not in its report
    ]:
        make_value(measure, month_end, value)
    return strategy


def close_quarter(strategy, quarter, by=None):
    """Schedule, open and close `quarter` of `strategy`: its closed period."""
    period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=by)
    cycle.open_period(period, by=by)
    return cycle.close_period(period, by=by, today=quarter.end + dt.timedelta(days=1))


def return_as_shown(page) -> dict:
    """The quarterly return as its page shows it, every row untouched, as a browser posts it."""
    data = {}
    for row in page.context["rows"]:
        for bound in row.form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
        data[f"{row.prefix}-period"] = row.period.pk
    return data
