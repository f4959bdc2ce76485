"""Passwords as a way in, unless they are switched off (LOCAL_PASSWORDS=false): then no
password signs anyone in anywhere (the sign-in page, the Django admin's), and people sign in
through their organisation (sso/). An account linked to the organisation's provider signs
in only through it while sign-on is configured: the provider vouches for the person and
decides their roles, and a password of ours would outlast both."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


def sign_on_configured() -> bool:
    return bool(settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID)


def signs_in_with_provider(user) -> bool:
    """Linked to the provider (sso/'s ProviderAccount), which is configured."""
    if not sign_on_configured():
        return False
    return type(user)._default_manager.filter(pk=user.pk, provider_account__isnull=False).exists()


class PasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            return None
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None and signs_in_with_provider(user):
            return None
        return user

    def get_all_permissions(self, user_obj, obj=None):
        """None from here, so none from has_perm: RolePermissions reads a person's own
        permissions with their roles', in one query (strategy_tracker/roles.py)."""
        return set()

    def _get_group_permissions(self, user_obj):
        """None: the only groups are the role groups, whose permissions come with a role held
        in an organisation (strategy_tracker/roles.py), never with a group joined directly.
        (ModelBackend.with_perm, which nothing here calls, still counts a group's members.)"""
        return Permission.objects.none()
