"""One structured (JSON) log line per request: method, path, status, duration and user id.

No personal data beyond the user's id: no names, no query strings, no addresses; and no
secret an address carries (a password reset link's token, which sets a password for a day):
such an address is logged as its pattern.
"""

import json
import logging
import time

logger = logging.getLogger("strategy_tracker.requests")
# Pages whose addresses carry a secret.
SECRET_IN_ADDRESS = {"password_reset_confirm"}


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
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in SECRET_IN_ADDRESS:
        return "/" + match.route  # "/accounts/reset/<uidb64>/<token>/"
    return request.path
