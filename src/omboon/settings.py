"""Django settings for Omboon.

One settings module for the laptop install (SQLite, the default) and the network server
(PostgreSQL when DATABASE_URL is set). Everything that differs comes from the environment.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("OMBOON_DATA_DIR", REPO_DIR / "data"))

SECRET_KEY = os.environ.get("OMBOON_SECRET_KEY", "dev-only-not-secret-change-me-on-a-server")
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
    "omboon.reports",
    "omboon.network",
    "omboon.imports",
    "omboon.web",
    "omboon.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "omboon.web.middleware.ThaiFirstLocaleMiddleware",  # Thai unless the switch chose English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

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
    "omboon.reports.fonts.SarabunFinder",
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Keyed hashes of national IDs compare members across groups without revealing the ID.
OMBOON_ID_HASH_KEY = os.environ.get("OMBOON_ID_HASH_KEY", SECRET_KEY)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OMBOON_LOG_LEVEL", "WARNING")},
}
