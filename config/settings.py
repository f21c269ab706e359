"""Marquee's settings: one module, read from the environment.

Local use needs no environment at all (SQLite in ./data, debug only when asked for).
Production (DJANGO_DEBUG unset) refuses to start without a real secret key and the
host names it serves, so a forgotten variable is a one-line error, not an insecure site.
"""

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    # Refused, not read as off: DJANGO_SMTP_TLS=ture sent the mail log-in without TLS.
    raw = os.environ.get(name, "")
    value = raw.strip().lower()
    if value == "":
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (on or off), not {raw!r}.")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_host_names(name: str) -> list[str]:
    # Django reads "https://marquee.example.com" as a name no request has: every page
    # answered 400, though every check passed.
    names = env_list(name)
    for host in names:
        if "/" in host or any(character.isspace() for character in host):
            raise ImproperlyConfigured(
                f"{name} lists host names such as marquee.example.com, comma-separated, "
                f"not addresses: {host!r}."
            )
    return names


def env_time_zone(name: str, default: str) -> str:
    # Django would refuse a wrong name too, but with a traceback that does not name the
    # variable to fix.
    value = os.environ.get(name, "").strip() or default
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone name such as Europe/Paris, not {value!r}."
        ) from None
    return value


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_log_level(name: str, default: str) -> str:
    # logging takes upper-case names only, and refuses any other with a traceback that
    # says "Unable to configure root logger" and nothing of the variable.
    raw = os.environ.get(name, "")
    value = raw.strip().upper() or default
    if value not in LOG_LEVELS:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(LOG_LEVELS)}, not {raw!r}.")
    return value


# postgres://, postgresql:// and pgsql:// all give PostgreSQL; nothing else is supported.
DATABASE_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}
DATABASE_URL_EXAMPLE = "postgres://user:password@host:5432/marquee"


def env_database(name: str, default: str, **options) -> dict:
    # dj_database_url would take an empty value (a likely .env mistake) for a database
    # with no engine, and answer a wrong one with a long traceback. The refusals never
    # repeat the value: a database URL may hold a password.
    url = os.environ.get(name, "").strip() or default
    scheme = urlsplit(url).scheme if "://" in url else ""
    wrong_scheme = (
        f"{name} must start with sqlite:// or postgres:// (e.g. {DATABASE_URL_EXAMPLE}), "
        + (f"not {scheme}://." if scheme else "and the value set has no scheme.")
    )
    try:
        database = dj_database_url.parse(url, **options)
    except dj_database_url.UnknownSchemeError:
        raise ImproperlyConfigured(wrong_scheme) from None
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} is not a valid URL: check the port, and percent-encode any @ : / "
            "in the user name or password."
        ) from None
    if database["ENGINE"] not in DATABASE_ENGINES:
        raise ImproperlyConfigured(wrong_scheme)
    return database


def weak_secret_key(key: str) -> bool:
    """A key `check --deploy` calls insecure (security.W009), by Django's own figures."""
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


def ensure_folder(name: str, folder: Path) -> None:
    # Named after the variable that moves it, which is what the operator can change.
    try:
        # Owner only, as the backups are: the database holds password hashes and
        # everyone's viewing history. A folder that exists keeps the mode it was given.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name} must name a folder Marquee can create: {folder} ({error.strerror})."
        ) from None


DEBUG = env_bool("DJANGO_DEBUG")

# The development key is public by design: it only ever signs sessions on a developer's
# machine, and production refuses to start with it (below).
DEVELOPMENT_SECRET_KEY = "django-insecure-marquee-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_host_names("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A form sent with an expired token is told in the site's look, with the way back.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

if DEBUG:
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

