"""Rendered page bodies cached under the data's version (strategy_tracker.data_version).

A body is worked out once per version of the data, date and query string, and shared by
everyone who asks until anything shown on it changes. A body with anything personal in it
is keyed by its user as well.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from strategy_tracker.data_version import data_version

TIMEOUT_S = 3600


def cached_body(
    request: HttpRequest,
    template: str,
    make_context: Callable[[], dict],
    extra_key: str = "",
    *,
    version: str | None = None,
    path: str | None = None,
    query: str | None = None,
) -> SafeString:
    """The rendered body, from the cache or made now. `extra_key` separates bodies that
    differ by more than the address, the date and the data (a user's own list, what a
    permission shows). `version`: the data version read before anything the body shows was
    fetched, when the caller fetched some of it first. `path` and `query` default to the
    request's; a body the same on every page, or for any query string, says so."""
    key = ":".join(
        [
            "body",
            template,
            request.path if path is None else path,
            request.GET.urlencode() if query is None else query,
            timezone.localdate().isoformat(),
            data_version() if version is None else version,
            extra_key,
        ]
    )
    # Hashed: a query string can be any length, and a cache key may not.
    key = "body:" + hashlib.sha256(key.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = render_to_string(template, make_context(), request=request)
        cache.set(key, body, TIMEOUT_S)
    return mark_safe(body)  # noqa: S308 - our own rendered, escaped template
