"""Settings are read once at start-up, so each case runs in a fresh Python process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# A Python process each: `make test` and CI run them, `make test-fast` does not.
pytestmark = pytest.mark.slow
BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "off",
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-key-for-the-test-only",
    "DATABASE_URL": "postgres://tracker:pw@db.internal:5432/tracker",
    "ALLOWED_HOSTS": "tracker.example.nhs.uk,localhost",
    "CSRF_TRUSTED_ORIGINS": "https://tracker.example.nhs.uk",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]), "HOST": db.get("HOST", ""),
    "OPTIONS": db.get("OPTIONS", {}),
    "CONN_MAX_AGE": db["CONN_MAX_AGE"], "CONN_HEALTH_CHECKS": db["CONN_HEALTH_CHECKS"],
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_HSTS_PRELOAD": settings.SECURE_HSTS_PRELOAD,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def _run(code_or_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test process relaxes the async guard for Playwright; a real deployment does not.
    skip = set(PRODUCTION_ENV) | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in skip}
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "strategy_tracker.settings", "ENV_FILE": os.devnull} | env
    )
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(env: dict[str, str]) -> dict:
    result = _run(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_nothing_set_it_runs_locally_on_sqlite_with_debug_on():
    settings = _settings({})
    assert settings["DEBUG"] is True
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(BASE_DIR / "db.sqlite3")
    # Writers wait their turn (strategy_tracker/tests/test_sqlite_concurrency.py).
    assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings["SECURE_SSL_REDIRECT"] is False


def test_it_refuses_to_start_with_debug_off_and_no_secret_key():
    result = _run(["-c", PRINT_SETTINGS], {"DEBUG": "off"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_come_from_the_environment():
    settings = _settings(PRODUCTION_ENV)
    assert settings["DEBUG"] is False
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert settings["HOST"] == "db.internal"
    assert settings["NAME"] == "tracker"
    assert "transaction_mode" not in settings["OPTIONS"]  # SQLite's alone
    assert settings["ALLOWED_HOSTS"] == ["tracker.example.nhs.uk", "localhost"]
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://tracker.example.nhs.uk"]
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= 31536000
    # The trust's other hosts and the browsers' preload list are not this app's to decide.
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert settings["SECURE_HSTS_PRELOAD"] is False
    assert settings["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_database_connections_are_kept_only_when_asked_and_checked_before_reuse():
    assert _settings(PRODUCTION_ENV)["CONN_MAX_AGE"] == 0  # a connection for each request
    kept = _settings(PRODUCTION_ENV | {"CONN_MAX_AGE": "60"})
    assert kept["CONN_MAX_AGE"] == 60
    assert kept["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("debug", ["off", "false", "0"])
def test_every_usual_spelling_of_off_turns_debug_off(debug):
    assert _settings(PRODUCTION_ENV | {"DEBUG": debug})["DEBUG"] is False


def test_the_deployment_checklist_passes_with_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_for_subdomains_and_the_preload_list_are_opt_in():
    opted_in = PRODUCTION_ENV | {
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "on",
        "SECURE_HSTS_PRELOAD": "on",
    }
    settings = _settings(opted_in)
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_HSTS_PRELOAD"] is True
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], opted_in)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checklist_still_requires_hsts():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        PRODUCTION_ENV | {"SECURE_HSTS_SECONDS": "0"},
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_the_deployment_checklist_fails_when_debug_is_left_on():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        PRODUCTION_ENV | {"DEBUG": "on"},
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr
