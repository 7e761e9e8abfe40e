"""Settings for onestop, read from the environment (see README "Settings" and .env.example).

Unset variables fall back to an embedded development set-up: a SQLite file in the project folder
and a Celery broker on the local filesystem, so ``make run`` needs no server. Setting
``DATABASE_URL`` and ``REDIS_URL`` switches to PostgreSQL and Redis.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from onestop.beat import beat_schedule
from onestop.databases import databases, routers
from onestop.log_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ONESTOP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEFAULT_SECRET_KEY = "insecure-development-key-change-me"

ONESTOP_ENV = env.str("ONESTOP_ENV", default="development")
IS_PRODUCTION = ONESTOP_ENV == "production"
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
# The test client's "testserver" is added by Django's test set-up itself, never here.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# What Django's own check (security.W009) asks of a production key.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def check_production_settings(*, is_production: bool, secret_key: str, debug: bool) -> None:
    """Refuse a production start with a development or short secret key, or with DEBUG on."""
    if not is_production:
        return
    if not secret_key or secret_key == DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured("ONESTOP_ENV=production needs SECRET_KEY set to a secret value.")
    if len(secret_key) < SECRET_KEY_MIN_LENGTH or len(set(secret_key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"ONESTOP_ENV=production needs a SECRET_KEY of at least {SECRET_KEY_MIN_LENGTH} random "
            "characters, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if debug:
        raise ImproperlyConfigured("ONESTOP_ENV=production refuses to start with DEBUG on.")


check_production_settings(is_production=IS_PRODUCTION, secret_key=SECRET_KEY, debug=DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viewflow",
    "viewflow.workflow",
    "core",
    "procedures",
    "workflows",
    "api",
    # Reports (issue 7): statistics for leadership, no models.
    "reports",
    "printing",  # printed forms (issue 12): receipt, official forms and the tracking book as PDF
    # The staff web UI and the citizen's public status page (server-rendered templates).
    "staffui",
    "citizen",
    # --- leadership dashboard (branch citizen, issue 13): /dashboard/ ---
    "leadership",
    "periodic",  # periodic report packages (issue 16): quarter, six months, year
    "benchseed",  # manage.py seed_bench: a province's history for the benchmarks (issue 14)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",  # README "Production": the pages' CSP
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "onestop.urls"
WSGI_APPLICATION = "onestop.wsgi.application"

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
                "django.template.context_processors.i18n",
                "staffui.context.nav",
            ],
        },
    },
]

# Database: a SQLite file by default, PostgreSQL (or any Django URL) when DATABASE_URL is set; with
# DATABASE_REPLICA_URL, reports read from that streaming replica (core/dbrouter.py, docs/SIZING.md).
DATABASES = databases(
    default_url=env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    replica_url=env.str("DATABASE_REPLICA_URL", default=""),
    conn_max_age=env.int("CONN_MAX_AGE", default=60),
    prepared_statements=env.bool("ONESTOP_PREPARED_STATEMENTS", default=True),
    server_side_binding=env.bool("ONESTOP_SERVER_SIDE_BINDING", default=False),
)
DATABASE_ROUTERS = routers(DATABASES)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Vietnamese number formats (1.234.567,5) in templates; dates on staff pages are dd/mm/yyyy HH:mm.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["staffui.formats"]

# The staff UI's session login (staffui): Django's auth views at /login/ and /logout/.
LOGIN_URL = "staffui:login"
LOGIN_REDIRECT_URL = "staffui:home"
LOGOUT_REDIRECT_URL = "staffui:login"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Redis serves the Celery broker, the result backend and the cache when REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    for _folder in (_queue_dir, _processed_dir, VAR_DIR / "celery" / "results"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Redis down must not stop the desk (core/outage.py): short timeouts, no connection or publish
# retry loop in a request; the outbox re-queues what could not be queued once the broker is back.
ONESTOP_REDIS_TIMEOUT = env.float("ONESTOP_REDIS_TIMEOUT", default=0.5)
ONESTOP_REDIS_RETRY_SECONDS = env.float("ONESTOP_REDIS_RETRY_SECONDS", default=5.0)
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = ONESTOP_REDIS_TIMEOUT


def redis_broker_options(timeout: float) -> dict:
    """Transport options of a Redis broker: a producer connects once (the worker's consumer has
    its own retry loop), with short socket timeouts."""
    return {
        "visibility_timeout": 3600,
        "max_retries": 0,
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
    }


def redis_cache(url: str, timeout: float) -> dict:
    """Django's Redis cache at ``url`` with short socket timeouts."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
    }


if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = redis_broker_options(ONESTOP_REDIS_TIMEOUT)

