"""Test settings: the real settings, made fast and safe for tests.

DATABASE_URL comes from the environment (`make test` points it at PostgreSQL).
"""

import os

# The sync Playwright API runs an event loop in the test thread; the ORM calls that browser
# tests make between page actions are still synchronous, so Django's async guard is relaxed
# here, and only here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from strategy_tracker.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as runserver does; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
