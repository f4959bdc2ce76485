"""Sessions: what a signed-in person saw is never kept by a browser or proxy (a public page,
the same for everyone, carries no cookie instead), and a session the database will not save
gets the "try again" page, not Django's "bad request"."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import (
    DataError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# What the database raises when it refuses a write (a lock it waited too long for, a full
# disk, a lost connection, a missing grant). Django raises a plain DatabaseError of its own
# when the session's row is simply gone.
_REFUSALS = (DataError, InternalError, NotSupportedError, OperationalError, ProgrammingError)


class NoStoreMiddleware:
    """Cache-Control: no-store on every response to someone signed in, and on every response
    that starts, renews or ends a session, so the back button on a shared machine shows
    nothing after sign-out; but a public page, the same for everyone, stays cacheable and
    carries no cookie (_keep_public). Listed after WhiteNoise, which answers for static files
    first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "is_public", False):
            _keep_public(response)
        elif _is_private(request, response):
            add_never_cache_headers(response)
        return response


def _keep_public(response: HttpResponse) -> None:
    """A public page (public/caching.py) is the same for everyone, so it carries no cookie
    and varies by none. A signed-in visitor's session row is renewed but the cookie is not
    re-sent, so its expiry in the browser stays where their last signed-in page put it."""
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        response.cookies.pop(name, None)
    if response.has_header("Vary"):
        kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        else:
            del response["Vary"]


def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
    if settings.SESSION_COOKIE_NAME in response.cookies:
        return True
    if response.status_code >= 500:
        # Error pages are rendered without the request, so show nothing of the user's; and
        # asking who the user is could ask a database that has just failed.
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except when the database refuses to write the session's row.

    Django turns any failure to update that row into SessionInterrupted, a 400 meant for a
    session deleted meanwhile (signed out in another tab). When the database itself refuses
    the write (the table locked, the disk full, the connection lost), its own error is raised
    instead, for the 500 handler (strategy_tracker.database_errors.server_error): the 503
    page for a database that cannot be reached or written, the 500 page for anything else.

    That page says nothing was saved, so no form is acted on with a session that cannot be
    written: before a POST (or any unsafe method) reaches its view, its session is saved. A
    GET changes nothing, so its session is saved afterwards, as Django does.
    """

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        # keys() loads the session; one that has expired or never existed is empty.
        if request.method in SAFE_METHODS or not request.session.keys():
            return
        try:
            request.session.save()
            return
        except UpdateError as error:
            refusal = _refusal(error)
        # Raised outside the except block, so the log shows the database's own error.
        raise refusal or SessionInterrupted(
            "The request's session was deleted before its view ran. The user may have "
            "signed out in a concurrent request, for example."
        )

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except SessionInterrupted as interrupted:
            refusal = _refusal(interrupted.__context__)
            if refusal is None:
                raise
        raise refusal


def _refusal(update_error: BaseException | None) -> BaseException | None:
    """The database's own error behind Django's UpdateError, if the database refused to
    write the row; None if the row was gone."""
    error = getattr(update_error, "__context__", None)
    return error if isinstance(error, _REFUSALS) else None
