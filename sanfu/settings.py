"""Sanfu settings, read from the environment (every variable is in .env.example)."""

import datetime
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sanfu.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SANFU_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-not-secret"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Proxies (nginx) whose X-Real-IP header names the client, for rate limits.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # the project's apps come first so their templates and catalogues win
    "sanfu",
    "text",
    "org",
    "campaigns",
    "publicity",
    "demands",
    "ledgers",
    "evaluation",
    "dashboard",
    "notify",
    "audit",
    "api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # the client address for the audit entries the request writes
    "audit.trail.AddressMiddleware",
    "org.middleware.TwoStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "text.middleware.ScriptMiddleware",
    # last, as django-axes asks: it answers a locked-out login
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sanfu.urls"
WSGI_APPLICATION = "sanfu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sanfu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, anything DATABASE_URL names otherwise ---
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanfu.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: in-process by default, Redis when REDIS_URL is set ---
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sanfu",
        }
    }

# --- People and permissions ---
AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = [
    # first: refuses a locked-out username or address before a password is checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "campaigns.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# --- Languages: zh-Hans by default, zh-Hant and English ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [
    BASE_DIR / "sanfu" / "locale",
    # zh-Hant gaps of Wagtail's own catalogues, filled from zh-Hans through OpenCC
    BASE_DIR / "text" / "locale_fill",
]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# Traditional script variant shown to readers: s2tw (Taiwan forms) or s2hk.
SANFU_TRADITIONAL_CONFIG = env_str("SANFU_TRADITIONAL_CONFIG", "s2tw")
if SANFU_TRADITIONAL_CONFIG not in {"s2tw", "s2hk"}:
    raise ImproperlyConfigured("SANFU_TRADITIONAL_CONFIG must be s2tw or s2hk")

# --- Files ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [BASE_DIR / "sanfu" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security ---
# --- Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for AXES_COOLOFF_HOURS; a good
# login before that clears the count. The address is the one the rate limits use.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(hours=env_int("AXES_COOLOFF_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "sanfu.lib.ratelimit.client_key"
AXES_LOCKOUT_TEMPLATE = "sanfu/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Mail ---
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sanfu@localhost")

# --- Wagtail ---
WAGTAIL_SITE_NAME = "三服务一促进"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The column's review publishes as the publicity group (publicity.workflows).
WAGTAIL_FINISH_WORKFLOW_ACTION = "publicity.workflows.publish_workflow_state"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "txt", "jpg", "png"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Demands (the 12345-style channel) ---
SANFU_DEMANDS: dict[str, Any] = {
    # hours the office has to dispatch, by urgency
    "DISPATCH_HOURS": {"critical": 1, "urgent": 2, "normal": 24},
    # working days a unit has to accept (簽收) a dispatched demand
    "ACCEPT_WORKDAYS": 1,
    # working days to reply, by kind (a campaign may set its own: DeadlineRule)
    "REPLY_WORKDAYS": {
        "consultation": 2,
        "help": 10,
        "complaint": 10,
        "report": 15,
        "suggestion": 15,
        "praise": 15,
    },
    # days a replied demand waits for its rating before it closes unrated
    "RATING_WINDOW_DAYS": env_int("SANFU_RATING_WINDOW_DAYS", 7),
    # hours before a deadline at which its card turns yellow (red once it passed)
    "YELLOW_HOURS": env_int("SANFU_YELLOW_HOURS", 24),
    # working days after the reminder notice (催辦) before the circular (通報)
    "CIRCULAR_AFTER_WORKDAYS": 5,
    # days after a demand closed at which its submitter's personal data is erased
    "PERSONAL_DATA_RETENTION_DAYS": env_int("SANFU_PERSONAL_DATA_RETENTION_DAYS", 730),
    # attachments
    "ATTACHMENT_MAX_BYTES": 5 * 1024 * 1024,
    "ATTACHMENT_MAX_COUNT": 5,
}
