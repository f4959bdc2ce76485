"""Rendered page bodies cached under the data's version (strategy_tracker.data_version).

A body is worked out once per version of the data, date and query string, and shared by
everyone who asks until anything shown on it changes. Only bodies with nothing personal in
them are cached this way.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from strategy_tracker.data_version import data_version

TIMEOUT_S = 3600


def cached_body(
    request: HttpRequest, template: str, make_context: Callable[[], dict]
) -> SafeString:
    key = ":".join(
        [
            "body",
            template,
            request.path,
            request.GET.urlencode(),
            timezone.localdate().isoformat(),
            data_version(),
        ]
    )
    body = cache.get(key)
    if body is None:
        body = render_to_string(template, make_context(), request=request)
        cache.set(key, body, TIMEOUT_S)
    return mark_safe(body)  # noqa: S308 - our own rendered, escaped template
