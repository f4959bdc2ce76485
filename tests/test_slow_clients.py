"""Clients that open connections and send nothing, or half a request, do not stop gunicorn,
as `make serve` runs it (deploy/gunicorn.conf.py), from answering everyone else. Before,
two idle connections stopped its two sync workers."""

import contextlib
import os
import socket
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from tests.local_server import gunicorn

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# More connections than the threads of both of `make serve`'s workers together.
CONNECTIONS = 20


@pytest.fixture
def server_port():
    if connection.vendor != "postgresql":
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs PostgreSQL and gunicorn")
    db = connection.settings_dict
    env = {
        "DJANGO_SETTINGS_MODULE": "strategy_tracker.test_settings",
        "DATABASE_URL": f"postgres://:{db['PORT'] or 5432}/{db['NAME']}"
        if not db["HOST"]
        else f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with gunicorn(port, env, workers=2):
        yield port


def _health(port: int) -> bytes:
    # The timeout only bounds the wait, so that a server that never answers fails the test
    # instead of hanging it.
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=90) as response:
        assert response.status == 200
        return response.read()


def test_connections_that_send_nothing_do_not_stop_it_answering(server_port):
    with contextlib.ExitStack() as clients:
        for _ in range(CONNECTIONS):
            clients.enter_context(socket.create_connection(("127.0.0.1", server_port)))
        assert _health(server_port) == b"ok\n"


def test_clients_that_stop_half_way_through_a_request_do_not_stop_it_answering(server_port):
    with contextlib.ExitStack() as clients:
        for _ in range(CONNECTIONS):
            client = clients.enter_context(socket.create_connection(("127.0.0.1", server_port)))
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and no more
        assert _health(server_port) == b"ok\n"
