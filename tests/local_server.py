"""gunicorn on 127.0.0.1 for the benchmark (bench/) and the load and slow-client tests, with
the settings `make serve` uses (deploy/gunicorn.conf.py), and a signed-in cookie for it.
Kept with the tests, out of the product package: nothing in production starts it.

Production settings with the HTTPS parts off (loopback has no TLS) and the per-request log
quiet, so what is measured is the app.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK_ENV = {
    "DEBUG": "off",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "off",
    "SESSION_COOKIE_SECURE": "off",
    "CSRF_COOKIE_SECURE": "off",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    "REQUEST_LOG_LEVEL": "WARNING",
}


def session_cookie(user) -> str:
    """A Cookie header value for a session signed in as `user` (for the same SECRET_KEY)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "strategy_tracker.passwords.PasswordBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


@contextlib.contextmanager
def gunicorn(port: int, env: dict[str, str], workers: int = 2) -> Iterator[None]:
    """Serve the app until the block ends; waits until /healthz answers."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "strategy_tracker.wsgi",
            # As `make serve` runs it; only the address, workers and logging differ.
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ | LOOPBACK_ENV | env,
        start_new_session=True,
    )
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
