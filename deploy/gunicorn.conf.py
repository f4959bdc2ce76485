"""gunicorn's settings, for `make serve` and for the servers the tests start
(tests/local_server.py). See README, "Running in production".

Threads, not a process per connection: a sync worker waits on whichever client it accepted,
so two connections that sent nothing stopped both workers answering anyone. A gthread worker
gives a connection that sends nothing back to its poller after a few seconds, and, with the
timeout below, takes its thread back from a client that stops part-way through a request.
The proxy in front still reads every request whole before passing it on (README), so slow
clients never reach gunicorn at all.
"""

import gc
import os

from gunicorn.workers import gthread

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Each thread may hold a database connection while it answers: WEB_CONCURRENCY × WEB_THREADS
# must stay below PostgreSQL's max_connections.
threads = int(os.environ.get("WEB_THREADS", "8"))
timeout = 60
graceful_timeout = 30
# Where X-Forwarded-Proto is believed from: the TLS proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Seconds a client may go without sending or reading anything in the middle of a request.
CLIENT_SOCKET_TIMEOUT = 20


class _TimedConnection(gthread.TConn):
    def init(self):
        super().init()
        self.sock.settimeout(CLIENT_SOCKET_TIMEOUT)


class ThreadWorker(gthread.ThreadWorker):
    """gthread, except that a thread reading or writing a request gives up on a client that
    stops for CLIENT_SOCKET_TIMEOUT seconds. gthread itself waits for ever, so a few clients
    each sending half a request line would hold every thread for good (a sync worker is at
    least killed after `timeout`)."""

    def enqueue_req(self, conn):
        conn.__class__ = _TimedConnection
        super().enqueue_req(conn)


worker_class = ThreadWorker


# Python's cycle collector, tuned for a worker answering pages: at its default (a young
# collection every 700 new objects) it ran a dozen times in each dashboard request and moved
# the request's objects into the older generations, whose collections go over the whole
# heap: 11-16 ms of collecting a request. Every 50,000 new objects: 4-5 ms
# (docs/performance.md, fourteenth session), for a few MB more garbage held between runs.
GC_THRESHOLDS = (50_000, 20, 100)


def post_worker_init(worker):
    gc.set_threshold(*GC_THRESHOLDS)
