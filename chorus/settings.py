"""Settings of the platform, read from the environment.

With no variable set the platform runs on embedded defaults: SQLite, Celery eager, files on
local disk, e-mail printed on the console. Every variable is listed in `.env.example`.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_rate(name: str, default: str) -> str:
    """A rate as DRF writes them: "<count>/<s|min|hour|day>" (only the first letter counts)."""
    rate = env_str(name, default)
    count, _, period = rate.partition("/")
    if not count.isdigit() or period[:1] not in {"s", "m", "h", "d"}:
        raise ImproperlyConfigured(
            f"{name}={rate!r} is not a rate: write it as 600/min, 20/s, 10000/hour."
        )
    return rate


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "oauth2_provider",
    "drf_spectacular",
    # The API documentation serves Swagger UI from this package, never from a CDN.
    "drf_spectacular_sidecar",
    "dsfr",
    # django-dsfr's radio and checkbox templates load it.
    "widget_tweaks",
    "csp",
    "axes",
    "chorus",
    "suppliers",
    "invoices",
    "invoices.channels.backoffice",
    "rejections",
    "justice_fees",
    "energy_refunds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chorus.middleware.FrenchFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lockout into the page saying when to retry.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chorus.urls"
WSGI_APPLICATION = "chorus.wsgi.application"
ASGI_APPLICATION = "chorus.asgi.application"

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
                "dsfr.context_processors.site_config",
                "chorus.context_processors.current_membership",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
DSFR_MARK_OPTIONAL_FIELDS = True

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests and workers on the embedded default: readers never wait for the
    # writer (WAL), a writer waits for the lock up to the timeout instead of failing with
    # "database is locked", and takes it as its transaction begins (IMMEDIATE), so that two
    # transactions never deadlock upgrading their read locks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    # The inbox's covering indexes (INCLUDE) are PostgreSQL's; SQLite keeps their key columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------

AUTH_USER_MODEL = "chorus.User"
# django-axes first: it refuses a locked-out account or address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Tests and the demo hash many passwords: a fast hasher there, the strong default elsewhere.
if env_bool("CHORUS_FAST_PASSWORD_HASHER", default=False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# Served by WhiteNoise from STATIC_ROOT (after collectstatic), compressed; from the apps'
# folders directly while DEBUG is on.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Request bodies: form fields and JSON are refused beyond DATA_UPLOAD_MAX_MEMORY_SIZE (the API
# answers a coded 413 from the Content-Length, before reading); an uploaded file larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file on disk, never to memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "chorus.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A file carried in base64 inside a JSON request (API deposits) is decoded in memory: larger
# flows go through the portal or the EDI channel, which stream them to disk.
API_UPLOAD_MAX_BYTES = env_int("API_UPLOAD_MAX_BYTES", 64 * 1024 * 1024)

# --- E-mail ---------------------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Chorus libre <ne-pas-repondre@chorus.localhost>"
)
# Where the links in e-mails point (join requests, password reset): the platform's public
# address, never the Host header of the request that caused the e-mail, which a client sets.
CHORUS_SITE_URL = env_str("CHORUS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not CHORUS_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"CHORUS_SITE_URL={CHORUS_SITE_URL!r} is not a web address: write it as "
        "https://chorus.example.org (no trailing path needed)."
    )

# --- Redis, cache and Celery ----------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL.startswith("redis")
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each worker process holds up to 4 messages: no broker round trip between two short invoice
# tasks (about 5-10 % more invoices per second on 2 cores). Safe with acks_late: messages held
# by a dead worker come back (visibility timeout, or the sweep of stalled flows).
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
# Celery's Django fix-up otherwise closes the database connection around every task: a new
# PostgreSQL connection per invoice cost a worker a tenth of its time. Reused for this many
# tasks; invoices/tasks.py still drops a broken or old one (CONN_MAX_AGE) before each task.
CELERY_DB_REUSE_MAX = 1000
# Deployments (or test runs) sharing one Redis keep their tasks apart with their own queue.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
# The daily digest goes out at CHORUS_DIGEST_HOUR, Paris time.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "resume-stalled-flows": {"task": "invoices.tasks.flows_resume_task", "schedule": 60.0},
    "resume-edi-deliveries": {
        "task": "invoices.tasks.invoices_deliveries_resume_task",
        "schedule": 60.0,
    },
    "notifications-digest": {
        "task": "chorus.tasks.notifications_digest_task",
        "schedule": crontab(minute=0, hour=env_int("CHORUS_DIGEST_HOUR", 7)),
    },
    # Each Monday, last week's rejections to the public structures' managers.
    "rejections-weekly-summary": {
        "task": "rejections.tasks.weekly_summaries_task",
        "schedule": crontab(minute=30, hour=env_int("CHORUS_DIGEST_HOUR", 7), day_of_week="mon"),
    },
}
# Redis redelivers an unacknowledged message after this delay: longer than the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}

# --- API ------------------------------------------------------------------------------------

# Requests per client (OAuth application) on the /cpro/ API, as DRF writes rates:
# "<count>/<s|min|hour|day>". Counted in the shared cache (Redis when REDIS_URL is set).
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "600/min")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "chorus.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"cpro-client": API_RATE_LIMIT},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chorus libre API",
    "DESCRIPTION": (
        "API compatible avec l'API Chorus Pro (PISTE) : les logiciels des fournisseurs et des "
        "entités publiques s'y connectent en changeant seulement les adresses de base.\n\n"
        "Authentification : obtenez un jeton par `POST /api/oauth/token` "
        "(`grant_type=client_credentials`, `client_id`, `client_secret`, `scope=openid`), "
        "puis envoyez à chaque appel `/cpro/` les en-têtes `Authorization: Bearer <jeton>` et "
        "`cpro-account: base64(identifiant:mot de passe)` de votre compte technique.\n\n"
        "Réponses : `codeRetour` vaut 0 et `libelle` GCU_MSG_01_000 en cas de succès ; une "
        "erreur porte un `codeRetour` non nul et un `libelle` « code : explication »."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "displayOperationId": True},
    "ENUM_NAME_OVERRIDES": {
        "StatutEnum": "chorus.api.selectors.STATUSES",
        "StructurePriveePubliqueEnum": "chorus.api.selectors.KINDS",
        "StatutFactureEnum": "invoices.api.serializers.INVOICE_STATUSES",
        "StatutDemandeRemboursementTICEnum": "energy_refunds.enums.RefundStatus",
        "ActionDemandeRemboursementTICEnum": "energy_refunds.api.serializers.ACTIONS",
    },
}
OAUTH2_PROVIDER = {
    "SCOPES": {"openid": "Accès aux services de la plateforme"},
    "DEFAULT_SCOPES": ["openid"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
}

# --- Platform -------------------------------------------------------------------------------

# Official test data (examples, rule unit tests) live beside the checkout; tests only.
CHORUS_TESTDATA_DIR = Path(
    env_str("CHORUS_TESTDATA_DIR", str(BASE_DIR.parent / "shared" / "testdata"))
)

# Submission channels (flows): the limits of one deposit, the EDI server's tree and address.
FLOW_MAX_INVOICES = env_int("FLOW_MAX_INVOICES", 500)
FLOW_MAX_BYTES = env_int("FLOW_MAX_BYTES", 1024**3)
# A flow with no progress for this long is taken up again (a worker died while on it).
FLOW_STALL_SECONDS = env_int("FLOW_STALL_SECONDS", 300)
# Budgets that hold whatever is received: an invoice still being checked after its time
# budget, or waiting in a flow past the flow's, is refused with that reason; one whose
# processing failed (or killed its worker) this many times is refused as an internal error.
INVOICE_TIME_BUDGET_SECONDS = env_int("INVOICE_TIME_BUDGET_SECONDS", 120)
FLOW_TIME_BUDGET_SECONDS = env_int("FLOW_TIME_BUDGET_SECONDS", 3600)
FLOW_ITEM_MAX_ATTEMPTS = env_int("FLOW_ITEM_MAX_ATTEMPTS", 3)
# XML elements an invoice may hold, counted while parsing (2,000 lines: about 34,000).
XML_MAX_ELEMENTS = env_int("XML_MAX_ELEMENTS", 200_000)
EDI_ROOT = Path(env_str("EDI_ROOT", str(BASE_DIR / "var" / "edi")))
EDI_HOST_KEY_PATH = Path(env_str("EDI_HOST_KEY_PATH", str(BASE_DIR / "var" / "edi_host_key")))
EDI_SFTP_HOST = env_str("EDI_SFTP_HOST", "127.0.0.1")
EDI_SFTP_PORT = env_int("EDI_SFTP_PORT", 2222)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # PDF rendering narrates every step at INFO: only its problems are worth a line.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# --- Brute force (django-axes) ---------------------------------------------------------------

# Wrong portal passwords, wrong OAuth client secrets and wrong cpro-account passwords are
# counted per account and per address; beyond LOGIN_FAILURE_LIMIT the account (or address) is
# refused for LOGIN_LOCKOUT_MINUTES, and the lockout is written to the audit trail. A password
# reset clears the account's count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The login form's field (an e-mail address) and the key chorus.lockout counts under.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "chorus.lockout.lockout_response"
AXES_VERBOSE = False
# Password reset requests, per e-mail address and per client address ("<count>/<period>").
PASSWORD_RESET_RATE = env_rate("PASSWORD_RESET_RATE", "5/h")

# --- Security headers -----------------------------------------------------------------------

# Scripts and styles come from the platform's own static files only: no inline script.
# DSFR icons are data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Behind a TLS proxy that sets X-Forwarded-Proto: requests it received over HTTPS are secure.
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Strict-Transport-Security, sent on HTTPS answers only (browsers ignore it over HTTP).
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=False)
# The API answers a refused CSRF check in JSON; the portal with its DSFR 403 page.
CSRF_FAILURE_VIEW = "chorus.views.csrf_failure"

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
