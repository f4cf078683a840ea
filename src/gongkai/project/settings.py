"""Django settings, all from environment variables with documented defaults.

| variable | default | meaning |
|---|---|---|
| ``GONGKAI_DATA_DIR`` | ``./data`` | SQLite file, uploaded files, generated secrets |
| ``DATABASE_URL`` | SQLite in the data directory | e.g. ``postgres://user@host:5432/db`` |
| ``GONGKAI_DEBUG`` | ``0`` | ``1`` for development pages with tracebacks |
| ``GONGKAI_SECRET_KEY`` | generated once into the data directory | Django's secret key |
| ``GONGKAI_FIELD_KEYS`` | generated once into the data directory | Fernet keys for identity |
|   | | data, comma-separated, newest first (older keys still decrypt) |
| ``GONGKAI_ALLOWED_HOSTS`` | ``127.0.0.1,localhost`` | comma-separated host names |
| ``GONGKAI_UPLOAD_MAX_MB`` | ``10`` | largest attachment accepted |
| ``GONGKAI_REQUEST_MAX_MB`` | upload or import limit + 1 | largest staff/API request body |
| ``GONGKAI_YELLOW_AT`` | ``5`` | working days left at which a card turns yellow |
| ``GONGKAI_EMAIL_BACKEND`` | files in ``outbox/`` | Django e-mail backend (SMTP in production) |
| ``GONGKAI_EMAIL_HOST`` / ``_PORT`` / ``_USER`` / ``_PASSWORD`` / ``_TLS`` | localhost, 25 | SMTP |
| ``GONGKAI_SMS_HOOK`` | empty | dotted path of ``send(phone, text)`` for SMS reminders |
| ``GONGKAI_PORTAL_URL`` | empty | public address of the site, named in notices to applicants |
| ``GONGKAI_INDEX_KEY`` | generated once into the data directory | key of the lookup hashes |
|   | | (query codes, throttles); never rotated with the field keys |
| ``GONGKAI_HTTPS`` | ``0`` | ``1`` behind TLS: secure cookies, HSTS, redirect to https |
| ``GONGKAI_HSTS_SECONDS`` | ``31536000`` | HSTS max-age in HTTPS mode |
| ``GONGKAI_TRUSTED_PROXIES`` | empty | addresses/networks of reverse proxies whose |
|   | | ``X-Forwarded-For``/``-Proto`` are believed (nobody else's) |
| ``GONGKAI_CSRF_TRUSTED_ORIGINS`` | derived from ``GONGKAI_PORTAL_URL`` | e.g. |
|   | | ``https://gk.example.gov.cn`` |
| ``GONGKAI_FILE_STORAGE`` | private directory in the data directory | dotted storage class, |
|   | | e.g. ``storages.backends.s3.S3Storage`` |
| ``GONGKAI_FILE_STORAGE_OPTIONS`` | ``{}`` | JSON options of that storage class |
| ``GONGKAI_IMPORT_TIMEOUT`` | ``20`` | seconds a report import through the web may take |
| ``GONGKAI_IMPORT_MEMORY_MB`` | ``1024`` | memory a report import through the web may take |

Nothing here reads a setting at import time of the apps; the apps read ``django.conf.settings``.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

# Files this process creates (SQLite database, keys, uploads, letters) are the owner's alone.
os.umask(0o077)


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [x.strip() for x in os.environ.get(name, default).split(",") if x.strip()]


DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", "data")).resolve()
DEBUG = _flag("GONGKAI_DEBUG")


def _secret_key() -> str:
    """The configured key, else one generated once and kept in the data directory."""
    configured = os.environ.get("GONGKAI_SECRET_KEY", "").strip()
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key()
GONGKAI_FIELD_KEYS = _list("GONGKAI_FIELD_KEYS", "")
GONGKAI_INDEX_KEY = os.environ.get("GONGKAI_INDEX_KEY", "").strip()
ALLOWED_HOSTS = _list("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost")
GONGKAI_PORTAL_URL = os.environ.get("GONGKAI_PORTAL_URL", "")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# --- HTTPS and reverse proxies ------------------------------------------------------------
GONGKAI_HTTPS = _flag("GONGKAI_HTTPS")
# Only these peers may tell us the client's address and scheme (see ClientAddressMiddleware).
GONGKAI_TRUSTED_PROXIES = _list("GONGKAI_TRUSTED_PROXIES", "")
CSRF_TRUSTED_ORIGINS = _list("GONGKAI_CSRF_TRUSTED_ORIGINS", _origin(GONGKAI_PORTAL_URL))
if GONGKAI_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Believed only when the peer is a trusted proxy: the middleware drops the header otherwise.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "gongkai.project",
    "gongkai.accounts",
    "gongkai.agencies",
    "gongkai.rules",
    "gongkai.audit",
    "gongkai.cases",
    "gongkai.documents",
    "gongkai.letters",
    "gongkai.portal",
    "gongkai.reports",
]

MIDDLEWARE = [
    "gongkai.project.middleware.ClientAddressMiddleware",
    "gongkai.project.middleware.NulByteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongkai.project.middleware.ContentSecurityPolicyMiddleware",
    # Refuses an oversized body from its Content-Length, before anything reads it.
    "gongkai.portal.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the platform is Chinese only (LANGUAGE_CODE). With it, a browser
    # that asks for English first (Accept-Language) got Django's admin in English.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Fills Django's empty 405 answers with the site's page (after the session and the user,
    # which the page's header shows).
    "gongkai.project.errors.MethodNotAllowedMiddleware",
]

ROOT_URLCONF = "gongkai.project.urls"
WSGI_APPLICATION = "gongkai.project.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:dashboard"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.project.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent registrations wait for the write lock instead of failing at once.
    # Write transactions take the lock when they begin, so a read-then-write never fails
    # half-way with "database is locked".
    # "PRAGMA optimize=0x10002" on opening (SQLite's advice for short-lived connections):
    # the query planner's statistics stay current, so a large table is read by the right
    # index; quick (SQLite limits the analysis itself) and a no-op before SQLite 3.46.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA optimize=0x10002",
        }
    )
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: the pages' queries are short, and compiling the larger ones (the
    # dashboard's grouped counts over 100,000 texts) cost 25–45 ms more than it saved.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every password check (staff login, admin login) passes the login throttle first.
AUTHENTICATION_BACKENDS = ["gongkai.accounts.backends.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Set for `collectstatic` in production; WhiteNoise serves from the apps otherwise.
STATIC_ROOT = os.environ.get("GONGKAI_STATIC_ROOT") or None
_FILE_STORAGE = os.environ.get("GONGKAI_FILE_STORAGE", "").strip()
STORAGES = {
    # Attachments live in the data directory, never under the web root; they are served
    # only through permission-checked views. Several app servers share one store: an
    # S3-compatible bucket through django-storages, named by environment.
    "default": {
        "BACKEND": _FILE_STORAGE or "gongkai.project.storage.PrivateStorage",
        "OPTIONS": json.loads(os.environ.get("GONGKAI_FILE_STORAGE_OPTIONS") or "{}")
        if _FILE_STORAGE
        else {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # every form takes one file
GONGKAI_REQUEST_MAX_MB = int(os.environ.get("GONGKAI_REQUEST_MAX_MB", "0")) or None
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

# Messages stay on the server (an API token is shown once through one).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Until SMTP is configured, mail (which may carry query codes) is written to owner-only files
# in the data directory, never to the console or the server's log.
EMAIL_BACKEND = os.environ.get(
    "GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GONGKAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGKAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _flag("GONGKAI_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")
GONGKAI_SMS_HOOK = os.environ.get("GONGKAI_SMS_HOOK", "")
GONGKAI_UPLOAD_MAX_MB = int(os.environ.get("GONGKAI_UPLOAD_MAX_MB", "10"))
GONGKAI_YELLOW_AT = int(os.environ.get("GONGKAI_YELLOW_AT", "5"))
GONGKAI_CALENDAR_HORIZON_DAYS = 90
GONGKAI_IMPORT_TIMEOUT = int(os.environ.get("GONGKAI_IMPORT_TIMEOUT", "20"))
GONGKAI_IMPORT_MEMORY_MB = int(os.environ.get("GONGKAI_IMPORT_MEMORY_MB", "1024"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}
