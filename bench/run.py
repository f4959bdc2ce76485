"""`make bench`: measured speed on PostgreSQL, printed as tables and written to bench/results.json.

Sizes: "small" (the two seed strategies) and "trust" (bench/generate.py; BENCH_SCALE=10 for
ten times that: 400 strategies, 115,200 milestones, 1.8 million values). Every page's median
is also shown as a multiple of the floor (/healthz).
"""

import json
import os
import sys
import time
from io import StringIO
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from bench import (  # noqa: E402
    api_bench,
    board_pack,
    generate,
    import_bench,
    mixed_load,
    pages,
    quarter_close,
    throughput,
    workbook_bench,
)
from measures import readings  # noqa: E402
from measures.models import Measure  # noqa: E402
from milestones.models import Milestone  # noqa: E402
from objectives.models import Strategy  # noqa: E402
from public.models import Publication  # noqa: E402
from reporting.quarters import file_name_of  # noqa: E402
from strategy_tracker.demo_users import (  # noqa: E402
    grant_demo_roles,
)


def _table(title: str, rows: list[dict]) -> str:
    headers = list(rows[0])
    widths = [max(len(str(h)), *(len(str(r[h])) for r in rows)) for h in headers]

    def fmt(row: dict) -> str:
        cells = zip(headers, widths, strict=True)
        return "  ".join(
            str(row[h]).rjust(w) if i else str(row[h]).ljust(w) for i, (h, w) in enumerate(cells)
        )

    line = fmt(dict(zip(headers, headers, strict=True)))
    return "\n".join([f"\n{title}", line, "-" * len(line), *(fmt(r) for r in rows)])


def _fresh_database():
    from django.db import connection

    # Production settings: hashed, compressed static files, as gunicorn serves them.
    call_command("collectstatic", "--no-input", verbosity=0)
    # An empty schema, migrated from nothing: a bench database left by an older version of
    # a migration keeps its old columns through `flush`.
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    call_command("load_seeds", stdout=StringIO())
    call_command("create_demo_users", "--allow-production", stdout=StringIO())
    readings.refresh()  # as the task worker does after the seeds' values are written


