"""Who may build and edit strategies: Admins, checked on the server for every page and every
write. Everyone else gets a refusal that says why."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from strategy_tracker.roles import is_admin

REFUSAL = (
    "Only Admins build and edit strategies. Your account can read published strategies; "
    "ask an Admin if something in one needs changing."
)


def admins_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("objectives.change_strategy") or not is_admin(request.user):
            raise PermissionDenied(REFUSAL)
        return view(request, *args, **kwargs)

    return checked
