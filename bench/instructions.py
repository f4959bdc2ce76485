"""Instructions a cold request of a page costs the app's process, counted by valgrind's
callgrind: the same count every run, whatever else the machine is doing, so two versions of
the code can be compared to a fraction of a per cent where timings differ by a third from one
minute to the next (docs/performance.md, thirteenth session).

Run on the bench's database after `make bench` (its data stays), with `make bench`'s
settings, from the checkout to measure (another one's copy of this file will do):

    DATABASE_URL=postgres://:5432/strategy_tracker_bench DEBUG=off \\
        SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=off \\
        .venv/bin/python bench/instructions.py /strategies/bench-unit-0/ /strategies/

Each page is requested twice untimed, then REQUESTS times with every cache emptied before
each request, counted only around those requests. PostgreSQL's own work is not counted (it is
another process), nor the kernel's: compare versions with this, and time pages with
`make bench`. Needs valgrind (Debian's package).

With `--no-gc`, Python's cycle collector is off while the requests are counted: the work two
versions of the code do, compared without the collections. A collection runs when enough
objects have been made, so one version's count can take in a collection over the whole heap
that another's just misses: an objective's page counted 110.0M against 108.3M before a change
that made its work a fifth smaller (84.1M against 105.2M without the collector)."""

import argparse
import gc
import os
import re
import subprocess
import sys
from pathlib import Path

# The checkout it is run from, which need not be the one this file is in: an older version of
# the code can be counted by this script.
ROOT = Path.cwd()
REQUESTS = 3


def count(url: str, requests: int, as_lead: bool, no_gc: bool = False) -> float:
    """Millions of instructions a cold request of `url` costs."""
    command = (
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--inside",
            url,
            "--requests",
            str(requests),
        ]
        + (["--lead"] if as_lead else [])
        + (["--no-gc"] if no_gc else [])
    )
    # The same hash seed every run: set and dict order, and so the work, stay the same.
    env = os.environ | {"PYTHONHASHSEED": "0"}
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    found = re.search(r"Collected : ([\d,]+)", run.stderr)
    if run.returncode or not found:
        raise SystemExit(f"{url}: valgrind failed\n{run.stderr[-2000:]}")
    return int(found.group(1).replace(",", "")) / requests / 1e6


def inside(url: str, requests: int, as_lead: bool, no_gc: bool) -> None:
    """Under valgrind: the requests, with counting switched on around them."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
    import django

    django.setup()
    import logging

    from django.test import Client

    from bench.pages import _empty_every_cache, users

    logging.disable(logging.CRITICAL)
    admin, lead = users()
    client = Client()
    client.force_login(lead if as_lead else admin)
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    _empty_every_cache()
    if no_gc:
        gc.disable()
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "--instr=on", pid], check=True, capture_output=True)
    for _ in range(requests):
        client.get(url)
        _empty_every_cache()
    subprocess.run(["callgrind_control", "--instr=off", pid], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--lead", action="store_true", help="as the bench's programme lead")
    parser.add_argument("--no-gc", action="store_true", help="Python's cycle collector off")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        inside(args.urls[0], args.requests, args.lead, args.no_gc)
        return
    for url in args.urls:
        millions = count(url, args.requests, args.lead, args.no_gc)
        print(f"{millions:8.1f}M instructions  {url}")


if __name__ == "__main__":
    main()
