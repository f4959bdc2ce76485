"""Import speed: preview and confirm of 10,000 and 100,000 rows against a bare bulk_create.

Run through `make bench` (PostgreSQL). Prints rows per second and peak Python memory.
"""

import datetime as dt
import hashlib
import time
import tracemalloc
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from measures.importing import confirm, preview
from measures.models import ImportBatch, Measure, MeasureValue
from objectives.models import Objective, Organisation, Priority, Strategy

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
    MeasureValue.history.filter(measure__code__startswith="IMPORT-").delete()
    MeasureValue.objects.filter(measure__code__startswith="IMPORT-").delete()


def run(sizes=(10_000, 100_000)) -> list[dict]:
    user, _ = get_user_model().objects.get_or_create(username="bench-admin")
    measures = _measures()
    results = []
    for size in sizes:
        data = _csv(measures, size)
        _clear()
        batch = ImportBatch.objects.create(
            uploaded_by=user,
            file_name=f"bench-{size}.csv",
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            content=data,
        )
        start = time.perf_counter()
        report = preview(batch)
        preview_s = time.perf_counter() - start
        assert report.totals["new"] == size, report.totals
        start = time.perf_counter()
        confirm(batch.pk, restatements_confirmed=False)
        confirm_s = time.perf_counter() - start
        assert MeasureValue.objects.filter(measure__code__startswith="IMPORT-").count() == size

        # The yardstick: the same rows, already parsed, written with a bare bulk_create.
        _clear()
        quarters = quarter_ends(size // len(measures))
        objs = [
            MeasureValue(
                measure=m,
                period_end=q,
                value=Decimal((n * 7 + q.month) % 1000) + Decimal("0.5"),
                note="bench",
            )
            for q in quarters
            for n, m in enumerate(measures)
        ]
        start = time.perf_counter()
        with transaction.atomic():
            MeasureValue.objects.bulk_create(objs, batch_size=2000)
        bulk_s = time.perf_counter() - start
        del objs

        # Peak Python memory of a confirm, measured in a separate run (tracing slows it).
        _clear()
        batch2 = ImportBatch.objects.create(
            uploaded_by=user,
            file_name=f"bench-{size}-mem.csv",
            sha256=batch.sha256,
            size=len(data),
            content=data,
        )
        tracemalloc.start()
        confirm(batch2.pk, restatements_confirmed=False)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
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
                "confirm_vs_bulk_create": round(confirm_s / bulk_s, 1),
                "confirm_peak_python_mb": round(peak / 1e6, 1),
            }
        )
    _clear()
    return results
