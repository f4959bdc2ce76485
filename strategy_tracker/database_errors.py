"""When the database goes away mid-request: a clear page, nothing half-written.

Every write runs in a transaction, so PostgreSQL undoes whatever a lost connection left
unfinished. Django opens a fresh connection for the next request, so the app recovers by
itself when the database is back, without a restart.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("database unavailable: %s: %s", type(exception).__name__, exception)
        return unavailable_response()


def unavailable_response() -> HttpResponse:
    # Rendered without the request: its context processors would ask the database who the
    # user is, and fail again.
    response = HttpResponse(render_to_string("database_unavailable.html"), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request, *args, **kwargs):
    """The 500 handler: a database that went away before any view ran (loading the session
    or the user) gets the same clear page as one that goes away inside a view."""
    import sys

    from django.views.defaults import server_error as default_server_error

    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return unavailable_response()
    return default_server_error(request, *args, **kwargs)
