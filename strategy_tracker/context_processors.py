from functools import partial

from django.http import HttpRequest

from strategy_tracker.accounts import password_change_offered
from strategy_tracker.roles import user_roles


def roles(request: HttpRequest) -> dict:
    """The signed-in user's roles and whether to offer them Change password, for showing or
    hiding links (never for access checks); the last is worked out only where a page asks."""
    user_role_names = user_roles(request.user) if hasattr(request, "user") else set()
    return {
        "user_roles": sorted(user_role_names),
        "password_change_offered": partial(password_change_offered, request),
    }
