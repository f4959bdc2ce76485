from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from objectives.models import Strategy


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 only when the database answers. Also the benchmark's floor: one indexed query,
    a tiny template, the same middleware as every page."""
    try:
        Strategy.objects.filter(pk=1).exists()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return render(request, "healthz.txt", content_type="text/plain")


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and tools that ask /favicon.ico (every page names favicon.svg) get the SVG, not
    a 404 in the logs. Not permanent: the file's hashed name changes with its content."""
    return redirect(static("favicon.svg"))
