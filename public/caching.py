"""Public pages are the same for everyone, so a proxy or browser may keep them: each says so
(Cache-Control: public), carries an ETag hashed from what it is drawn from (the closed
quarters, the publication's and organisation's choices, the strategy's details and
structure, the software's release), answers a matching If-None-Match with 304 before any
rendering, and never sets a cookie
(strategy_tracker/sessions.py strips any for a response marked `is_public`)."""

import hashlib
from functools import cache, wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Max
from django.http import HttpRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from objectives.models import Strategy
from public.models import Publication
from public.pages import published_for

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

        # Only GET and HEAD reach the view, which writes nothing: any other method gets 405,
        # not the CSRF check's 403.
        return login_not_required(csrf_exempt(require_safe(wrapped)))

    return decorator


def strategy_etag(request: HttpRequest, slug: str, **kwargs) -> str:
    """Everything a public page of the strategy is drawn from but its quarters' snapshots
    (written once, at close), hashed: 404 if the strategy is not public."""
    public = published_for(request, slug)  # the page is drawn from the same rows
    strategy, open_data = public.strategy, public.open_data
    parts = [
        software_edition(),
        request.path,
        public.publication.publish_commentary,
        sorted(public.hidden),  # the private items and what sits under them
        (open_data.licence, open_data.show_owner_job_titles),
        strategy.organisation.name,
        sorted((p.pk, p.closed_at) for p in public.periods()),
        # The strategy's own details (title, period, vision), and, where items are private,
        # the structure that says what sits under them.
        Strategy.history.filter(id=strategy.pk).aggregate(last=Max("history_date"))["last"],
        _items_changed(strategy) if public.hidden else None,
    ]
    return _hashed(parts)


def _items_changed(strategy: Strategy):
    """When its priorities and objectives last changed (moved, archived, retitled): what hides
    or shows the items under a private one. Which items sit under a private one is in the
    tag already (the hidden items), so a milestone or measure moved under one or out of it
    changes the tag too."""
    from objectives.models import Objective, Priority

    return [
        Priority.history.filter(strategy_id=strategy.pk).aggregate(last=Max("history_date")),
        Objective.history.filter(priority__strategy=strategy.pk).aggregate(
            last=Max("history_date")
        ),
    ]


def index_etag(request: HttpRequest) -> str:
    """The list of public strategies: which they are, their titles and organisations."""
    shown = Publication.objects.public().order_by("pk")
    parts = [
        software_edition(),
        list(
            shown.values_list(
                "strategy__slug",
                "strategy__title",
                "strategy__organisation__name",
                "strategy__illustrative",
            )
        ),
    ]
    return _hashed(parts)


def _hashed(parts: list) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@cache
def software_edition() -> float:
    """When the project's own code and templates last changed, read once a process (a new
    release changes every page's tag, so no kept copy outlives the templates it was drawn
    with). Installed packages are left out; a release that keeps files' times should set
    none of them older."""
    base = Path(settings.BASE_DIR)
    ours = [
        Path(app.path)
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(base) and "site-packages" not in Path(app.path).parts
    ]
    return max(
        path.stat().st_mtime
        for root in [*ours, base / "templates"]
        for path in root.rglob("*")
        if path.suffix in (".py", ".html")
    )
