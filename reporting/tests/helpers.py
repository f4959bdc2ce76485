import datetime as dt

from django.utils import timezone

from reporting import cycle
from tests.factories import make_objective, make_priority, make_strategy


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