# What stops Marquee from serving in production mode, if anything. Only the server
# refuses to start on it (config/serving.py: WSGI, ASGI and runserver): management
# commands sign nothing for a browser, so migrate or makemigrations may still run, and
# `check --deploy` reports the development key all the same.
SERVING_REFUSAL = ""
if not DEBUG:
    # Every key `check --deploy` calls insecure (security.W009), not only a short one:
    # "aaaa…" or Django's own "django-insecure-" keys were served.
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or weak_secret_key(SECRET_KEY):
        SERVING_REFUSAL = (
            f"DJANGO_SECRET_KEY must be set to a random string of at least "
            f"{SECRET_KEY_MIN_LENGTH} characters, with at least "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones and not starting with "
            f"'{SECRET_KEY_INSECURE_PREFIX}', when DJANGO_DEBUG is off "
            "(or set DJANGO_DEBUG=1 for local use)."
        )
    elif not ALLOWED_HOSTS:
        SERVING_REFUSAL = (
            "DJANGO_ALLOWED_HOSTS must list the host names Marquee serves (comma-separated) "
            "when DJANGO_DEBUG is off (or set DJANGO_DEBUG=1 for local use)."
        )

INSTALLED_APPS = [
    # Django's admin, whose lists all refuse a date part no date has and an integer no
    # column holds (config/admin_lists.py).
    "config.apps.MarqueeAdminConfig",
    # Before auth, whose createsuperuser it replaces (usernames unique in any case).
    "config.apps.MarqueeConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    # With a check that collectstatic has run (config/checks.py, registered in
    # config/apps.py): this name as it is, which tools look for.
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "axes",
    # backups comes before dbbackup so that its safer dbrestore replaces dbbackup's own.
    "backups",
    "dbbackup",
    "catalog",
    "feedback",
    "recommendations",
]

MIDDLEWARE = [
    # First, to see every response: HEAD's go out without a body (config/head_requests.py).
    "config.head_requests.BodyLeftOutOfHead",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The person's own time zone, from their session (request.user is set by now).
    "feedback.time_zones.PersonTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Django's database sessions, refusing a key no session can have (config/sessions.py).
SESSION_ENGINE = "config.sessions"

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

# A form with errors focuses its first wrong field (config/form_errors.py).
FORM_RENDERER = "config.form_errors.ErrorFocusRenderer"

WSGI_APPLICATION = "config.wsgi.application"

# Database: DATABASE_URL when set (postgres://... for production), otherwise a SQLite
# file under ./data so that a new user needs no server at all.
DATA_DIR = Path(os.environ.get("MARQUEE_DATA_DIR") or BASE_DIR / "data")
SQLITE_PATH = DATA_DIR / "marquee.sqlite3"
DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{SQLITE_PATH}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    ensure_folder("MARQUEE_DATA_DIR", DATA_DIR)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while a command writes; IMMEDIATE transactions
        # take the write lock up front instead of failing half-way with "database is
        # locked". Foreign keys are switched on by Django's backend itself.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# An admin page posts every field of its inlines' rows, at most 100 rows an inline
# (config/admin_inlines.py): a film's page with 100 ratings (eleven fields each) and its
# related films goes past Django's 1,000, a 400 for any save. A request's size stays held
# by DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# django-axes first, as it requires: it refuses a locked-out log-in before any password is
# checked. Then usernames in any case, as at sign-up (config/backends.py); the admin's too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "config.backends.AnyCaseUsernameBackend",
]

