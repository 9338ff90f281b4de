"""Django settings for Omboon.

One settings module for the laptop install (SQLite, the default) and the network server
(PostgreSQL when DATABASE_URL is set). Everything that differs comes from the environment.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url

from omboon.core import secret_key

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("OMBOON_DATA_DIR", REPO_DIR / "data"))

# OMBOON_SECRET_KEY on a server (required there); a laptop makes its own in DATA_DIR/secret_key.
SECRET_KEY = secret_key.load(os.environ, DATA_DIR)
DEBUG = os.environ.get("OMBOON_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("OMBOON_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "omboon.core",
    "omboon.orgs",
    "omboon.members",
    "omboon.ledger",
    "omboon.contributions",
    "omboon.welfare",
    "omboon.loans",
    "omboon.savings",
    "omboon.reports",
    "omboon.network",
    "omboon.imports",
    "omboon.web",
    "omboon.api",
    "omboon.demo",
    "ninja",  # the API docs from ninja's own static files, not a CDN (the CSP allows only 'self')
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "omboon.web.middleware.ThaiFirstLocaleMiddleware",  # Thai unless the switch chose English
    "omboon.web.middleware.RequestSizeLimitMiddleware",  # 413 before anything reads the body
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "omboon.web.middleware.NoStoreMiddleware",  # pages, PDFs and exports are never cached
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the 429 login page
]

ROOT_URLCONF = "omboon.urls"
WSGI_APPLICATION = "omboon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "omboon.web.context.shell",
            ],
            "builtins": ["omboon.core.templatetags.thai"],
        },
    },
]


def _databases():
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=60)
        db.setdefault("TEST", {})
        return {"default": db}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("OMBOON_SQLITE", str(DATA_DIR / "omboon.sqlite3")),
            "OPTIONS": {
                # Writers queue instead of failing: BEGIN IMMEDIATE takes the write lock up
                # front, so two treasurers never deadlock on a lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=30000;"
                    # A statement journal per row that fires a trigger (the ledger's guards)
                    # kept in memory, not a temporary file: ~14 → ~3 µs a row.
                    "PRAGMA temp_store=MEMORY;"
                ),
            },
            "TEST": {"NAME": os.environ.get("OMBOON_SQLITE_TEST")},
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if os.environ.get("OMBOON_FAST_HASHER") == "1":  # tests and demo builds only
    PASSWORD_HASHERS.insert(0, "django.contrib.auth.hashers.MD5PasswordHasher")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes; omboon.web.signin): 5 wrong passwords for one username, or
# 20 from one address across any usernames, lock sign-in for 15 minutes. A chair or a system
# admin can unlock a user from /o/<org>/sign-ins/.
AUTHENTICATION_BACKENDS = [
    "omboon.web.signin.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "omboon.web.signin.SignInHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5  # per username; an address gets OMBOON_ADDRESS_FAILURE_LIMIT
OMBOON_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True  # the user's own failures only (SignInHandler.reset_user_attempts)
AXES_LOCKOUT_CALLABLE = "omboon.web.signin.lockout_response"
AXES_VERBOSE = False
# Behind a reverse proxy the address is the proxy's unless it passes the client's on.
AXES_IPWARE_PROXY_COUNT = int(os.environ["OMBOON_PROXY_COUNT"]) if os.environ.get("OMBOON_PROXY_COUNT") else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders; the folder must exist
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Sarabun's TTF files from the fontpkg_sarabun package, as static/omboon/fonts/*.ttf
    "omboon.core.fonts.SarabunFinder",
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- security (see README "Production / เครื่องแม่ข่าย") ---------------------------------------
# Behind HTTPS (a server with a certificate, or a proxy that terminates TLS): secure cookies,
# HSTS for a year, http → https, and the proxy's X-Forwarded-Proto trusted.
HTTPS = os.environ.get("OMBOON_HTTPS", "0") == "1"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The browsers' preload list is the domain owner's choice (hard to undo): OMBOON_HSTS_PRELOAD=1.
    SECURE_HSTS_PRELOAD = os.environ.get("OMBOON_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_FAILURE_VIEW = "omboon.web.errors.csrf_failure"  # the app's own page, in the user's language
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("OMBOON_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the app itself.
# The one inline script allowed is the print buttons' window.print() (by its hash, as an
# onclick and as the public pages' javascript: link);
# styles may be inline because print pages and PDFs embed their own CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [
            "'self'", "'unsafe-hashes'",
            "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",  # onclick="window.print()"
            "'sha256-loNEcvOiwPZFEqTNJYE+/sdSv0X/6zDcCFyxAG+oGiw='",  # href="javascript:window.print()"
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Request sizes: form fields up to 2.5 MB (Django's default), a file up to the imports' 24 MB
# (omboon.imports.limits.MAX_FILE_BYTES, which answers a larger file with its own message) —
# larger requests get a 413 page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # bigger files go to a temporary file, not memory
OMBOON_MAX_UPLOAD_BYTES = 26 * 1024 * 1024  # a whole multipart request: a 24 MB file and its form

# Keyed hashes of national IDs compare members across groups without revealing the ID.
OMBOON_ID_HASH_KEY = os.environ.get("OMBOON_ID_HASH_KEY", SECRET_KEY)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OMBOON_LOG_LEVEL", "WARNING")},
}
