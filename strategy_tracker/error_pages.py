"""Error pages in the site's layout that say why, what to do, and link back (issue 14).

Django's own handlers render 403.html and 404.html but give the template nothing to link
back with, and a wrong method gets an empty 405. These add a safe link: only ever a path on
this site, taken from a same-origin Referer, so no page can be made to send anyone elsewhere.
500.html stays Django's (strategy_tracker.database_errors.server_error): it is rendered
without the request, so it needs neither the user nor the database.
"""

import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.exceptions import DisallowedHost, PermissionDenied, RequestDataTooBig
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
)
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

from strategy_tracker.visible_text import printable


def back_url(request: HttpRequest) -> str | None:
    """The page the user came from, as a path on this site, or None."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    parts = urlsplit(referer)
    if parts.scheme != request.scheme or parts.netloc != host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    # A same-origin Referer can still carry a path such as "//evil.example/" or "/\evil",
    # which a browser would read as another site: Django's check refuses those.
    if not path.startswith("/") or not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return None
    if parts.path == request.path:  # a link back to this same refusal would go nowhere
        return None
    return path


class NobodyMay(PermissionDenied):
    """Refused whoever asks (a closed strategy is kept as it was): the page does not suggest
    asking for access, which would not help. `typed`: what was typed into the refused form,
    as (label, text) pairs (strategy_tracker.forms.typed_texts), shown back to copy."""

    def __init__(self, message: str, typed: list[tuple[str, str]] = ()):
        super().__init__(message)
        self.typed = list(typed)


@requires_csrf_token
def permission_denied(
    request: HttpRequest, exception: Exception, template_name: str = "403.html"
) -> HttpResponse:
    """handler403: as Django's, plus the link back."""
    context = {
        "exception": str(exception),
        "back_url": back_url(request),
        "nobody_may": isinstance(exception, NobodyMay),
        "typed": getattr(exception, "typed", None) or what_was_sent(request),
    }
    return HttpResponseForbidden(render_to_string(template_name, context, request))


# What a form sends that nobody typed: its check values, ids and choices, the formsets'
# counts; never a password or a key.
_NOT_TYPED_NAMES = re.compile(
    r"(?:csrfmiddlewaretoken|seen|version|next|to|final|direction|dates_for|item|item_id|"
    r"period|shown|restatements_\w+|read_\w*|_\w+|\w*(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS|"
    r"id|DELETE|\w*password\w*|\w*token\w*|\w*key\w*)",
    re.IGNORECASE,
)
_CHOICE_OR_ID = re.compile(r"[a-z_]{1,20}|\d+")


def what_was_sent(request: HttpRequest) -> list[tuple[str, str]]:
    """For a form refused with a 403 or 404 (a role taken away, an item gone, while the
    page was open): the text it carried, by its field's name, to show back to copy rather
    than lose. A view that knows its form's labels passes them on the exception instead."""
    if request.method != "POST" or not getattr(request, "csrf_processing_done", False):
        # Only a post a page of this site sent: an address that matches no page is answered
        # before the CSRF check, and another site could have it show its words.
        return []
    try:
        posted = request.POST
    except Exception:  # noqa: BLE001 - a body that cannot be read has nothing to show back
        return []
    sent = []
    for name in posted:
        field = name.rpartition("-")[2]  # a formset's "rows-3-commentary"
        if _NOT_TYPED_NAMES.fullmatch(field) or _NOT_TYPED_NAMES.fullmatch(name):
            continue
        for value in posted.getlist(name):
            text = printable(str(value)).strip()
            if text and not _CHOICE_OR_ID.fullmatch(text):
                sent.append((field.replace("_", " ").capitalize(), text))
    return sent


@requires_csrf_token
def page_not_found(
    request: HttpRequest, exception: Exception, template_name: str = "404.html"
) -> HttpResponse:
    """handler404: as Django's, without the exception's text (it names models), plus the
    link back."""
    context = {
        "request_path": quote(request.path),
        "back_url": back_url(request),
        "typed": what_was_sent(request),
    }
    return HttpResponseNotFound(render_to_string(template_name, context, request))


def bad_request(
    request: HttpRequest, exception: Exception, template_name: str = "400.html"
) -> HttpResponse:
    """handler400, rendered without the request as Django's is (its session may be what
    failed): says why where it can, a form's text over DATA_UPLOAD_MAX_MEMORY_SIZE or a
    session ended in another tab."""
    context = {
        "too_much": isinstance(exception, RequestDataTooBig),
        "session_ended": isinstance(exception, SessionInterrupted),
    }
    return HttpResponseBadRequest(render_to_string(template_name, context))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's gives 403_csrf.html no link back to the form."""
    context = {"back_url": back_url(request), "no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return HttpResponseForbidden(render_to_string("403_csrf.html", context, request))


def _page_for(request: HttpRequest, allowed: set[str]) -> str | None:
    """The page a wrong-method address belongs to: itself if it can be read, else its parent
    (…/milestones/5/update/ belongs to …/milestones/5/), when that is a page of this site."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return None  # nothing about the site's addresses for someone not signed in
    if "GET" in allowed:
        return request.path
    parent = request.path.rstrip("/").rpartition("/")[0] + "/"
    try:
        resolve(parent)
    except Resolver404:
        return None
    return parent


class MethodNotAllowedPageMiddleware:
    """require_GET, require_POST and class-based views answer a wrong method with an empty
    405. This gives it the explanatory page, keeping the status and the Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        allowed = {m.strip().upper() for m in response.get("Allow", "").split(",") if m.strip()}
        context = {"form_only": "GET" not in allowed, "page_url": _page_for(request, allowed)}
        response.content = render_to_string("405.html", context, request)
        response["Content-Type"] = "text/html; charset=utf-8"
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