# Password guessing (django-axes, config/lockout.py): after MARQUEE_LOGIN_FAILURE_LIMIT
# wrong passwords for one account from one address, that account is refused from that
# address for MARQUEE_LOGIN_LOCKOUT_MINUTES. By account and address together, so that a
# stranger cannot lock someone out of their own account from elsewhere, and one shared
# address (a household, an office) does not lock out everyone behind it.
AXES_FAILURE_LIMIT = env_int("MARQUEE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MARQUEE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during a lockout do not restart it, so the wait the page states holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# "Alice" and "alice" are one account at log-in, so they count as one for the lockout.
AXES_USERNAME_CALLABLE = "config.lockout.lockout_username"
# REMOTE_ADDR unless MARQUEE_PROXY_COUNT says how many proxies to believe.
AXES_CLIENT_IP_CALLABLE = "config.lockout.client_ip"
MARQUEE_PROXY_COUNT = env_int("MARQUEE_PROXY_COUNT", 0)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# A failure's form is kept with it, passwords masked: "password" always, these as well
# (a password change counts as a log-in, config/lockout.py). The rest is axes' default.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
# Failed attempts are kept only while they count; a row for every successful log-in, with
# its address, kept for ever, is more than throttling needs.
AXES_DISABLE_ACCESS_LOG = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Home, with its shelves and tonight's picks, as Marquee's name in the header.
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = "catalog:home"
# How long the link that confirms a new email address works (config/email_confirmation.py):
# as long as a password reset link, Django's three days.
EMAIL_CHANGE_TIMEOUT = PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_time_zone("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic puts the files WhiteNoise serves in production.
STATIC_ROOT = Path(os.environ.get("MARQUEE_STATIC_DIR") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MARQUEE_MEDIA_DIR") or BASE_DIR / "media")
# Under data/ (git-ignored) by default; put it on another disk in production.
BACKUP_DIR = Path(os.environ.get("MARQUEE_BACKUP_DIR") or DATA_DIR / "backups")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Backups hold password hashes and everyone's viewing history: owner-only files.
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(BACKUP_DIR),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}

# Django 6 takes ADMINS as a list of addresses; failure mail from dbbackup follows it.
ADMINS = env_list("DJANGO_ADMINS")
# One sender for all of Marquee's mail: password resets went from Django's own default,
# webmaster@localhost, which relays refuse as they would marquee@localhost. An empty
# value in .env means the default.
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL") or "marquee@localhost"
DEFAULT_FROM_EMAIL = SERVER_EMAIL
# Mail (password resets, backup failure reports): the console while developing, SMTP in
# production (a local MTA on localhost:25 unless DJANGO_SMTP_HOST says otherwise).
SMTP_HOST = os.environ.get("DJANGO_SMTP_HOST", "")
if DEBUG and not SMTP_HOST:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST or "localhost",
                "port": env_int("DJANGO_SMTP_PORT", 25),
                "username": os.environ.get("DJANGO_SMTP_USER", ""),
                "password": os.environ.get("DJANGO_SMTP_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_SMTP_TLS"),
            },
        }
    }
# Backups (backups/, docs/backups.md). The backups app replaces dbbackup's commands and
# connectors with ones that check a file before restoring it and never restore half of it.
DBBACKUP_CONNECTOR_MAPPING = {
    "django.db.backends.sqlite3": "backups.sqlite.SqliteOnlineBackupConnector",
    "django.db.backends.postgresql": "backups.postgres.SafePgDumpBinaryConnector",
}
DBBACKUP_FILENAME_TEMPLATE = "marquee-{databasename}-{servername}-{datetime}.{extension}"
DBBACKUP_MEDIA_FILENAME_TEMPLATE = "marquee-media-{servername}-{datetime}.{extension}"
# Microseconds: two backups in the same second must not compete for one name.
DBBACKUP_DATE_FORMAT = "%Y-%m-%d-%H%M%S-%f"
# dbbackup 5.4 mails `a[1] for a in ADMINS`, the second character of each Django 6 address:
# its own mail is off, backups/mail.py reports failures to ADMINS, and the pairs below keep
# dbbackup's code right should anything of it still send.
DBBACKUP_SEND_EMAIL = False
DBBACKUP_ADMIN = [(address, address) for address in ADMINS]
# At least one: 0 made `dbbackup --clean` delete the backup it had just written.
DBBACKUP_CLEANUP_KEEP = env_int("MARQUEE_BACKUP_KEEP", 10, minimum=1)
DBBACKUP_CLEANUP_KEEP_MEDIA = DBBACKUP_CLEANUP_KEEP

# Production hardening, checked by `manage.py check --deploy` in the test suite.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_log_level("DJANGO_LOG_LEVEL", "WARNING")},
}
