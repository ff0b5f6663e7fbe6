"""Harbour settings: one file, every value from the environment.

Defaults make a fresh clone work on SQLite with no configuration (``make run``). Production
sets ``SECRET_KEY``, ``HARBOUR_FIELD_KEYS``, ``HARBOUR_BLIND_INDEX_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL`` and the email settings; see docs/operations.md.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.getenv("HARBOUR_VAR_DIR", BASE_DIR.parent / "var"))


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def local_secret(name: str, make) -> str:
    """A secret kept in var/ for a development or demo install that did not set one.

    Production sets every secret in the environment; this only spares a fresh clone from
    having to invent keys before ``make run`` works. The file is created 0600.
    """
    path = VAR_DIR / name
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value


def _new_field_keyring() -> str:
    import base64

    return "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


DEBUG = envbool("DEBUG", "false")
# Demo mode: synthetic data, MFA enrolment optional (a banner says so on every page).
DEMO_MODE = envbool("HARBOUR_DEMO", "false")
# Behind TLS in production. `make run` serves plain HTTP on loopback and turns this off.
HTTPS = envbool("HARBOUR_HTTPS", "true")

SECRET_KEY = os.getenv("SECRET_KEY") or local_secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
# "newest:base64key,older:base64key": the first key encrypts, every key decrypts.
FIELD_KEYS = os.getenv("HARBOUR_FIELD_KEYS") or local_secret("field_keys", _new_field_keyring)
BLIND_INDEX_KEY = os.getenv("HARBOUR_BLIND_INDEX_KEY") or local_secret(
    "blind_index_key", lambda: secrets.token_urlsafe(32)
)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_ROOT = os.getenv("SITE_ROOT", "http://127.0.0.1:8000")
SITE_NAME = "Harbour"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "ninja",
    "harbour.lib",
    "harbour.accounts",
    "harbour.audit",
    "harbour.people",
    "harbour.consent",
    "harbour.cases",
    "harbour.intake",
    "harbour.screening",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # In place of allauth's UserSessionsMiddleware: the same activity record, at most once
    # a minute per session, together with the session's own expiry (see TOUCH_EVERY).
    "harbour.accounts.middleware.session_activity_middleware",
    "harbour.accounts.middleware.privacy_middleware",
    "harbour.accounts.middleware.require_mfa_middleware",
]

ROOT_URLCONF = "harbour.urls"
ASGI_APPLICATION = "harbour.asgi.application"
WSGI_APPLICATION = "harbour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "harbour.accounts.context_processors.harbour",
            ],
        },
    },
]

# Database: SQLite in WAL mode under var/ unless DATABASE_URL says otherwise.
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections, checked before reuse: the web process runs requests on a
    # fixed set of long-lived threads (harbour.lib.bridge), each keeping its connection, so
    # a server holds at most workers x bridge.THREADS of them. (Under Django's own ASGI
    # handler every request had a thread of its own, and kept connections piled up until
    # PostgreSQL refused new ones.)
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("HARBOUR_SQLITE_PATH", str(VAR_DIR / "harbour.sqlite3")),
            # Kept open by each of the web process's long-lived threads: opening one costs
            # more than the floor view itself (harbour.lib.bridge).
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two writers
                # never both read the audit chain head and then race to extend it.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Lockout: at most 5 failed attempts on one login name, then 30 minutes locked
# (harbour.accounts.lockout; kept in the database so every web process agrees).
HARBOUR_LOGIN_FAILURE_LIMIT = 5
HARBOUR_LOGIN_LOCK = timedelta(minutes=30)
# The youngest victim the statistics' victim counts include (docs/guide-statistics.md): 0
# counts every victim; Statistics Canada's series use 12 and 15. A victim of unknown age is
# counted only when this is 0.
HARBOUR_STATS_MIN_VICTIM_AGE = int(os.getenv("HARBOUR_STATS_MIN_VICTIM_AGE", "0"))

# django-allauth: staff accounts are made by an organisation's admin, never by sign-up.
ACCOUNT_ADAPTER = "harbour.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# Our database-backed lockout replaces allauth's per-process cache limit on failed logins.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# Do not mail strangers: a reset asked for an unknown address sends nothing at all.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Harbour] "
MFA_ADAPTER = "harbour.accounts.mfa_adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Harbour"
MFA_TOTP_TOLERANCE = 1
USERSESSIONS_TRACK_ACTIVITY = True

# Sessions end after 30 minutes idle: a request pushes the expiry forward. Not on every
# request: session_activity_middleware re-saves the session (and the usersessions record)
# when it was last saved a minute or more ago, so a session ends between 29 and 30 idle
# minutes after its last request, and a page view costs no database write. Writes are what
# concurrent users queue behind, above all on SQLite.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "harbour.errors.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS and envbool("HARBOUR_SSL_REDIRECT", "true")
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": under "no-referrer" browsers send `Origin: null` on every
# form POST, which Django's CSRF check rightly refuses, so nobody could sign in. Other sites
# (the quick-exit destination included) still learn nothing about where a person came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.getenv("HARBOUR_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: everything from our own origin, nothing inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Where the quick-exit control sends a person: a neutral, busy site.
HARBOUR_QUICK_EXIT_URL = os.getenv("HARBOUR_QUICK_EXIT_URL", "https://weather.gc.ca/")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", VAR_DIR / "static"))
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
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))

TASKS = {
    "default": {
        "BACKEND": os.getenv("HARBOUR_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "harbour@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILERS = {
    "default": {
        "BACKEND": os.getenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.getenv("EMAIL_HOST", "localhost"),
            "port": int(os.getenv("EMAIL_PORT", "25")),
            "username": os.getenv("EMAIL_HOST_USER", ""),
            "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
            "use_tls": envbool("EMAIL_USE_TLS", "false"),
            "timeout": 20,
        },
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

# The largest occurrence file the API takes in one request (the command and the upload page
# take any size: the upload is imported by the task worker).
HARBOUR_IMPORT_MAX_BYTES = int(os.getenv("HARBOUR_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
