"""One structured (JSON) log line per request: method, path, status, duration and user id.

No personal data beyond the user's id: no names, no query strings, no addresses.
"""

import json
import logging
import time

logger = logging.getLogger("strategy_tracker.requests")


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
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
                separators=(",", ":"),
            )
        )
        return response
