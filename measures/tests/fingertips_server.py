"""A stand-in for the OHID Fingertips API on 127.0.0.1, answering from the response files in
fingertips_responses/, which are shaped as Fingertips answers (their figures are made up).
The tests start one per test (test_fingertips.py); to try `manage.py fetch_fingertips`
without the network:

    .venv/bin/python -m measures.tests.fingertips_server 8765
    FINGERTIPS_API_URL=http://127.0.0.1:8765/api/ .venv/bin/python manage.py fetch_fingertips …

A request Fingertips would answer from a file this has not got is answered 404. Standard
library only: nothing of Django, so it runs on its own.
"""

import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

RESPONSES = Path(__file__).resolve().parent / "fingertips_responses"
# Each endpoint: the file answering it, named by the request's parameters, and its type.
ROUTES = {
    "/api/indicator_metadata/by_indicator_id": (
        "indicator_metadata_{indicator_ids}.json",
        "application/json; charset=utf-8",
    ),
    "/api/all_data/csv/by_indicator_id": (
        "all_data_{indicator_ids}_{child_area_type_id}.csv",
        "text/csv; charset=utf-8",
    ),
    "/api/areas/by_area_type": ("areas_{area_type_id}.json", "application/json; charset=utf-8"),
}


@dataclass
class Fault:
    """How one endpoint misbehaves, for a test: another status, another file's body, the body
    cut after `cut_after` bytes (announced as that long), or a Content-Length announcing
    `missing` bytes more than are sent."""

    status: int = 200
    body_file: str = ""
    cut_after: int | None = None
    missing: int = 0


class FingertipsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.faults: dict[str, Fault] = {}  # by path, e.g. "/api/all_data/csv/by_indicator_id"
        self.requests: list[str] = []  # each request's path and query, in order

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/"


class _Handler(BaseHTTPRequestHandler):
    server: FingertipsServer

    def do_GET(self) -> None:  # the name http.server calls
        self.server.requests.append(self.path)
        url = urlsplit(self.path)
        fault = self.server.faults.get(url.path, Fault())
        if fault.status >= 400:
            # What Fingertips' ASP.NET answers with when it fails.
            self._send(fault.status, b'{"Message":"An error has occurred."}', "application/json")
            return
        if url.path not in ROUTES:
            self._send(404, b"Not found", "text/plain")
            return
        template, content_type = ROUTES[url.path]
        params = dict(parse_qsl(url.query))
        try:
            # Only digits reach a file name: the real API's parameters are numbers.
            name = template.format(**{k: v for k, v in params.items() if v.isdigit()})
        except KeyError:
            self._send(400, b"Missing parameter", "text/plain")
            return
        path = RESPONSES / (fault.body_file or name)
        if not path.is_file():
            self._send(404, f"No response file {name}".encode(), "text/plain")
            return
        body = path.read_bytes()
        if fault.cut_after is not None:
            body = body[: fault.cut_after]
        self._send(200, body, content_type, announced=len(body) + fault.missing)

    def _send(self, status: int, body: bytes, content_type: str, announced: int = -1) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(announced if announced >= 0 else len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass  # quiet: the tests read server.requests instead


def start(port: int = 0) -> FingertipsServer:
    """A server answering on a thread of its own; shut it down with stop()."""
    server = FingertipsServer(port)
    # Polled often: stop() waits for the next poll, half a second by default, after every test.
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    return server


def stop(server: FingertipsServer) -> None:
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    server = FingertipsServer(int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    shown = RESPONSES.relative_to(Path.cwd()) if RESPONSES.is_relative_to(Path.cwd()) else RESPONSES
    print(f"Answering as Fingertips at {server.api_url} from {shown} (Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()
