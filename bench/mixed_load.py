"""A trust's working day, compressed: board members read dashboards while programme leads save
milestones, and then again while an Admin confirms a 10,000-row import. Through gunicorn as
`make serve` runs it, on 127.0.0.1, with the task worker beside it as `make worker` runs it.

Reports read throughput (beside the same readers' throughput on /healthz), read p95, errors,
and each lead save's latency with and without an import being confirmed, so a lead who waits
for an import to commit shows up here.
"""

import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

from tests.local_server import ROOT, gunicorn, session_cookie

PORT = 8766
READERS = 4
LEADS = 2
QUIET_S = 8  # how long to measure before the import starts
FLOOR_S = 5  # the same readers on /healthz first: the floor their throughput is compared with
WARM_UP_S = 2


class Client:
    """One signed-in person's connection: keeps the CSRF cookie the app sets."""

    def __init__(self, cookie: str):
        self.cookie = cookie

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{PORT}{path}"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                token = value.split(";")[0]
                parts = [p for p in self.cookie.split("; ") if not p.startswith("csrftoken=")]
                self.cookie = "; ".join([*parts, token])
        conn.close()
        return response.status, text


def _token(page: str) -> str:
    return _hidden(page, "csrfmiddlewaretoken")


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _read_loop(client: Client, url: str, stop: threading.Event, out: list) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        status, _ = client.request("GET", url)
        out.append((start, time.perf_counter() - start, status))


def _save_loop(client: Client, urls: list[str], stop: threading.Event, out: list) -> None:
    n = 0
    while not stop.is_set():
        url = urls[n % len(urls)]
        n += 1
        status, page = client.request("GET", url)
        if status != 200:
            out.append((time.perf_counter(), 0.0, status))
            continue
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        body = {
            "csrfmiddlewaretoken": _token(page),
            "version": version,
            "status": "on_track",
            "commentary": f"Save {n}",
            "forecast_date": "",
        }
        start = time.perf_counter()
        status, _ = client.request("POST", url + "update/", body)
        out.append((start, time.perf_counter() - start, status))


def _p95(seconds: list[float]) -> float:
    if not seconds:
        return 0.0
    ordered = sorted(seconds)
    return round(ordered[max(0, int(0.95 * len(ordered)) - 1)] * 1000, 1)


def _floor_rps(board, seconds: float = FLOOR_S) -> float:
    """/healthz read by the same readers, nothing else running."""
    reads, stop = [], threading.Event()
    threads = [
        threading.Thread(
            target=_read_loop, args=(Client(session_cookie(board)), "/healthz", stop, reads)
        )
        for _ in range(READERS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return len(reads) / seconds


def run(dashboard: str, lead_milestones: list[list[str]], board, leads, admin, batches) -> dict:
    """`lead_milestones`: for each lead, the addresses of milestones they own. `batches`: two
    imports of the same rows, the second restating the first's figures, so each pass's Admin
    writes every row.

    Two passes under the same load: the readers on /healthz, then on the dashboard. The
    leads save with no pause between saves, so they and the import take the same part of the
    machine whatever the readers request: /healthz itself is read at about two thirds of its
    quiet throughput. The dashboard's share is given against both floors, quiet and under the
    load; only the second compares the page with the floor in the same conditions."""
    # As in production: the task worker beside the server (it works out the SPC readings of
    # the measures the import writes).
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker"], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    with gunicorn(PORT, {}):
        # Uncounted: the first requests after gunicorn starts wait for a worker still booting.
        _floor_rps(board, seconds=WARM_UP_S)
        floor_rps = _floor_rps(board)
        floor_pass = _pass("/healthz", lead_milestones, board, leads, admin, batches[0])
        page_pass = _pass(dashboard, lead_milestones, board, leads, admin, batches[1])
    worker.terminate()
    worker.wait(timeout=30)
    loaded_floor_rps = floor_pass["read_rps"]
    return {
        "reads": page_pass["reads"],
        "floor_rps": round(floor_rps, 1),
        "floor_under_load_rps": round(loaded_floor_rps, 1),
        "read_rps": round(page_pass["read_rps"], 1),
        "read_share_of_floor": round(page_pass["read_rps"] / floor_rps, 2),
        "read_share_of_floor_under_load": round(page_pass["read_rps"] / loaded_floor_rps, 2),
        "read_p95_ms": page_pass["read_p95_ms"],
        "errors": floor_pass["errors"] + page_pass["errors"],
        **{k: v for k, v in page_pass.items() if k.startswith(("import_", "save"))},
    }


def _pass(url: str, lead_milestones, board, leads, admin, batch) -> dict:
    """Readers on `url` while the leads save, for QUIET_S seconds and then while the Admin
    confirms `batch`."""
    reads, saves = [], []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_read_loop, args=(Client(session_cookie(board)), url, stop, reads))
        for _ in range(READERS)
    ] + [
        threading.Thread(target=_save_loop, args=(Client(session_cookie(lead)), urls, stop, saves))
        for lead, urls in zip(leads, lead_milestones, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(QUIET_S)
    admin_client = Client(session_cookie(admin))
    _, page = admin_client.request("GET", f"/measures/import/{batch.pk}/")
    import_start = time.perf_counter()
    status, _ = admin_client.request(
        "POST",
        f"/measures/import/{batch.pk}/confirm/",
        # The bench's figures are monthly, so some rows restate quarter ends: say so.
        {
            "csrfmiddlewaretoken": _token(page),
            "restatements_confirmed": "on",
            "restatements_seen": _hidden(page, "restatements_seen"),
        },
    )
    import_end = time.perf_counter()
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join()
    ended = time.perf_counter()

    def during(rows, inside: bool) -> list[float]:
        return [d for start, d, _ in rows if (import_start <= start <= import_end) == inside]

    quiet_saves, import_saves = during(saves, False), during(saves, True)
    p95_quiet, p95_import = _p95(quiet_saves), _p95(import_saves)
    return {
        "reads": len(reads),
        "read_rps": len(reads) / (ended - started),
        "read_p95_ms": _p95([d for _, d, _ in reads]),
        "errors": sum(1 for _, _, s in reads if s != 200)
        + sum(1 for _, _, s in saves if s not in (302, 409))
        + (status != 302),
        "import_confirm_s": round(import_end - import_start, 2),
        "import_status": status,
        "saves_quiet": len(quiet_saves),
        "save_p95_quiet_ms": p95_quiet,
        "saves_during_import": len(import_saves),
        "save_p95_during_import_ms": p95_import,
        "save_p95_ratio": round(p95_import / p95_quiet, 2) if p95_quiet else 0.0,
        "save_median_quiet_ms": round(statistics.median(quiet_saves) * 1000, 1)
        if quiet_saves
        else 0.0,
        "save_median_during_import_ms": round(statistics.median(import_saves) * 1000, 1)
        if import_saves
        else 0.0,
    }
