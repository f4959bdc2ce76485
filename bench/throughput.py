"""Requests per second from gunicorn (2 workers, production settings, WhiteNoise), loaded by wrk
on 127.0.0.1 for a fixed time with a fixed number of connections."""

import re
import shutil
import subprocess

from tests.local_server import gunicorn, session_cookie

PORT = 8765
DURATION_S = 10
CONNECTIONS = 8
# Each page is loaded this long, uncounted, first: the first requests after gunicorn starts
# wait for a worker still booting, and wrk counted three of them as timeouts on /healthz.
WARM_UP_S = 2


def _ensure_wrk() -> str:
    if not shutil.which("wrk"):
        # The package lists first: a fresh machine has none, and install would fail.
        subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk")


def _wrk(wrk: str, url: str, cookie: str, seconds: int = DURATION_S) -> dict:
    out = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(map(int, socket.groups())) if socket else 0
    )
    return {"requests": requests, "rps": round(rps, 1), "errors": errors}


def run(urls: dict[str, str], user) -> list[dict]:
    wrk = _ensure_wrk()
    with gunicorn(PORT, {}):
        cookie = session_cookie(user)
        rows = []
        for name, path in urls.items():
            url = f"http://127.0.0.1:{PORT}{path}"
            _wrk(wrk, url, cookie, seconds=WARM_UP_S)
            rows.append({"page": name, **_wrk(wrk, url, cookie)})
        return rows