if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL, ONESTOP_REDIS_TIMEOUT)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.StaffTokenAuthentication",  # with the user's agency in the same query
        "rest_framework.authentication.SessionAuthentication",
    ],
    # How many proxies in front of the app add X-Forwarded-For: 0 keys rate limits on the peer
    # address (a client cannot forge it); behind one TLS proxy set 1.
    "NUM_PROXIES": env.int("ONESTOP_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "public": env.str("ONESTOP_PUBLIC_RATE", default="60/minute"),
        "auth": env.str("ONESTOP_AUTH_RATE", default="20/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "onestop API",
    "DESCRIPTION": "One-stop shop (Một cửa, một cửa liên thông) workflow engine.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc served from the app's static files (drf-spectacular-sidecar), no CDN;
    # no online validator badge either (it would call validator.swagger.io).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "PATH_CONVERTER_OVERRIDES": {"code": str},
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "procedures.models.DocumentKind.choices",
        "ApplicantKindEnum": "workflows.models.ApplicantKind.choices",
        "PeriodKindEnum": "periodic.models.PeriodKind.choices",
    },
}

# One console handler on the root; lookup keys masked in every handler (onestop/log_config.py).
LOGGING = logging_config(env.str("LOG_LEVEL", default="INFO"))

# HTTPS in production (`manage.py check --deploy` passes with no warning on these defaults).
# Behind a TLS-terminating proxy, set ONESTOP_BEHIND_TLS_PROXY=true so a request the proxy marks
# `X-Forwarded-Proto: https` counts as secure (the proxy must overwrite that header); without it,
# the redirect would loop. A proxy that redirects to HTTPS itself may set SECURE_SSL_REDIRECT=false.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=IS_PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=IS_PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
# The container's health check calls /healthz over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=IS_PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=IS_PRODUCTION)
if env.bool("ONESTOP_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Working-time calendar (procedures/calendar.py, procedures/calendar_loader.py) ---
# Office hours as wall-clock periods "HH:MM-HH:MM,..." and working weekdays (0 = Monday).
ONESTOP_WORKING_PERIODS = env.str("ONESTOP_WORKING_PERIODS", default="07:00-11:30,13:30-17:00")
ONESTOP_WORKING_WEEKDAYS = env.str("ONESTOP_WORKING_WEEKDAYS", default="0,1,2,3,4")
ONESTOP_WORKING_TIME_ZONE = env.str("ONESTOP_WORKING_TIME_ZONE", default=TIME_ZONE)
# Years for which public holidays are loaded from the `holidays` package ("first-last").
ONESTOP_HOLIDAY_YEARS = env.str("ONESTOP_HOLIDAY_YEARS", default="2000-2060")
# How often (seconds) a process checks the shared cache for a changed calendar, and the longest it
# keeps a calendar without re-reading overrides (covers a process-local cache and bulk updates).
ONESTOP_CALENDAR_CHECK_SECONDS = env.float("ONESTOP_CALENDAR_CHECK_SECONDS", default=5.0)
ONESTOP_CALENDAR_MAX_AGE_SECONDS = env.float("ONESTOP_CALENDAR_MAX_AGE_SECONDS", default=300.0)

# --- Deadlines and notifications (notifications/) -------------------------------------------------
INSTALLED_APPS += ["notifications"]
# Less than this many working hours left makes a task or dossier "due soon" (8 = one working day).
# A report's queries are cancelled past this many seconds (PostgreSQL statement_timeout; 0: no limit).
ONESTOP_REPORT_TIMEOUT_SECONDS = env.float("ONESTOP_REPORT_TIMEOUT_SECONDS", default=30.0)
ONESTOP_DUE_SOON_HOURS = env.float("ONESTOP_DUE_SOON_HOURS", default=8.0)
ONESTOP_SWEEP_INTERVAL_SECONDS = env.int("ONESTOP_SWEEP_INTERVAL_SECONDS", default=60)
# Rows claimed per UPDATE; a sweep loops until a batch comes back short (bounded transactions).
ONESTOP_SWEEP_BATCH_SIZE = env.int("ONESTOP_SWEEP_BATCH_SIZE", default=5000)
ONESTOP_NOTIFY_MAX_ATTEMPTS = env.int("ONESTOP_NOTIFY_MAX_ATTEMPTS", default=5)
ONESTOP_NOTIFY_STAFF_EMAIL = env.bool("ONESTOP_NOTIFY_STAFF_EMAIL", default=True)
# Delivered notifications and portal sync rows are deleted this many days after delivery (the
# delivery queues, not the audit trail: notifications/retention.py, portal/retention.py); 0 = never.
ONESTOP_DELIVERED_RETENTION_DAYS = env.int("ONESTOP_DELIVERED_RETENTION_DAYS", default=180)
# The queue tasks go to when none is named; the integration test gives its worker a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
ONESTOP_SMS_BACKEND = env.str("ONESTOP_SMS_BACKEND", default="notifications.sms.LoggingSMSBackend")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Một cửa <motcua@localhost>")
# The report rollup's refresh (reports/rollup.py).
ONESTOP_ROLLUP_INTERVAL_SECONDS = env.int("ONESTOP_ROLLUP_INTERVAL_SECONDS", default=600)

# --- Dossiers and the workflow (workflows/) ---
# The apology letter with a new appointment must be sent at least this many working days before
# the current due date (Decree 118/2025: one; check the province's regulation). 0 = up to the due date.
ONESTOP_EXTENSION_NOTICE_WORKING_DAYS = env.int("ONESTOP_EXTENSION_NOTICE_WORKING_DAYS", default=1)

# --- Printed forms (printing/) ---
# The citizen's status page the receipt's QR code points to: <base>/tra-cuu/<code>/?key=<key>.
ONESTOP_PUBLIC_BASE_URL = env.str("ONESTOP_PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The place printed before the date on every form ("Huế, ngày 02 tháng 03 năm 2026"); empty = dots.
ONESTOP_FORMS_PLACE = env.str("ONESTOP_FORMS_PLACE", default="")

# --- Input limits and log masking (issue 10; README "Input limits") ---
# The largest request body any endpoint reads (bytes): the API's parsers answer 413 above it, and
# Django's own form parsing gets the same bound. The other limits are constants in core/limits.py.
ONESTOP_MAX_REQUEST_BYTES = env.int("ONESTOP_MAX_REQUEST_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ONESTOP_MAX_REQUEST_BYTES
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "api.parsers.JSONParser",
    "api.parsers.FormParser",
    "api.parsers.MultiPartParser",
]
# Every operation that reads a body documents the 413 of the body limit (api/schema.py).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "api.schema.document_body_limit",
]

# --- The national public service portal (portal/, issue 17) ---
INSTALLED_APPS += ["portal"]
# Off when unset: transitions write no sync row and nothing is queued (README "National portal").
ONESTOP_PORTAL_URL = env.str("ONESTOP_PORTAL_URL", default="")
ONESTOP_PORTAL_USERNAME = env.str("ONESTOP_PORTAL_USERNAME", default="")
ONESTOP_PORTAL_PASSWORD = env.str("ONESTOP_PORTAL_PASSWORD", default="")
ONESTOP_PORTAL_AGENCY_CODE = env.str("ONESTOP_PORTAL_AGENCY_CODE", default="")
ONESTOP_PORTAL_CLIENT = env.str("ONESTOP_PORTAL_CLIENT", default="portal.client.HttpPortalClient")
# Seconds per HTTP call (connect and read): a delivery holds its row lock while it waits.
ONESTOP_PORTAL_TIMEOUT = env.float("ONESTOP_PORTAL_TIMEOUT", default=5.0)
# Attempts before a row is "failed" and holds its dossier's queue until a supervisor retries it
# (backoff 30 s doubling up to an hour: 20 attempts cover about 13 hours of outage).
ONESTOP_PORTAL_MAX_ATTEMPTS = env.int("ONESTOP_PORTAL_MAX_ATTEMPTS", default=20)
ONESTOP_PORTAL_FETCH_SECONDS = env.int("ONESTOP_PORTAL_FETCH_SECONDS", default=300)
# The system reception account that registers an agency's online dossiers ({agency} = its code).
ONESTOP_PORTAL_RECEPTION_USERNAME = env.str("ONESTOP_PORTAL_RECEPTION_USERNAME", default="dvcqg.{agency}")
CELERY_BEAT_SCHEDULE = beat_schedule(
    sweep_seconds=ONESTOP_SWEEP_INTERVAL_SECONDS,
    rollup_seconds=ONESTOP_ROLLUP_INTERVAL_SECONDS,
    portal_fetch_seconds=ONESTOP_PORTAL_FETCH_SECONDS,
)

# --- Open data (reports/opendata.py, /api/v1/open-data/, /thong-ke/) ---
# A published count below this number of dossiers is left empty (with the rates derived from it),
# so that no single applicant can be recognised.
ONESTOP_OPEN_DATA_MIN_CELL = env.int("ONESTOP_OPEN_DATA_MIN_CELL", default=5)
# How long the public figures are cached (seconds).
ONESTOP_OPEN_DATA_CACHE_SECONDS = env.int("ONESTOP_OPEN_DATA_CACHE_SECONDS", default=300)
