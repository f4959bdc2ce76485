"""Passwords as a way in, unless they are switched off (LOCAL_PASSWORDS=false): then no
password signs anyone in anywhere (the sign-in page, the Django admin's), and people sign in
through their organisation (sso/)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            return None
        return super().authenticate(request, username, password, **kwargs)
