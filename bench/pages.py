"""Server time and query count of each page, through Django's test client, cold: every cache
is emptied before each request, so what is timed is the page as a reader after a change meets
it (the app keeps no cache of rendered pages; Django's cache holds only rate-limit counters,
and two small in-process memos hold the SPC icons' markup and period wordings). Warm: the
same page again with the memos left filled."""

import hashlib
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from bench.import_bench import quarter_ends
from measures.models import ImportBatch, Measure
from milestones.models import Milestone
from objectives.models import Strategy

ROUNDS, PER_ROUND = 3, 5  # cold requests per page: PER_ROUND in each of ROUNDS rounds
REQUESTS = ROUNDS * PER_ROUND


class QueryCounter(list):
    """Counts every SQL statement a request runs, whatever DEBUG says."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def import_batch_of(rows: int, codes: list[str], user, value: int = 50) -> ImportBatch:
    quarters = quarter_ends(rows // len(codes) + 1)
    lines = ["measure_code,period_end,value"]
    for q in quarters:
        for code in codes:
            if len(lines) > rows:
                break
            lines.append(f"{code},{q.isoformat()},{value}")
    data = ("\n".join(lines) + "\n").encode()
    return ImportBatch.objects.create(
        uploaded_by=user,
        file_name=f"preview-{rows}.csv",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )


def page_urls(
    strategy: Strategy, measure: Measure, milestone: Milestone, batch: ImportBatch
) -> dict:
    priority = strategy.priorities.order_by("part", "number").first()
    objective = priority.objectives.order_by("number").first()
    return {
        "floor (/healthz)": "/healthz",
        "strategy list": "/strategies/",
        "strategy dashboard": strategy.get_absolute_url(),
        "priority": priority.get_absolute_url(),
        "objective": objective.get_absolute_url(),
        "measure": measure.get_absolute_url(),
        "my milestones": "/milestones/mine/",
        "milestone history": milestone.get_absolute_url(),
        "import preview (1,000 rows)": batch.get_absolute_url(),
    }


def _empty_every_cache() -> None:
    from django.core.cache import cache

    from measures.periods import kind_of_text
    from strategy_tracker import addresses
    from strategy_tracker.templatetags import tracker

    cache.clear()
    addresses.forget()
    kind_of_text.cache_clear()
    tracker._variation_markup.cache_clear()
    tracker._assurance_markup.cache_clear()


def time_pages(urls: dict[str, str], admin, lead) -> list[dict]:
    """Each page's queries and cold and warm times. Cold requests are taken in ROUNDS rounds,
    each round going through every page in turn, so a slow minute of the machine falls on
    every page a little rather than on one page whole (a dashboard timed in one block of 15
    read 76 ms in a slow minute and 45 ms straight after). Before each page's block in a
    round, the floor is timed cold as often (`floor_ms`: the median of those beside that
    page), after one untimed floor request that pays for the page before. `x_floor` divides
    by the floor's median over the whole run. A floor timed once, first, moved from 4.4 to
    6.6 ms between two runs while the pages held; a floor request timed straight after each
    page's paid for that page's aftermath (7.7 ms beside the board report, 5.0 ms alone)."""
    clients, queries = {}, {}
    for name, url in urls.items():
        client = Client()
        client.force_login(lead if name == "my milestones" else admin)
        assert client.get(url).status_code == 200, (name, url)  # imports, connections
        counted = QueryCounter()
        _empty_every_cache()
        with connection.execute_wrapper(counted):
            client.get(url)
        clients[name], queries[name] = client, len(counted)
    cold = {name: [] for name in urls}
    floors = {name: [] for name in urls}
    for _ in range(ROUNDS):
        for name, url in urls.items():
            client = clients[name]
            client.get("/healthz")  # untimed: the page before's aftermath lands here
            floors[name] += [_cold_ms(client, "/healthz") for _ in range(PER_ROUND)]
            cold[name] += [_cold_ms(client, url) for _ in range(PER_ROUND)]
    results = []
    for name, url in urls.items():
        clients[name].get(url)  # untimed: fills the memos with this page's entries
        warm = []
        for _ in range(REQUESTS):  # the memos left filled: what a second reader meets
            start = time.perf_counter()
            clients[name].get(url)
            warm.append((time.perf_counter() - start) * 1000)
        times = sorted(cold[name])
        results.append(
            {
                "page": name,
                "queries": queries[name],
                "cold_median_ms": round(statistics.median(times), 1),
                "cold_p95_ms": round(times[int(0.95 * len(times)) - 1], 1),
                "warm_median_ms": round(statistics.median(warm), 1),
                "floor_ms": round(statistics.median(floors[name]), 1),
            }
        )
    floor = statistics.median([t for block in floors.values() for t in block])
    for row in results:
        row["x_floor"] = round(row["cold_median_ms"] / floor, 1)
    return results


def _cold_ms(client: Client, url: str) -> float:
    _empty_every_cache()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, url
    return elapsed


def users():
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    lead = User.objects.filter(username="lead").first()
    return admin, lead
