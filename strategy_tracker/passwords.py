"""Passwords as a way in, unless they are switched off (LOCAL_PASSWORDS=false): then no
password signs anyone in anywhere (the sign-in page, the Django admin's), and people sign in
through their organisation (sso/)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class PasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            return None
        return super().authenticate(request, username, password, **kwargs)

    def get_all_permissions(self, user_obj, obj=None):
        """None from here, so none from has_perm: RolePermissions reads a person's own
        permissions with their roles', in one query (strategy_tracker/roles.py)."""
        return set()

    def _get_group_permissions(self, user_obj):
        """None: the only groups are the role groups, whose permissions come with a role held
        in an organisation (strategy_tracker/roles.py), never with a group joined directly.
        (ModelBackend.with_perm, which nothing here calls, still counts a group's members.)"""
        return Permission.objects.none()
