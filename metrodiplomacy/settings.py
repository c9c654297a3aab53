"""Settings, all read from environment variables with working defaults.

Every variable is documented in docs/settings.md; a test fails when one is not.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from metrodiplomacy import instance

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "metrodiplomacy-insecure-development-key"


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """Addresses or networks (`10.0.0.0/8`), comma separated; a typo stops the start, not the first request."""
    entries = env_list(name, "")
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: {entry!r} is not an address or network") from error
    return entries


DATA_DIR = instance.data_dir()
SECRET_KEY_FILE = instance.secret_key_file()


def read_secret_key() -> str:
    """The key from the environment, else the one `metrodip init` generated for this data directory."""
    if env("METRODIP_SECRET_KEY"):
        return env("METRODIP_SECRET_KEY")
    if SECRET_KEY_FILE.exists():
        return SECRET_KEY_FILE.read_text().strip()
    return DEFAULT_SECRET_KEY


DEBUG = env_bool("METRODIP_DEBUG", False)
SECRET_KEY = read_secret_key()
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    # A production instance signing sessions with a key published in the source is open to anyone.
    raise ImproperlyConfigured(
        "Refusing to start: METRODIP_DEBUG is off and the secret key is the published default. "
        "Set METRODIP_SECRET_KEY, or run `metrodip init` to generate one in the data directory."
    )

ALLOWED_HOSTS = env_list("METRODIP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("METRODIP_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "metrodiplomacy.accounts",
    "metrodiplomacy.places",
    "metrodiplomacy.actors",
    "metrodiplomacy.workspaces",
    "metrodiplomacy.evidence",
    "metrodiplomacy.diplomacy",
    "metrodiplomacy.cooperation",
    "metrodiplomacy.strategy",
    "metrodiplomacy.coordination",
    "metrodiplomacy.observatory",
    "metrodiplomacy.caching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public GETs answered from memory until the next committed write (metrodiplomacy/caching).
    "metrodiplomacy.caching.middleware.PublicResponseCacheMiddleware",
    # Refuses an upload larger than any accepted file before its body is read.
    "metrodiplomacy.uploads.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Absolute session lifetime, and `Cache-Control: no-store` on every answer to a signed-in caller.
    "metrodiplomacy.sessions.SessionLifetimeMiddleware",
    # Reads a signed-in user's memberships once per request instead of once per gated query.
    "metrodiplomacy.records.ReadingScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change, so every version in the history has an author.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: it answers locked-out logins before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "metrodiplomacy.urls"
WSGI_APPLICATION = "metrodiplomacy.wsgi.application"

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
            ]
        },
    }
]

DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "metrodiplomacy.sqlite3",
            # Each server thread keeps its connection: opening one runs the PRAGMAs below on every request.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers work while one writer writes; synchronous=FULL because NORMAL
                # may lose the last commits on power loss (DESIGN.md §6).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new and changed passwords are hashed with it; older PBKDF2 hashes still verify and upgrade.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Throttle guessing: five failures for one username from one address lock that pair for 15 minutes, then
# it opens again by itself (axes' default would lock forever, DESIGN.md §6).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address is the client's, not a reverse proxy's: X-Forwarded-For is believed only from the proxies
# named here (addresses or networks), none by default, so a client cannot pick the address it is counted
# under; behind a proxy, every client would otherwise share the proxy's (metrodiplomacy/client_address.py).
METRODIP_TRUSTED_PROXIES = env_networks("METRODIP_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "metrodiplomacy.client_address.client_address"
# django-otp's own code throttle doubles its delay without end (a lockout in all but name); the code step
# counts wrong codes itself and cools off like the password step (metrodiplomacy/accounts/services.py).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = "Metrodiplomacy"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("ca", "Català"), ("fr", "Français")]
TIME_ZONE = env("METRODIP_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
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
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "workspaces:sign_in"
# Anonymous public answers kept in memory until the next committed write (metrodiplomacy/caching).
METRODIP_RESPONSE_CACHE = env_bool("METRODIP_RESPONSE_CACHE", True)

# No inline script anywhere, no plug-ins, no framing; every asset from this host (the app works offline).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Security headers that hold in every environment; HTTPS-only settings follow METRODIP_HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Mail (the coordination digest): printed to the console unless a deployment names a real backend.
EMAIL_BACKEND = env("METRODIP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("METRODIP_FROM_EMAIL", "metrodiplomacy@localhost")
# A session ends after an idle hour and, however active, twelve hours after sign-in (metrodiplomacy/sessions.py).
SESSION_IDLE_SECONDS = int(os.environ.get("METRODIP_SESSION_IDLE_SECONDS", 60 * 60))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("METRODIP_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
HTTPS = env_bool("METRODIP_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Where `metrodip load casestudies` finds the bundled case studies, and the organisation that owns them.
CASESTUDIES_DIR = BASE_DIR / "datasets" / "casestudies"
CASESTUDIES_OWNER = "metrodiplomacy-casestudies"
# The folder holding the seed documents that bundled citations point into (used by the checks).
SEEDS_DIR = Path(env("METRODIP_SEEDS_DIR", str(BASE_DIR.parent.parent / "shared" / "seeds")))

# Secrets in addresses (a calendar feed's `?token=`) are masked in every log line: the development server's
# request log (django.server, as Django configures it but filtered) and anything else that logs a URL.
# `metrodip serve` masks gunicorn's access log the same way (metrodiplomacy/access_log.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "metrodiplomacy.access_log.RedactSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "loggers": {
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["redact_secrets"],
            "level": "INFO",
            "propagate": False,
        }
    },
    "root": {"handlers": ["console"], "level": env("METRODIP_LOG_LEVEL", "WARNING")},
}
