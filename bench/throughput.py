"""Requests per second from gunicorn (2 workers, production settings, WhiteNoise), loaded by wrk
on 127.0.0.1 for a fixed time with a fixed number of connections."""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
DURATION_S = 10
CONNECTIONS = 8


def _ensure_wrk() -> str:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk")


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _wrk(wrk: str, url: str, cookie: str) -> dict:
    out = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{DURATION_S}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=DURATION_S + 30,
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
    env = os.environ | {
        "DEBUG": "off",
        "SECURE_SSL_REDIRECT": "off",
        "SESSION_COOKIE_SECURE": "off",
        "CSRF_COOKIE_SECURE": "off",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # One log line per request costs time; the benchmark measures the app, not its logs.
        "REQUEST_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "strategy_tracker.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        cookie = session_cookie(user)
        results = []
        for name, path in urls.items():
            results.append({"page": name, **_wrk(wrk, f"http://127.0.0.1:{PORT}{path}", cookie)})
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
