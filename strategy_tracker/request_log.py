"""One structured (JSON) log line per request: method, path, status, duration and user id.

No personal data beyond the user's id: no names, no query strings, no addresses; and no
secret an address carries (a password reset link's token, which sets a password for a day):
such an address is logged as its pattern.
"""

import json
import logging
import re
import time

logger = logging.getLogger("strategy_tracker.requests")
# Addresses that carry a secret: a reset link's token, however the link arrives (with or
# without its last slash, mangled), so matched by where it starts, not by the page it reaches.
SECRET_IN_ADDRESS = re.compile(r"^/accounts/reset/.+")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            json.dumps(
                {
                    "event": "request",
                    "method": request.method,
                    "path": _loggable_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
                separators=(",", ":"),
            )
        )
        return response


def _loggable_path(request) -> str:
    if SECRET_IN_ADDRESS.match(request.path):
        return "/accounts/reset/…"
    return request.path
