"""Closing a quarter for one strategy: the period's "as at" snapshot of every item, written in
the close's transaction. Three consecutive quarters, each scheduled, opened and timed as it
closes; the last one's board report is then timed among the pages."""

import datetime as dt
import statistics
import time

from django.utils import timezone

from reporting import cycle
from reporting.models import ReportingPeriod
from reporting.quarters import Quarter

QUARTERS = 3


def run(strategy, admin) -> tuple[dict, ReportingPeriod]:
    quarter = Quarter.containing(timezone.localdate())
    for _ in range(QUARTERS):
        quarter = quarter.previous()
    times, period = [], None
    for _ in range(QUARTERS):
        period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=admin)
        cycle.open_period(period, by=admin)
        start = time.perf_counter()
        cycle.close_period(period, by=admin, today=quarter.end + dt.timedelta(days=1))
        times.append(time.perf_counter() - start)
        quarter = quarter.next()
    row = {
        "strategy": strategy.slug,
        "quarters": QUARTERS,
        "snapshot_rows": period.snapshot.count(),
        "close_median_s": round(statistics.median(times), 2),
        "close_max_s": round(max(times), 2),
    }
    return row, period
