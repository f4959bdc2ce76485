"""Import speed: preview and confirm of 10,000 and 100,000 rows against a bare bulk_create.

Run through `make bench` (PostgreSQL). Prints rows per second and peak Python memory (traced
by tracemalloc: the file's rows, the checks and the writes, not the database server).
"""

import datetime as dt
import hashlib
import statistics
import time
import tracemalloc
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from measures.importing import confirm, preview
from measures.models import ImportBatch, Measure, MeasureValue
from objectives.models import Membership, Objective, Organisation, Priority, Strategy
from strategy_tracker.roles import ADMIN

MEASURES = 1000


def quarter_ends(count: int) -> list[dt.date]:
    """The last `count` quarter ends, newest first, back from 30 June 2026."""
    ends, year, quarter = [], 2026, 2  # back from the quarter ending 30 June 2026
    month_day = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
    while len(ends) < count:
        ends.append(dt.date(year, *month_day[quarter]))
        quarter -= 1
        if quarter == 0:
            quarter, year = 4, year - 1
    return ends


def _measures() -> list[Measure]:
    organisation, _ = Organisation.objects.get_or_create(name="Bench Trust")
    strategy, _ = Strategy.objects.get_or_create(
        slug="bench-import",
        defaults={
            "organisation": organisation,
            "title": "Import bench",
            "status": "published",
            "period_start": dt.date(2000, 4, 1),
            "period_end": dt.date(2030, 3, 31),
        },
    )
    priority, _ = Priority.objects.get_or_create(
        strategy=strategy, number=1, defaults={"title": "P"}
    )
    objective, _ = Objective.objects.get_or_create(
        priority=priority, number=1, defaults={"title": "O"}
    )
    existing = list(Measure.objects.filter(code__startswith="IMPORT-"))
    if len(existing) < MEASURES:
        Measure.objects.bulk_create(
            Measure(objective=objective, code=f"IMPORT-{n:04d}", name=f"Bench {n}", unit="count")
            for n in range(len(existing), MEASURES)
        )
    return list(Measure.objects.filter(code__startswith="IMPORT-").order_by("code"))


def _csv(measures: list[Measure], rows: int) -> bytes:
    quarters = quarter_ends(rows // len(measures))
    lines = ["measure_code,period_end,value,note"]
    for quarter in quarters:
        for n, m in enumerate(measures):
            lines.append(f"{m.code},{quarter.isoformat()},{(n * 7 + quarter.month) % 1000}.5,bench")
    return ("\n".join(lines) + "\n").encode()


def _clear():
    # Plain SQL deletes (the ORM's would write a history row for every value it deletes),
    # then VACUUM, so every run starts from the same tables.
    ids = list(Measure.objects.filter(code__startswith="IMPORT-").values_list("id", flat=True))
    for model in (MeasureValue.history.model, MeasureValue):
        model.objects.filter(measure_id__in=ids)._raw_delete(model.objects.db)
    with connection.cursor() as cursor:
        for model in (MeasureValue.history.model, MeasureValue):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def _stored(user, data: bytes, name: str) -> ImportBatch:
    return ImportBatch.objects.create(
        uploaded_by=user,
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
    )


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _peak_mb(action) -> float:
    """Peak Python memory while `action` runs (in a run of its own: tracing slows it)."""
    tracemalloc.start()
    try:
        action()
        return round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    finally:
        tracemalloc.stop()


def _bare_bulk_create(measures: list[Measure], size: int) -> float:
    """The yardstick: the same rows, already parsed, written with a bare bulk_create."""
    objs = [
        MeasureValue(
            measure=m,
            period_end=q,
            value=Decimal((n * 7 + q.month) % 1000) + Decimal("0.5"),
            note="bench",
        )
        for q in quarter_ends(size // len(measures))
        for n, m in enumerate(measures)
    ]

    def write():
        with transaction.atomic():
            MeasureValue.objects.bulk_create(objs, batch_size=2000)

    return _timed(write)


def run(sizes=(10_000, 100_000), repeats: int = 3) -> list[dict]:
    """Each size `repeats` times, alternating the import and the yardstick; medians."""
    user, _ = get_user_model().objects.get_or_create(username="bench-admin")
    measures = _measures()
    # The Admin of the organisation responsible for the measures, as only they import them.
    organisation = Organisation.objects.get(name="Bench Trust")
    Membership.objects.get_or_create(user=user, organisation=organisation, role=ADMIN)
    results = []
    for size in sizes:
        data = _csv(measures, size)
        previews, confirms, bulks = [], [], []
        for run_number in range(repeats):
            _clear()
            batch = _stored(user, data, f"bench-{size}-{run_number}.csv")
            report = preview(batch)
            assert report.totals["new"] == size, report.totals
            previews.append(_timed(lambda b=batch: preview(b)))
            confirms.append(_timed(lambda b=batch: confirm(b.pk, restatements_confirmed=False)))
            assert MeasureValue.objects.filter(measure__code__startswith="IMPORT-").count() == size
            _clear()
            bulks.append(_bare_bulk_create(measures, size))
        _clear()
        batch = _stored(user, data, f"bench-{size}-memory.csv")
        preview_peak = _peak_mb(lambda b=batch: preview(b))
        confirm_peak = _peak_mb(lambda b=batch: confirm(b.pk, restatements_confirmed=False))
        preview_s, confirm_s, bulk_s = (statistics.median(t) for t in (previews, confirms, bulks))
        results.append(
            {
                "rows": size,
                "file_mb": round(len(data) / 1e6, 2),
                "preview_s": round(preview_s, 2),
                "preview_rows_per_s": round(size / preview_s),
                "confirm_s": round(confirm_s, 2),
                "confirm_rows_per_s": round(size / confirm_s),
                "bulk_create_s": round(bulk_s, 2),
                "bulk_create_rows_per_s": round(size / bulk_s),
                "confirm_vs_bulk_create": round(confirm_s / bulk_s, 2),
                "preview_peak_mb": preview_peak,
                "confirm_peak_mb": confirm_peak,
            }
        )
    _clear()
    return results
