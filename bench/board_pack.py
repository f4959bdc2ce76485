"""A board pack: ten trust-sized strategies' reports for one closed quarter, made as the task
worker makes it (`manage.py db_worker --batch`, a process of its own). Timed from the worker's
start to its end, with the peak memory of everything it ran: the worker, Playwright's driver
and Chromium, summed over the process tree and sampled every 0.1 s. Each process counts its
proportional share of memory it shares with the others (PSS), so shared libraries and
Chromium's shared memory are counted once, not once per process as resident sizes would."""

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from reporting import cycle, packs
from reporting.models import BoardPack

ROOT = Path(__file__).resolve().parent.parent
STRATEGIES = 10


def _tree_pss_kb(root: int) -> int:
    """Proportional memory of `root` and all its descendants, in kB, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def close_quarter(strategy, quarter, admin):
    period = cycle.schedule(strategy, quarter, *cycle.default_window(quarter), by=admin)
    cycle.open_period(period, by=admin)
    return cycle.close_period(period, by=admin, today=quarter.end + dt.timedelta(days=1))


def run(strategies, quarter, admin, already) -> dict:
    """`already`: the first strategy's period for the quarter, closed by the close bench."""
    others = strategies[1:STRATEGIES]
    already.refresh_from_db()
    periods = [already, *(close_quarter(s, quarter, admin) for s in others)]
    return time_pack(quarter, periods, admin)


def time_pack(quarter, periods, admin) -> dict:
    pack = packs.request_pack(quarter, periods, by=admin)
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    start = time.perf_counter()
    worker = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kb(worker.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    worker.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    pack = BoardPack.objects.get(pk=pack.pk)
    assert pack.state == "done", pack.failure
    return {
        "reports": pack.total,
        "pages": pack.pages,
        "mb": round(pack.size / 1_048_576, 1),
        "seconds": round(seconds, 1),
        "peak_memory_mb": round(peak / 1024),
    }
