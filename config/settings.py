"""Intercluster settings.

Everything that differs between a laptop and production is read from the
environment here, and only here. With nothing set you get the embedded mode:
a SQLite file under var/, Celery tasks run eagerly in the web process, and
emails are printed to the console and written to var/mail/.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -----------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

DEVELOPMENT_SECRET_KEY = "django-insecure-intercluster-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set (or is the development default) while DEBUG is off. "
            "Set SECRET_KEY to a long random value for production, "
            "or DEBUG=1 for local development."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
# Earlier keys, comma-separated, while they are being retired: sessions and signed
# values made with them stay valid, and the registrations' sealed tokens open
# (docs/deployment.md, "Tokens").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

# Absolute base URL of the site, used in emails and calendar feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_DOMAIN = urlsplit(SITE_URL).hostname or "localhost"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", SITE_DOMAIN])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

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
    "axes",
    "csp",
    "events",
    "agenda",
    "mail",
    "registrations",
    "matchmaking",
    "orga",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, plus: the language remembered (a redirect to /es/…) and no Vary on exports.
    "config.language.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the header middlewares, so its 405 carries the same security headers.
    "config.security.RefuseTraceMiddleware",
    # Last, as django-axes asks: it turns a login refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'intercluster.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite, which also makes the file's directory (var/) when it first
    # connects: nothing is created here, when the settings are read.
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    # Embedded mode: a transaction takes SQLite's write lock when it begins, so
    # concurrent registrations queue (up to "timeout" seconds) instead of failing
    # with "database is locked" when a read turns into a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 5}
    )

# How long a service waits for a row lock (capacity, agenda) before it gives
# up with a clean "busy, try again" (PostgreSQL only; SQLite serialises writes).
LOCK_TIMEOUT_MS = int(os.environ.get("LOCK_TIMEOUT_MS", "3000"))

# --- Cache and rate limits --------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits: the same store, with shorter timeouts. When Redis hangs, a
# registration spends at most 0.5 s on its rate limit (after which the process
# stops asking for THROTTLE_CACHE_PAUSE_SECONDS) plus at most 1 s on the
# after-commit publish: under the 2 s the issue allows (docs/deployment.md).
CACHES["ratelimit"] = {
    **CACHES["default"],
    **({"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}} if REDIS_URL else {}),
}
THROTTLE_CACHE_PAUSE_SECONDS = int(os.environ.get("THROTTLE_CACHE_PAUSE_SECONDS", "30"))

# --- Login lockout (django-axes) -------------------------------------------
# Both logins (/accounts/login/ and /admin/login/): after LOGIN_FAILURE_LIMIT
# wrong passwords for one username from one address, that username is refused
# from that address (the right password too) for LOGIN_COOLOFF_MINUTES; other
# usernames from the same address and the same username from elsewhere still
# log in. Attempts are rows in the database, so every web process sees them.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address as the rate limits see it (REMOTE_ADDR, or X-Forwarded-For
# behind NUM_PROXIES declared proxies), so a client cannot pick its own; an IPv6
# client counts as its /64 network, an IPv4-mapped IPv6 one as its IPv4 address.
AXES_CLIENT_IP_CALLABLE = "config.security.login_client_address"
AXES_USERNAME_CALLABLE = "config.security.login_username"
AXES_LOCKOUT_CALLABLE = "config.security.login_lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Successful logins are not recorded (AccessLog): only the failures that count.
AXES_DISABLE_ACCESS_LOG = True

# --- Auth, i18n, static -----------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "orga:home"
LOGOUT_REDIRECT_URL = "events:meeting-list"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice, remembered for a year (config/language.py); no script reads it.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Intercluster <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
else:
    EMAIL_BACKEND = "config.mail.ConsoleAndFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Celery -----------------------------------------------------------------

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# No broker configured: run tasks in the web process, so the demo needs nothing.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A broker outage must never hang a web request: the publish after commit
# gives up after one try bounded by 1 s connect and socket timeouts (a retry
# would only add seconds when Redis stops answering; a connection Redis
# closed is replaced on checkout anyway), and after a failure the process
# stops trying for OUTBOX_BROKER_PAUSE_SECONDS. Whatever was not published
# is enqueued by the outbox sweep. Measured in docs/benchmarks.md.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands a task that was taken but never acknowledged (its worker died)
# to another worker after this many seconds. It must stay above the longest
# retry countdown (OUTBOX_RETRY_MAX_SECONDS): longer waits are left to the sweep.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    # Connect once per publish; no reconnect loop in the web process.
    "max_retries": 0,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for abandoned tasks every few seconds (a cheap ZRANGE), not every 100 s.
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 2)),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_PUBLISH_RETRY = False
OUTBOX_BROKER_PAUSE_SECONDS = int(os.environ.get("OUTBOX_BROKER_PAUSE_SECONDS", "30"))
# Email retries: 30 s, 1, 2, 4 … minutes, at most 30 min between attempts
# (mail.services.retry_delay_seconds); the sweep picks up pending rows
# this long after they were due.
OUTBOX_RETRY_BASE_SECONDS = int(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
OUTBOX_RETRY_MAX_SECONDS = int(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "1800"))
OUTBOX_SWEEP_GRACE_SECONDS = int(os.environ.get("OUTBOX_SWEEP_GRACE_SECONDS", "60"))
# Agenda changes reach each booked attendee as one email per this many seconds
# (ten edits in a few minutes: one email). Batching needs a broker to wait; in
# the embedded mode each change is sent at once.
AGENDA_NOTICE_DELAY_SECONDS = int(
    os.environ.get("AGENDA_NOTICE_DELAY_SECONDS", "300" if CELERY_BROKER_URL else "0")
)
# Confirmed participants get a reminder this many hours before the meeting's first day.
REMINDER_HOURS_BEFORE = int(os.environ.get("REMINDER_HOURS_BEFORE", "48"))
# A seat given to someone who has not opened their emailed link yet is held this
# long (meetings with a capacity and Meeting.hold_unconfirmed_seats); then the
# beat task releases it to the waitlist (registrations.release_seat_holds).
SEAT_HOLD_MINUTES = int(os.environ.get("SEAT_HOLD_MINUTES", "30"))
# A seat that comes from the waitlist may come at night: it is held longer.
SEAT_HOLD_PROMOTED_MINUTES = int(os.environ.get("SEAT_HOLD_PROMOTED_MINUTES", "1440"))
# At most this many registrations per meeting per email domain in an hour
# (0: no limit); the domains listed (comma-separated) are exempt: large
# providers where many real people have addresses.
REGISTRATIONS_PER_DOMAIN_PER_HOUR = int(os.environ.get("REGISTRATIONS_PER_DOMAIN_PER_HOUR", "20"))
REGISTRATION_DOMAIN_ALLOWLIST = [
    domain.strip().lower()
    for domain in os.environ.get(
        "REGISTRATION_DOMAIN_ALLOWLIST",
        "gmail.com,googlemail.com,hotmail.com,hotmail.es,outlook.com,outlook.es,live.com,"
        "yahoo.com,yahoo.es,icloud.com,me.com,protonmail.com,proton.me,gmx.com,gmx.es",
    ).split(",")
    if domain.strip()
]
CELERY_BEAT_SCHEDULE = {
    # Runs every minute: a hold is released at most a minute after it ran out.
    "release-seat-holds": {
        "task": "registrations.release_seat_holds",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # A sweep nobody ran within its minute is dropped: the next one does its work.
    "sweep-outbox": {
        "task": "registrations.sweep_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "meeting-reminders": {
        "task": "registrations.send_meeting_reminders",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # The day after a day of 1:1 meetings, from 09:00 in the meeting's zone.
    "b2b-outcome-reminders": {
        "task": "matchmaking.send_outcome_reminders",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}

# --- API --------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous write answers 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "events.parsers.JSONParser",  # deep nesting is a 400 (DRF's answers 500)
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "events.openapi.AutoSchema",  # error answers documented
    # Domain errors answer 400, Busy 503 with Retry-After, the same in every app.
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # Behind a reverse proxy set NUM_PROXIES (e.g. 1) so rate limits see the
    # client's address in X-Forwarded-For; unset, only REMOTE_ADDR is trusted.
    "NUM_PROXIES": int(os.environ["NUM_PROXIES"]) if os.environ.get("NUM_PROXIES") else None,
    "DEFAULT_THROTTLE_RATES": {
        "registrations": os.environ.get("THROTTLE_REGISTRATIONS", "30/min"),
        # Registrations for one meeting from one client address.
        "registrations_meeting": os.environ.get("THROTTLE_REGISTRATIONS_MEETING", "20/hour"),
        "private_link": os.environ.get("THROTTLE_PRIVATE_LINK", "60/min"),
        "calendar_feed": os.environ.get("THROTTLE_CALENDAR_FEED", "600/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Intercluster API",
    "DESCRIPTION": "Meetings, agendas and registrations of intercluster meetings.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RegistrationStatusEnum": "registrations.models.Registration.Status",
        "BookingStatusEnum": "registrations.models.SessionBooking.Status",
        "MeetingStatusEnum": "events.models.Meeting.Status",
    },
}

# --- HTTPS and security headers -------------------------------------------
# Production values are in docs/deployment.md; `manage.py check --deploy` is
# clean with them. Behind a TLS proxy that sets X-Forwarded-Proto (and drops a
# client's own), set BEHIND_TLS_PROXY=1 so Django knows the request was HTTPS.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Content-Security-Policy on every response (django-csp). No inline script
# anywhere; inline <style> only with the response's nonce (track colours,
# templates/admin/change_list.html). The API docs page has its own policy
# (config/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        # data: for the empty favicon and the admin's and Swagger UI's inline icons.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page of ours uses, switched off (config/security.py).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Every handler masks the registrations' tokens in the paths it logs
# (config/log_filters.py). runserver's access lines ("django.server") get their
# own handler here, so that they pass through the filter too. No ADMINS are set,
# so Django's mail_admins handler, dropped here, had nothing to do.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "config.log_filters.MaskTokens"}},
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]},
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["mask_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own defaults for "django" (a console handler in DEBUG, mail_admins)
        # would write unmasked lines: its records go to the root's console instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}

# Agenda: name the agenda's choice sets in the OpenAPI schema (several models
# have a "status" or a "kind"; without names drf-spectacular makes up hashes).
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "SessionStatusEnum": "agenda.models.Session.Status",
        "SessionKindEnum": "agenda.models.Session.Kind",
        "SessionSpeakerRoleEnum": "agenda.models.SessionSpeaker.Role",
        "MeetingStatusEnum": "events.models.Meeting.Status",
        "OrganizationKindEnum": "events.models.Organization.Kind",
        "RegionEnum": "events.regions.Region",
    }
)

# B2B meetings: the same for matchmaking's choice sets.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "MeetingRequestStatusEnum": "matchmaking.models.MeetingRequest.Status",
        "MarketplaceEntryKindEnum": "matchmaking.models.MarketplaceEntry.Kind",
        "RequestModeEnum": "matchmaking.models.Matchmaking.RequestMode",
        "SchedulingModeEnum": "matchmaking.models.Matchmaking.SchedulingMode",
        "LanguageEnum": "matchmaking.models.Language",
    }
)
