from functools import partial

from axes.helpers import get_cool_off
from django.http import HttpRequest

from strategy_tracker.accounts import duration_in_words, password_change_offered
from strategy_tracker.roles import user_roles


def roles(request: HttpRequest) -> dict:
    """The signed-in user's roles and whether to offer them Change password, for showing or
    hiding links (never for access checks); and how long a sign-in lockout lasts, in words,
    for the lockout page. The last two are worked out only where a page asks."""
    user_role_names = user_roles(request.user) if hasattr(request, "user") else set()
    return {
        "user_roles": sorted(user_role_names),
        "password_change_offered": partial(password_change_offered, request),
        "lockout_length": partial(_lockout_length, request),
    }


def _lockout_length(request: HttpRequest) -> str:
    """AXES_COOLOFF_HOURS as django-axes reads it: "30 minutes"; "" when a lock has no end."""
    cool_off = get_cool_off(request)
    return duration_in_words(cool_off.total_seconds()) if cool_off else ""
