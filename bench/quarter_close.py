"""Closing a quarter for one strategy: the period's "as at" snapshot of every item, written in
the close's transaction. Three consecutive quarters, each scheduled, opened and timed as it
closes; the last one's board report is then timed among the pages."""

import datetime as dt
import statistics
import time

from django.test import Client
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
        **_pdf_timing(strategy, period, admin),
    }
    return row, period


def _pdf_timing(strategy, period, admin) -> dict:
    """The quarter's board report as PDF, made three times: seconds, pages, size."""
    import io

    from pypdf import PdfReader

    client = Client()
    client.force_login(admin)
    url = f"/strategies/{strategy.slug}/periods/{period.pk}/report.pdf"
    times, response = [], None
    for _ in range(3):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return {
        "pdf_median_s": round(statistics.median(times), 2),
        "pdf_pages": len(PdfReader(io.BytesIO(response.content)).pages),
        "pdf_kb": round(len(response.content) / 1024),
    }
