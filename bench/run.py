"""`make bench`: measured speed, printed as a table and written to bench/results.json."""

import json
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from bench import import_bench  # noqa: E402


def _table(rows: list[dict]) -> str:
    headers = list(rows[0])
    widths = [max(len(str(h)), *(len(str(r[h])) for r in rows)) for h in headers]
    line = "  ".join(str(h).rjust(w) for h, w in zip(headers, widths, strict=True))
    body = [
        "  ".join(str(r[h]).rjust(w) for h, w in zip(headers, widths, strict=True)) for r in rows
    ]
    return "\n".join([line, "-" * len(line), *body])


def main() -> None:
    call_command("migrate", verbosity=0)
    sizes = [int(s) for s in os.environ.get("BENCH_IMPORT_ROWS", "10000,100000").split(",")]
    results = {"import": import_bench.run(sizes)}
    print("\nImport of quarterly figures (PostgreSQL)")
    print(_table(results["import"]))
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
