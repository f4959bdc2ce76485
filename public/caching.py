"""Public pages are the same for everyone, so a proxy or browser may keep them: each says so
(Cache-Control: public), carries an ETag that changes whenever what it shows could (a quarter
closed, a publication or open-data choice, the strategy's own details), answers a matching
If-None-Match with 304 before any rendering, and never sets a cookie
(strategy_tracker/sessions.py strips any for a response marked `is_public`)."""

import hashlib
from functools import cache, wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from objectives.models import Strategy
from public.models import OpenData, Publication
from reporting.models import PeriodState, ReportingPeriod

MAX_AGE_S = 300  # how stale a kept copy may be: an unpublished strategy is gone within it


def public_page(etag_func=None):
    """A view anyone may read (GET and HEAD), cacheable, with no cookie; with an ETag from
    `etag_func(request, *args, **kwargs)` if given."""

    def decorator(view):
        conditional = condition(etag_func=etag_func)(view) if etag_func else view

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if response.status_code in (200, 304):
                patch_cache_control(response, public=True, max_age=MAX_AGE_S)
            response.is_public = True
            return response

        return login_not_required(require_safe(wrapped))

    return decorator


def strategy_etag(request, slug: str, **kwargs) -> str:
    """What every public page of the strategy depends on, hashed; 404 if it is not public."""
    publication = Publication.objects.public().filter(strategy__slug=slug).first()
    if publication is None:
        raise Http404("No strategy is published to the public at this address.")
    strategy_id = publication.strategy_id
    closed = ReportingPeriod.objects.filter(
        strategy_id=strategy_id, state=PeriodState.CLOSED
    ).aggregate(n=Count("id"), last=Max("closed_at"))
    edited = Strategy.history.filter(id=strategy_id).aggregate(last=Max("history_date"))
    open_data = OpenData.objects.filter(organisation__strategies=strategy_id).values_list(
        "changed_at", flat=True
    )
    parts = [
        software_edition(),
        strategy_id,
        publication.changed_at,
        closed["n"],
        closed["last"],
        edited["last"],
        *open_data,
        request.path,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def index_etag(request) -> str:
    """The list of public strategies: which are public, and their titles."""
    public = Publication.objects.public().aggregate(n=Count("id"), last=Max("changed_at"))
    edited = Strategy.history.aggregate(last=Max("history_date"))
    parts = [software_edition(), public["n"], public["last"], edited["last"]]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@cache
def software_edition() -> float:
    """When the project's code and templates were last changed, read once a process: a new
    release changes every page's tag, so no kept copy outlives the templates it was drawn
    with."""
    base = Path(settings.BASE_DIR)
    ours = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).is_relative_to(base)]
    return max(
        path.stat().st_mtime
        for root in [*ours, base / "templates"]
        for path in root.rglob("*")
        if path.suffix in (".py", ".html")
    )
