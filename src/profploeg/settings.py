"""Settings, read from the environment. Defaults are for development on SQLite."""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("PROFPLOEG_HOME", PACKAGE_DIR.parent.parent))


TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; anything but the usual spellings stops the start (a typo must not
    silently switch a protection off)."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value: use 1/0, true/false.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file that NAME_FILE points at (systemd credentials,
    Docker/Kubernetes secrets), so that it need not sit in the environment."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {error}") from None
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", True)
# Read here, not from settings.DEBUG at run time (the test runner switches that off): a
# production-like set-up loads the demo, with its published password, only when forced.
DEMO_ALLOWED = env_bool("DEMO_ALLOWED", DEBUG)
SECRET_KEY = env_secret("SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "[::1]", "::1"}
if DEBUG and not set(ALLOWED_HOSTS) <= LOCAL_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    # DEBUG pages show settings and code: never on a host that others can reach.
    raise ImproperlyConfigured("DEBUG is on: serve only on this machine, or set DEBUG=0.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",
    "auditlog",
    # Swagger UI served from the package's own static files (offline, no CDN)
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "profploeg.accounts",
    "profploeg.municipalities",
    "profploeg.programmes",
    "profploeg.applications",
    "profploeg.trajectories",
    "profploeg.evaluations",
    "profploeg.showcase",
    "profploeg.reports",
    "profploeg.api",
    "profploeg.history",
    "profploeg.downloads",
    "profploeg.demo",
    "profploeg.operations",
    "profploeg.audit",
]

MIDDLEWARE = [
    "profploeg.operations.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "profploeg.accounts.middleware.SecondFactorRequiredMiddleware",
    "profploeg.accounts.middleware.PrivateResponseMiddleware",
    "profploeg.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, as django-axes requires: it turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "profploeg.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "profploeg.programmes.switch.programme_switch",
                "profploeg.navigation.navigation",
            ],
            # The cached loader wraps these whenever DEBUG is off (production).
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "builtins": ["template_partials.templatetags.partials", "profploeg.lib.format_filters"],
        },
    },
]
if not DEBUG:
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        ("django.template.loaders.cached.Loader", TEMPLATES[0]["OPTIONS"]["loaders"])
    ]

WSGI_APPLICATION = "profploeg.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'profploeg.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
# django-axes first: a username and address that failed too often cannot log in for a while.
AUTHENTICATION_BACKENDS = [
    "profploeg.accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures from one address over every username (someone trying many names) lock that address,
# within the same cool-off; higher than the per-username limit, since a town hall's staff share
# one address. axes has one limit for all its parameters, hence our own handler.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_HANDLER = "profploeg.accounts.backends.AddressLimitHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "profploeg.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "profploeg.accounts.backends.client_ip"
AXES_VERBOSE = False
# Behind the reverse proxy the caller's address is in a header the proxy sets (HTTP_X_REAL_IP).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")
# Second factor after the password: on by default in production, off for `make run` and tests.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Profploeg"
OTP_EMAIL_SUBJECT = _("Your Profploeg login code")
OTP_EMAIL_BODY_TEMPLATE_PATH = "accounts/email/login_code.txt"
OTP_EMAIL_TOKEN_VALIDITY = 600
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if sys.argv[1:2] == ["test"]:
    # Hashing is deliberately slow; tests create many users and need no protection.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Belgian dates (7 februari 2022, 07/02/2022) in Dutch and English; see lib/locale_formats.
FORMAT_MODULE_PATH = ["profploeg.lib.locale_formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# An import's upload waits for its confirmation this long at most (it holds personal data);
# `profploeg remove_unconfirmed_uploads` from the nightly timer deletes older ones.
IMPORT_UPLOAD_HOURS = env_int("IMPORT_UPLOAD_HOURS", 24)
# Uploaded files live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
if sys.argv[1:2] == ["test"]:
    # Uploads made by tests (attachments, demo photos) never land in the project's media folder.
    import tempfile

    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="profploeg-test-media-"))
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds: a mail server that hangs must not block the task worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "profploeg@vlaio.be")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Immediate in development: the task still runs only after the transaction commits, because
# services enqueue it from transaction.on_commit. Production sets TASK_BACKEND=database and runs
# `profploeg db_worker`.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.backend.DatabaseBackend",
        }[os.environ.get("TASK_BACKEND", "immediate")]
    }
}

# Sessions end after a working day (seconds), and the cookies stay out of scripts and other sites.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: our own scripts, styles and images only; no inline scripts or style
# attributes (charts use SVG presentation attributes), no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The reverse proxy terminates TLS and says so in this header (see deploy/nginx.conf).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A monitor on the machine itself may ask over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    if SECRET_KEY.startswith("dev-only") or SECRET_KEY.startswith("change-me"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        from django.core.exceptions import ImproperlyConfigured

        # Django's own deploy check asks the same: sessions and reset links are signed with it.
        raise ImproperlyConfigured(
            "SECRET_KEY is too short or too simple: use 50 or more random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
        )

# The cache shared by every app process: the API's rate-limit counters and De Vitrine's pages.
# CACHE_URL=redis://127.0.0.1:6379/0 in production (one count for all gunicorn workers);
# without it each process has its own memory cache, which is right for `make run` and tests.
CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "profploeg"),
        }
    }
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: use redis://host:port/db or locmem://.")

# Seconds a status report's page figures and downloads stay cached, keyed on the data version
# (operations/versioning.py); 0 turns the cache off. Off in the test suite: Django's TestCase never
# commits, so the version never moves there; the cache's own tests turn it on.
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 600)
if sys.argv[1:2] == ["test"] and "REPORT_CACHE_SECONDS" not in os.environ:
    REPORT_CACHE_SECONDS = 0

# API requests per token (or logged-in user) per fixed window: "N/second|minute|hour|day".
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/minute")
if sys.argv[1:2] == ["test"] and "API_RATE_LIMIT" not in os.environ:
    # Test users share primary keys from test to test within one minute: only the rate-limit
    # tests (which set their own limit) may meet the limit.
    API_RATE_LIMIT = "1000000/minute"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
