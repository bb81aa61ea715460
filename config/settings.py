"""ESSor settings: one module, read from the environment.

Defaults suit a local run (SQLite, DEBUG on). With DEBUG off the settings refuse to
start without a SECRET_KEY and ALLOWED_HOSTS, and turn on the secure-cookie and HTTPS
settings a public site needs.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default):
    value = os.environ.get(name)
    return default if value is None else [v.strip() for v in value.split(",") if v.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - only with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that it can patch it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "health_check",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "dbbackup",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    "import_export",
    "territories",
    "levers",
    "catalogue",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may answer: every API answer, an error too, is open to CORS.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LongUnprefixedURLMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "catalogue.middleware.PublicPageCacheMiddleware",
    "core.middleware.PublicPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalogue.context_processors.open_data",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite needs nothing installed; production and CI also run on PostgreSQL through
# DATABASE_URL (postgres://user@host:5432/name).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=env_int("CONN_MAX_AGE", 60)
    )
}
# An optional streaming replica: public pages (GET, outside the admin) read from it
# (config/routers.py, core/middleware.py); the admin and every write use the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: a public page's queries stop after this long (0: no limit); the visitor
# gets a 503 page (core/middleware.py). The admin and commands are not limited.
PUBLIC_STATEMENT_TIMEOUT_MS = env_int("PUBLIC_STATEMENT_TIMEOUT_MS", 5000)

# Django's cache (the home page, the search vocabulary): local memory by default;
# Redis when REDIS_URL is set, so that every server shares it and its invalidation.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Public pages for visitors not signed in stay in the cache this long, under a version
# that changes with anything they show (catalogue/middleware.py); 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 600)
# Sessions live in the database, every server sees them; with Redis they are also
# cached there, so that a signed-in page reads no session row.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# --- staff accounts -------------------------------------------------------------------
# Failed logins are counted per username and address (django-axes, in the database):
# after LOGIN_FAILURE_LIMIT failures, that username is refused from that address for
# LOGIN_COOLOFF_MINUTES, with a 429 page; each failure is logged as a warning.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The log says which username and address failed (never the password): what an
# operator needs to see an attack.
AXES_SENSITIVE_PARAMETERS = []
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip"
# Staff sessions end after a working day without activity (each request renews them).
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8) * 3600
SESSION_SAVE_EVERY_REQUEST = True
# The admin's address, so that it can be moved off the well-known /admin/.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
# Two-factor authentication for staff (django-otp, TOTP): off by default; when on,
# only staff with a confirmed authenticator app can open the admin.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", False)
OTP_TOTP_ISSUER = "ESSor"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: it is the default language and the first fallback.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# The interface strings of the whole project live in one place.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# The admin's French/English tabs use jQuery UI: served by the site (static/vendor/,
# jQuery UI 1.14.1, MIT), never from a CDN, which the security policy would refuse.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# An untranslated field shows the other language rather than nothing.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en"), "fr": ("en",), "en": ("fr",)}

# Django 6 will assume https:// for scheme-less links typed in forms; so do we now.
FORMS_URLFIELD_ASSUME_HTTPS = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files a curator proposes for a published record wait here, outside MEDIA_ROOT and
# never served to the public, until an editor applies them (catalogue/models/proposals.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "proposals": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Backups (`make backup`, django-dbbackup): the database and the media files.
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("BACKUP_DIR", str(BASE_DIR / "backups"))},
    },
}
# SQLite through its backup API (a consistent copy while the site runs); PostgreSQL with
# pg_dump and psql, the default.
DBBACKUP_CONNECTOR_MAPPING = {
    "django.db.backends.sqlite3": "dbbackup.db.sqlite.SqliteBackupConnector"
}
DBBACKUP_CLEANUP_KEEP = env_int("BACKUP_KEEP", 14)
DBBACKUP_SEND_EMAIL = False

# Uploads: images are small; anything larger is refused before it reaches a form. A
# request body above MAX_REQUEST_BYTES is refused unread (core/middleware.py).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 12_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- headers ------------------------------------------------------------------------
# Nothing inline, nothing from elsewhere: every script and style is a file of the site.
# No page may be framed by another site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The browser features no page uses, turned off.
PERMISSIONS_POLICY = {
    name: []
    for name in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "payment", "usb", "browsing-topics",
    )
}  # fmt: skip
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Set BEHIND_PROXY when a front server (nginx, deploy/) sets X-Forwarded-Proto and
# X-Real-IP: only then are those headers believed (a client could send them itself).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# The licence of the published data: the footer, the API and the data package say it.
DATA_LICENCE = {
    "name": os.environ.get("DATA_LICENCE_NAME", "etalab-2.0"),
    "title": os.environ.get("DATA_LICENCE_TITLE", "Licence Ouverte / Open Licence 2.0"),
    "path": os.environ.get(
        "DATA_LICENCE_URL", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    ),
}

# The public API (api/): read-only and anonymous, JSON only (browse it in its docs).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "api.schema.PublicSchema",
    "DEFAULT_FILTER_BACKENDS": [],
}
# Requests per client address (DRF's rate syntax: "120/min", "5000/hour").
API_RATE = os.environ.get("API_RATE", "120/min")
# How long public caches (browsers, proxies) may keep an answer without asking again;
# asking again with its ETag costs a 304 and no query.
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 300)
SPECTACULAR_SETTINGS = {
    "TITLE": "ESSor API",
    "DESCRIPTION": "The catalogue of the social and solidarity economy, in French and "
    "English: structures, practices, films, people, glossary, key figures, methods, "
    "levers, territories, themes and sources. Read-only; published records only.",
    "VERSION": "1",
    "LICENSE": {"name": DATA_LICENCE["title"], "url": DATA_LICENCE["path"]},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No call to swagger.io's validator: the docs make no request outside the site.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {"LanguageEnum": "core.models.Language"},
    # Its deploy check builds the schema, which reads the search vocabulary from the
    # database: checks must not need one. tests/test_api_schema.py checks the schema.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}
# Other sites may read the API from their pages (GET only, no cookies).
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link"]

# Curation: imports are one transaction; importing needs the "change" permission,
# exporting the "view" one.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# What one import may hold (core/spreadsheets.py): larger files are refused, with why.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5_000_000)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5_000)
IMPORT_MAX_CELL_CHARACTERS = 20_000
IMPORT_MAX_UNPACKED_BYTES = 50_000_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Failed and locked-out logins (django-axes) are warnings: always logged.
    "loggers": {"axes": {"level": "WARNING"}},
}
