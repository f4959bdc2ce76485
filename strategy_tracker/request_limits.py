"""A request body larger than the app ever accepts is refused before any of it is read.

Django parses a multipart body whenever anything asks for request.POST, and the CSRF check
asks on every POST, before the sign-in redirect and before the upload form's own size check.
DATA_UPLOAD_MAX_MEMORY_SIZE limits a form's fields but not its files, so without this anyone
holding the public CSRF cookie could make the server spool hundreds of megabytes to /tmp.

Django never reads past Content-Length (its LimitedStream), and reads no body at all from a
request without one (chunked), so checking the header here caps what it reads from any
request.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body from a request whose length it cannot read
        if length > settings.REQUEST_MAX_BYTES:
            return too_large_response()
        return self.get_response(request)


def too_large_response() -> HttpResponse:
    # Rendered without the request, like the 500 page: who is signed in lives in the database,
    # and a refusal needs nothing from it.
    # Megabytes as the upload forms count them (measures/forms.py, editor/forms.py), so the
    # messages agree.
    context = {
        "file_limit_mb": f"{settings.MEASURE_IMPORT_MAX_BYTES / 1_000_000:.0f}",
        "workbook_limit_mb": f"{settings.WORKBOOK_MAX_BYTES / 1_000_000:.0f}",
    }
    return HttpResponse(render_to_string("413.html", context), status=413)