def _analyse() -> None:
    """Statistics for the planner, as autovacuum keeps them in a live database: just after a
    bulk load it has none, and chose plans a hundred times slower (My milestones at ten times
    the trust: 443 ms before, 46 ms after)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _page_run(strategy, measure, milestone, codes, label, more_urls=None):
    admin, lead = pages.users()
    Milestone.objects.filter(objective__priority__strategy=strategy).update(owner=lead)
    batch = pages.import_batch_of(1000, codes, admin)
    urls = pages.page_urls(strategy, measure, milestone, batch) | (more_urls or {})
    rows = pages.time_pages(urls, admin, lead)
    return [{"size": label, **row} for row in rows], urls, admin


def _stale_dashboard(strategy, label: str) -> dict:
    """The dashboard in the seconds after an import wrote every one of its measures' values,
    before the task worker has worked their SPC readings out again: the page works each out
    from the values itself."""
    measures = Measure.objects.for_strategies([strategy.id])
    readings.mark_changed(measures.values_list("id", flat=True))
    admin, lead = pages.users()
    url = {"strategy dashboard, readings stale": strategy.get_absolute_url()}
    floor = {"floor (/healthz)": "/healthz"}
    _, row = pages.time_pages(floor | url, admin, lead)
    readings.refresh()
    return {"size": label, **row}


def trust_codes() -> list[str]:
    return list(Measure.objects.filter(code__startswith="BENCH-M").values_list("code", flat=True))


def _mixed_load(strategy, codes: list[str], admin) -> dict:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    board = users.get(username="board")
    leads = [users.get(username="lead"), users.get(username="lead2")]
    milestones = list(
        Milestone.objects.filter(objective__priority__strategy=strategy).order_by("id")[:40]
    )
    urls = []
    for i, lead in enumerate(leads):
        mine = milestones[i::2]
        Milestone.objects.filter(pk__in=[m.pk for m in mine]).update(owner=lead)
        urls.append([m.get_absolute_url() for m in mine])
    # The same rows twice, the second restating the first's figures: each pass writes them all.
    batches = [pages.import_batch_of(10_000, codes[:400], admin, value) for value in (50, 51)]
    return mixed_load.run(strategy.get_absolute_url(), urls, board, leads, admin, batches)


def main() -> None:
    started = time.perf_counter()
    results = {}
    _fresh_database()

    small_strategy = Strategy.objects.get(slug="thurrock-hwbs-2013")
    small_rows, _, _ = _page_run(
        small_strategy,
        Measure.objects.get(code="EPUT-DIS-MONTHLY-REFERRALS"),
        Milestone.objects.filter(objective__priority__strategy=small_strategy).first(),
        list(Measure.objects.values_list("code", flat=True)),
        "small",
    )
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    t = time.perf_counter()
    results["dataset"] = generate.generate(scale)
    results["dataset"]["generate_s"] = round(time.perf_counter() - t, 1)
    grant_demo_roles()  # the demo users' roles in the bench trust too
    _analyse()
    # What the task worker does after values are written: work out each measure's stored SPC
    # reading (generate.py writes values in bulk, as an import does).
    t = time.perf_counter()
    results["dataset"]["readings"] = readings.refresh()
    results["dataset"]["readings_s"] = round(time.perf_counter() - t, 1)
    size = "trust" if scale == 1 else f"trust ×{scale:g}"
    trust = Strategy.objects.get(slug="bench-unit-0")
    admin, _ = pages.users()
    close_row, closed = quarter_close.run(trust, admin)
    results["quarter_close"] = [close_row]
    report_url = f"/strategies/{trust.slug}/periods/{closed.pk}/report/"
    # The same quarter published to the public (issue 20): its page and its report.
    Publication.objects.create(strategy=trust, is_public=True)
    public_quarter = f"/public/{trust.slug}/{file_name_of(closed.financial_quarter)}/"
    trust_rows, trust_urls, admin = _page_run(
        trust,
        Measure.objects.filter(code__startswith="BENCH-M").order_by("id").first(),
        Milestone.objects.filter(objective__priority__strategy=trust).order_by("id").first(),
        list(Measure.objects.filter(code__startswith="BENCH-M").values_list("code", flat=True)),
        size,
        {
            "board report (a closed quarter)": report_url,
            "public strategy page": f"/public/{trust.slug}/",
            "public report (a closed quarter)": f"{public_quarter}report/",
            "risk register": f"/strategies/{trust.slug}/risks/",
            "a risk": f"/strategies/{trust.slug}/risks/1/",
        },
    )
    results["pages"] = small_rows + trust_rows + [_stale_dashboard(trust, size)]
    print(_table(f"Dataset ({size})", [results["dataset"]]))
    print(_table(f"Closing a quarter ({size}): one strategy", results["quarter_close"]))
    others = list(Strategy.objects.filter(slug__startswith="bench-unit-").exclude(pk=trust.pk))
    results["board_pack"] = [
        board_pack.run([trust, *others], closed.financial_quarter, admin, already=closed)
    ]
    print(_table(f"Board pack ({size}): the task worker, one PDF", results["board_pack"]))
    print(
        _table(
            f"Pages: SQL queries, server time cold and warm, {pages.REQUESTS} requests each "
            "(test client)",
            results["pages"],
        )
    )
    results["throughput"] = throughput.run(
        {
            "floor (/healthz)": trust_urls["floor (/healthz)"],
            "strategy dashboard": trust_urls["strategy dashboard"],
            # For scale: the page layout with a form and no data of its own, and the smallest
            # page that reads a strategy's data.
            "layout only (change password)": "/accounts/password_change/",
            "a risk": trust_urls["a risk"],
        },
        admin,
    )
    floor_rps = results["throughput"][0]["rps"]
    for row in results["throughput"]:
        row["share_of_floor"] = round(row["rps"] / floor_rps, 2)
    title = (
        f"Throughput ({size}): gunicorn, 2 workers; wrk, {throughput.CONNECTIONS} "
        f"connections, {throughput.DURATION_S} s"
    )
    print(_table(title, results["throughput"]), flush=True)
    results["mixed_load"] = [_mixed_load(trust, codes=trust_codes(), admin=admin)]
    title = (
        f"Mixed load ({size}): {mixed_load.READERS} board members read the dashboard while "
        f"{mixed_load.LEADS} leads save milestones, then an Admin confirms a 10,000-row import"
    )
    print(_table(title, results["mixed_load"]), flush=True)
    sizes = [int(s) for s in os.environ.get("BENCH_IMPORT_ROWS", "10000,100000").split(",")]
    results["import"] = import_bench.run(sizes)
    print(_table("Import of quarterly figures", results["import"]))
    results["workbook"] = workbook_bench.run(admin)
    print(_table("A whole strategy from a workbook: upload, preview, confirm", results["workbook"]))
    results["api_csv"] = api_bench.run(admin)
    print(_table("The read API: every value readable, as one CSV stream", results["api_csv"]))
    results["total_s"] = round(time.perf_counter() - started, 1)
    out = ROOT / "bench" / ("results.json" if scale == 1 else f"results-x{scale:g}.json")
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nTotal {results['total_s']} s. Written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
