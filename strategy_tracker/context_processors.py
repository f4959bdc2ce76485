from django.http import HttpRequest

from strategy_tracker.roles import user_roles


def roles(request: HttpRequest) -> dict:
    """The signed-in user's roles, for showing or hiding links (never for access checks)."""
    user_role_names = user_roles(request.user) if hasattr(request, "user") else set()
    return {"user_roles": sorted(user_role_names)}
