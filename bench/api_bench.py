"""The read API's values as one CSV stream: 100,000 values through a token, as Power BI's
web connector reads them. Rows a second, and the peak memory Python allocated while the
stream was read (flat: it does not grow with the rows)."""

import time
import tracemalloc

from django.test import Client

from api.models import ApiToken
from measures.models import MeasureValue

TARGET_ROWS_PER_S = 20_000


def _stream(client: Client, key: str, limit_measures: str = "") -> tuple[int, float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(f"/api/v1/values.csv{limit_measures}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.status_code
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return lines, seconds, peak


def run(user, repeats: int = 3) -> list[dict]:
    token, key = ApiToken.issue(user, "bench", days=1)
    client = Client()
    results = []
    try:
        total = MeasureValue.objects.count()
        runs = [_stream(client, key) for _ in range(repeats)]
        rows, seconds, peak = sorted(runs, key=lambda r: r[1])[len(runs) // 2]
        results.append(
            {
                "values_readable": total,
                "rows": rows,
                "seconds": round(seconds, 2),
                "rows_per_s": round(rows / seconds),
                "target_rows_per_s": TARGET_ROWS_PER_S,
                "peak_mb": round(peak, 1),
            }
        )
    finally:
        token.delete()
    return results
