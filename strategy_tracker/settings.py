"""Settings for Strategy Tracker, read from the environment (see README, "Configuration").

With nothing set, the app runs locally: SQLite in a file beside manage.py and DEBUG on.
With DEBUG off it refuses to start without a SECRET_KEY, and turns on the HTTPS protections.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is optional and never committed; the environment wins over it.
env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

# An insecure key is only acceptable for a developer's own machine.
_DEV_SECRET_KEY = "django-insecure-local-development-only"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_tables2",
    "django_filters",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "strategy_tracker",
    "objectives",
    "milestones",
    "measures",
    "reporting",
    "editor",
    "sso",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "public",
    "risks",
]

MIDDLEWARE = [
    "strategy_tracker.request_log.RequestLogMiddleware",
    # Outside every middleware that answers by itself (a body too large, the database gone),
    # so those answers carry the security headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a body (the CSRF check does): refuses one larger than any the
    # app accepts, unread.
    "strategy_tracker.request_limits.RequestSizeLimitMiddleware",
    "strategy_tracker.database_errors.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files stay cacheable: Cache-Control: no-store on every
    # response to someone signed in or setting a session.
    "strategy_tracker.sessions.NoStoreMiddleware",
    # Django's, but a session the database will not write gets the 503 page, not a 400.
    "strategy_tracker.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page requires login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside auth and messages, so the page it gives an empty 405 has the full layout.
    "strategy_tracker.error_pages.MethodNotAllowedPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategy_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "strategy_tracker.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "strategy_tracker.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A connection kept between requests is checked before its next request uses it, so one the
# database dropped (a restart, a failover) costs a reconnect, not a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# SQLite (`make run`) with several people at once and the task worker beside it: a write
# takes the lock when its transaction begins, and waits its turn for up to 20 s. A transaction
# that read first and wrote second failed at once with "database is locked" when another
# wrote meanwhile. Readers go on while someone writes (WAL).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS | DATABASES["default"].get("OPTIONS", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "strategy_tracker.staticfinders.PlotlyJsFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Sessions live in the database so any number of app servers can share them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# A shared ward or office PC: closing the browser signs out (the cookie has no expiry of its
# own); the server still ends a session after SESSION_COOKIE_AGE without a request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

# HTTPS protections: on whenever DEBUG is off, each overridable for an unusual deployment.
SECURE_PROXY_SSL_HEADER = (
    tuple(env.list("SECURE_PROXY_SSL_HEADER"))
    if env.str("SECURE_PROXY_SSL_HEADER", default="")
    else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
# HSTS for every subdomain, and a place on the browsers' preload list (which takes months to
# leave), bind every host of the trust's or council's domain, not only this app's: opt-in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# check --deploy warns whenever those two are off (W005, W021); off is the deliberate default,
# so those two warnings are silenced. HSTS itself stays checked (W004).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's CSRF failure page has no link back to the form (strategy_tracker/error_pages.py).
CSRF_FAILURE_VIEW = "strategy_tracker.error_pages.csrf_failure"

# Content-Security-Policy (django-csp): everything from our own origin, no inline script,
# nothing from any other origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # No inline styles: the pages that draw plotly.js charts allow them for the charts'
        # own (strategy_tracker/chart_policy.py).
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Single sign-on through the organisation's own accounts (OpenID Connect; sso/). Off unless
# OIDC_DISCOVERY_URL and OIDC_CLIENT_ID are set. README: "Single sign-on".
OIDC_DISCOVERY_URL = env("OIDC_DISCOVERY_URL", default="")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your organisation's account")
OIDC_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
# Only these e-mail domains may sign in through the provider (empty: any it vouches for).
OIDC_ALLOWED_DOMAINS = [
    d.strip().lower() for d in env.list("OIDC_ALLOWED_DOMAINS", default=[]) if d.strip()
]
# A first sign-in creates an account only when a provider group gives it a role, unless this
# is on (an Admin then grants roles): otherwise anyone the provider vouches for could read.
OIDC_CREATE_USERS_WITHOUT_ROLE = env.bool("OIDC_CREATE_USERS_WITHOUT_ROLE", default=False)
# Entra ID sends no email_verified claim: turn this off there and rely on the tenant's
# verified domains and OIDC_ALLOWED_DOMAINS.
OIDC_REQUIRE_VERIFIED_EMAIL = env.bool("OIDC_REQUIRE_VERIFIED_EMAIL", default=True)
OIDC_CLOCK_LEEWAY_S = env.int("OIDC_CLOCK_LEEWAY_S", default=60)
OIDC_TIMEOUT_S = env.int("OIDC_TIMEOUT_S", default=10)
# Passwords stay available unless switched off (then only the provider signs people in).
LOCAL_PASSWORDS = env.bool("LOCAL_PASSWORDS", default=True)

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out person is refused before their password is checked.
    "axes.backends.AxesStandaloneBackend",
    "strategy_tracker.passwords.PasswordBackend",
    # Each role held in some organisation gives its permissions (strategy_tracker/roles.py).
    "strategy_tracker.roles.RolePermissions",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
# Lock the username from that address, so one office behind one address is not locked out
# together by one person's mistakes.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a proxy, the client's address is read from X-Forwarded-For, but only on requests
# from these proxy addresses (strategy_tracker/client_ip.py, which says why not axes' ipware
# settings). Read it with axes.helpers.get_client_ip_address, as the reset limit does.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "strategy_tracker.client_ip.client_ip"
# Passwords (strategy_tracker/accounts.py). A reset link works once, for this long. Reset
# requests are limited per client address and per address typed, so nobody can flood an inbox.
# The password change form's fields are never stored with a failed attempt.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_HOURS", default=24) * 60 * 60
PASSWORD_RESET_REQUESTS_PER_HOUR = env.int("PASSWORD_RESET_REQUESTS_PER_HOUR", default=5)
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]

# Sessions end after this much inactivity: each request renews the expiry.
SESSION_SAVE_EVERY_REQUEST = True

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="strategy-tracker@localhost")

# Where the app is served, for links in emails.
# Without a "/" at its end, so that SITE_URL + "/path/" is an address that works.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# A milestone not updated for this many days is flagged "needs an update" and reminded.
MILESTONE_UPDATE_INTERVAL_DAYS = env.int("MILESTONE_UPDATE_INTERVAL_DAYS", default=30)

# A reporting period opens this many days before its quarter ends, and closes this many days
# after it (the grace period). Each period's own dates can be changed by an Admin.
REPORTING_OPENS_DAYS_BEFORE_END = env.int("REPORTING_OPENS_DAYS_BEFORE_END", default=14)
REPORTING_GRACE_DAYS = env.int("REPORTING_GRACE_DAYS", default=21)

# Background work (reporting/tasks.py) is queued in the app's own database and run by
# `manage.py db_worker`: no other server. make run starts one; production runs one beside
# gunicorn (deploy/strategy-tracker-worker.service).
# The headless Chromium that prints board reports as PDF (reporting/pdf.py); make run, make
# serve and make worker install Debian's (scripts/ensure_pdf_printer.sh).
PDF_BROWSER = env.str("PDF_BROWSER", default="/usr/bin/chromium")
PDF_PRINTS_AT_ONCE = env.int("PDF_PRINTS_AT_ONCE", default=2)  # per web process

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Making Data Count run lengths for SPC signals: 6, 7 or 8 points.
SPC_SHIFT_LENGTH = env.int("SPC_SHIFT_LENGTH", default=7)
SPC_TREND_LENGTH = env.int("SPC_TREND_LENGTH", default=7)

# Where national indicators' figures are fetched from (measures/fingertips.py).
FINGERTIPS_API_URL = env.str("FINGERTIPS_API_URL", default="https://fingertips.phe.org.uk/api/")

# The largest CSV of figures an admin may upload.
MEASURE_IMPORT_MAX_BYTES = env.int("MEASURE_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# Rows a CSV of figures may have: any file accepted previews and imports well inside the
# web server's 60 s timeout (measured in README, "Admins: importing quarterly figures").
MEASURE_IMPORT_MAX_ROWS = env.int("MEASURE_IMPORT_MAX_ROWS", default=100_000)
# The largest strategy workbook (.xlsx) or CSV of items an Admin may upload (editor/).
WORKBOOK_MAX_BYTES = env.int("WORKBOOK_MAX_BYTES", default=10 * 1024 * 1024)
# Item rows a strategy workbook may have; the largest real strategies have a few hundred.
WORKBOOK_MAX_ROWS = env.int("WORKBOOK_MAX_ROWS", default=10_000)
# An uploaded file not imported within this many hours is deleted; imported ones are kept.
MEASURE_IMPORT_UNCONFIRMED_HOURS = env.int("MEASURE_IMPORT_UNCONFIRMED_HOURS", default=48)
# The largest request body the app reads: the largest CSV, or a form as large as Django
# accepts (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB), with 1 MB to spare for the rest of the form.
# Anything larger is refused unread (strategy_tracker/request_limits.py); set the proxy's
# body limit to it (README, "Running in production").
REQUEST_MAX_BYTES = max(MEASURE_IMPORT_MAX_BYTES, WORKBOOK_MAX_BYTES, 2_621_440) + 1024 * 1024
# A lead's quarterly return posts 4–5 fields for each of their open milestones: room for
# about 2,000 (Django's default of 1,000 fields refused a return of 250 with nothing saved).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# So an upload the app accepts is held in memory, never spooled to one server's /tmp.
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES

# A change's reason (an SPC rebase's why, the delegates before and after) is kept in full:
# the default 100-character column made ordinary Admin actions fail on PostgreSQL.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# "Revert" from the admin's history would bypass the rules every edit follows.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Anyone with staff access could otherwise import through the Django admin.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "loggers": {
        # One JSON line per request (strategy_tracker/request_log.py); runserver's own
        # request lines would repeat it.
        "strategy_tracker.requests": {
            "handlers": ["requests"],
            "level": env.str("REQUEST_LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        # Server errors with their tracebacks. A refused or missing page is a line of the
        # request log above, with its status and who asked: Django's own warning for it
        # added a traceback that hid the real ones.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # django-axes reports every sign-in at INFO; lockouts, at WARNING, are what matter.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The read API (api/): tokens only, read-only, paginated and rate-limited per person.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        # The signed-in session too, so the API can be browsed from the app.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.NamedFormats",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_RATE", default="600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Strategy Tracker read API",
    "VERSION": "1",
    "DESCRIPTION": "Read what your account may read: organisations, strategies, priorities, "
    "objectives, milestones, measures, their values, and closed quarters as recorded "
    "(snapshots). Send `Authorization: Bearer <key>` with a key from your API tokens page.",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The browsable documentation (/api/v1/docs/) is served from this server, never a CDN:
    # drf-spectacular-sidecar ships Swagger UI, and the split view keeps its script out of
    # the page, so the Content-Security-Policy holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No link inside each operation's button (a control within a control, and a 14 px target:
    # WCAG 4.1.2, 2.5.8); an operation is still opened by its button.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
}
