"""Sanfu settings, read from the environment (every variable is in .env.example)."""

import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SANFU_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-not-secret"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Proxies (nginx) whose X-Real-IP header names the client, for rate limits.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# the project's own apps (audit/changes.py audits their models)
SANFU_APPS = [
    "sanfu",
    "text",
    "org",
    "campaigns",
    "plans",
    "publicity",
    "demands",
    "ledgers",
    "evaluation",
    "dashboard",
    "notify",
    "jobs",
    "audit",
    "audit_search",
    "api",
]
INSTALLED_APPS = [
    # the project's apps come first so their templates and catalogues win
    *SANFU_APPS,
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "org.apps.WagtailUsersConfig",  # Wagtail's people screens, audited
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
    "django.contrib.sitemaps",  # the sitemap's templates
    "axes",
    "ninja",  # the API docs from our own static files, not a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sanfu.middleware.ContentSecurityPolicyMiddleware",
    "sanfu.middleware.ReplicaMiddleware",
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
    # inside sessions, language, sign-in and messages; outside the script
    # conversion, so that it stores the converted page
    "publicity.page_cache.PageCacheMiddleware",
    "text.middleware.ScriptMiddleware",
    # the site's own 404 for a public page also under DEBUG
    "sanfu.middleware.PublicNotFoundMiddleware",
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
                "publicity.site_identity.site_frame_context",
                "core.csp.csp_nonce",
                "publicity.page_cache.csrf_placeholder",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, anything DATABASE_URL names otherwise ---
# Persistent connections (DATABASE_CONN_MAX_AGE seconds; 0 closes each at the end of
# its request) are checked before each request reuses them, so a restarted
# PostgreSQL costs one reconnection, not an error.
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 0)
# Seconds a new PostgreSQL connection may take before the request fails (and says so)
# rather than hangs while the server is down.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
# Milliseconds one statement may run on PostgreSQL (0: no limit).
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 0)


def _database(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True
        )
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        if DATABASE_STATEMENT_TIMEOUT:
            options["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"
    return config


DATABASES = {
    "default": _database(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanfu.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# A read replica: the views named in DATABASE_REPLICA_VIEWS (lists and reports) read
# from it, unless the request writes or follows a write (sanfu.db_router).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    # Tests run against one database: the replica mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["sanfu.db_router.ReplicaRouter"]
DATABASE_REPLICA_VIEWS = env_list(
    "DATABASE_REPLICA_VIEWS",
    [
        "demands:replied",
        "demands:figures",
        "demands_office:index",
        "demands_metrics:index",
        "demands_metrics:export",
        "dashboard:cockpit",
        "dashboard:weekly_report",
    ],
)
# Seconds after a write during which the same browser reads from the primary, so a
# redirect after a POST shows what was just written (replication lag).
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions and rate limits: in-process by default, Redis when REDIS_URL
# is set (shared by every app server). Sessions get their own alias, so clearing
# the cache signs nobody out.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    _redis_options = {
        # a Redis that stopped answering fails the request instead of hanging it
        "socket_connect_timeout": env_int("REDIS_TIMEOUT", 2),
        "socket_timeout": env_int("REDIS_TIMEOUT", 2),
        "health_check_interval": 30,
    }
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sanfu",
            "OPTIONS": _redis_options,
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sanfu-session",
            "TIMEOUT": None,
            "OPTIONS": _redis_options,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sanfu",
        }
    }

# --- Background tasks (django-tasks) ---
# The project's own tasks go to the "sanfu" backend: queue "sanfu" for notices, mail
# and sweeps, "sanfu_long" for imports, exports and reports, so a long export never
# holds up a notice. SANFU_TASKS_BACKEND picks its engine: immediate (run in the
# request: development, tests), database (django-tasks-db, one host: `manage.py
# db_worker --backend sanfu --queue-name '*'`) or rq (django-tasks-rq on REDIS_URL,
# any number of hosts: `manage.py rqworker --with-scheduler sanfu sanfu_long`,
# the scheduler for tasks queued to run later). Wagtail's own tasks
# (search index, renditions, cache purges) keep the "default" backend, which runs
# them in the request, so none waits on, or is lost without, a worker.
SANFU_TASKS_BACKEND = env_str("SANFU_TASKS_BACKEND", "immediate")
SANFU_TASK_QUEUES = ["sanfu", "sanfu_long"]
_TASK_ENGINES = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if SANFU_TASKS_BACKEND not in _TASK_ENGINES:
    raise ImproperlyConfigured("SANFU_TASKS_BACKEND must be immediate, database or rq")
if SANFU_TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("SANFU_TASKS_BACKEND=rq needs REDIS_URL")
TASKS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": _TASK_ENGINES["immediate"]},
    "sanfu": {
        "BACKEND": _TASK_ENGINES[SANFU_TASKS_BACKEND],
        "QUEUES": SANFU_TASK_QUEUES,
    },
}
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
if SANFU_TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {name: {"URL": REDIS_URL} for name in SANFU_TASK_QUEUES}

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
    # zh-Hans gaps of Wagtail's own catalogues, translated by hand
    BASE_DIR / "text" / "locale_wagtail",
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
# Readings of articles are counted in each app server's memory and written at most
# this often (publicity.readings); 0 writes every reading at once.
SANFU_READINGS_FLUSH_SECONDS = env_int("SANFU_READINGS_FLUSH_SECONDS", 10)

# --- Files: local disk by default, S3-compatible storage when STORAGE_BACKEND=s3 ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [BASE_DIR / "sanfu" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# `manage.py backup` encrypts its archives with this Fernet key when it is set;
# `restore` needs it to read them (sanfu/backup.py)
SANFU_BACKUP_KEY = env_str("SANFU_BACKUP_KEY", "")

# days after an objection to an advanced model was filed at which its author's name
# and phone are erased (the notice lasts 30 days at most; the award follows it)
SANFU_OBJECTION_RETENTION_DAYS = env_int("SANFU_OBJECTION_RETENTION_DAYS", 365)
# Private files (work plans, ledger evidence, demands' attachments and notices,
# inspection evidence, background jobs' files) live here, outside every folder a
# web server serves, under random names; only views that check access hand them out
# (core.private_files). SANFU_X_ACCEL: those views answer with an
# X-Accel-Redirect to nginx's internal locations (deploy/nginx.conf) instead of
# sending the bytes themselves.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
for _served in (MEDIA_ROOT, STATIC_ROOT):
    if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(_served.resolve()):
        raise ImproperlyConfigured(
            "PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT or STATIC_ROOT"
        )
SANFU_X_ACCEL = env_bool("SANFU_X_ACCEL", False)
SANFU_X_ACCEL_PRIVATE = "/_protected/private/"
SANFU_X_ACCEL_MEDIA = "/_protected/media/"
if SANFU_X_ACCEL:
    # Wagtail's document view hands the file to nginx as well
    SENDFILE_BACKEND = "core.private_files"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Production: collectstatic writes hashed names and gzip copies, nginx serves them
# with a far-future expiry (deploy/nginx.conf); an app server without nginx serves
# them through WhiteNoise. Needs collectstatic before the server starts.
STATIC_HASHED = env_bool("STATIC_HASHED", False)
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "local":
    _media: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _private: dict[str, Any] = {"BACKEND": "core.private_files.PrivateStorage"}
elif STORAGE_BACKEND == "s3":
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("STORAGE_BUCKET"),
            "endpoint_url": env_str("STORAGE_ENDPOINT_URL") or None,
            "region_name": env_str("STORAGE_REGION") or None,
            "access_key": env_str("STORAGE_ACCESS_KEY") or None,
            "secret_key": env_str("STORAGE_SECRET_KEY") or None,
            "custom_domain": env_str("STORAGE_CUSTOM_DOMAIN") or None,
            "location": env_str("STORAGE_PREFIX"),
            # uploads are private: links are signed and expire
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("STORAGE_URL_EXPIRE", 3600),
            "file_overwrite": False,
        },
    }
    if not _media["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("STORAGE_BUCKET must be set when STORAGE_BACKEND=s3")
    # the same private bucket, its own folder; links to it are never handed out
    _private = {
        **_media,
        "OPTIONS": {
            **_media["OPTIONS"],
            "location": "/".join(filter(None, [env_str("STORAGE_PREFIX"), "private"])),
        },
    }
else:
    raise ImproperlyConfigured("STORAGE_BACKEND must be local or s3")
STORAGES = {
    "default": _media,
    "private": _private,
    "staticfiles": {
        "BACKEND": "core.static_files.StaticStorage"
        if STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if STATIC_HASHED:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# --- Security ---
# --- Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for AXES_COOLOFF_HOURS; a good
# login before that clears the count. The address is the one the rate limits use.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(hours=env_int("AXES_COOLOFF_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_key"
AXES_LOCKOUT_TEMPLATE = "sanfu/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
# Wagtail's preview panel shows the site's own pages in a frame: SAMEORIGIN, not DENY.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# TLS ends at nginx, which says so in X-Forwarded-Proto (deploy/nginx.conf).
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Content-Security-Policy of every response (sanfu.middleware); empty sends none.
# Public pages run only the site's own script files and the inline scripts that
# carry the request's nonce, which the middleware adds to script-src. Styles may
# still be inline (Wagtail's rich text and the templates' style attributes).
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{media}; "
    "media-src 'self'{media}; font-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; frame-ancestors 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
_media_origin = env_str("STORAGE_CUSTOM_DOMAIN") or env_str("STORAGE_ENDPOINT_URL")
if _media_origin and STORAGE_BACKEND == "s3":
    _media_origin = " " + (
        _media_origin if "://" in _media_origin else f"https://{_media_origin}"
    )
else:
    _media_origin = ""
# The demand form's map shows tiles from the deployment's own tile server (an
# XYZ template such as https://tiles.example.gov.cn/{z}/{x}/{y}.png); without one
# there is no map and no request leaves for an outside tile server.
SANFU_MAP: dict[str, Any] = {
    "TILE_URL": env_str("SANFU_MAP_TILE_URL", ""),
    # where the map opens: the campaign's territory (Guangzhou for the demo)
    "CENTER": env_list("SANFU_MAP_CENTER", ["23.1291", "113.2644"]),
    "ZOOM": env_int("SANFU_MAP_ZOOM", 11),
}
_public_csp = DEFAULT_CSP.format(media=_media_origin)
if SANFU_MAP["TILE_URL"]:
    _tiles = urlsplit(str(SANFU_MAP["TILE_URL"]))
    _public_csp = _public_csp.replace(
        "img-src 'self'", f"img-src 'self' {_tiles.scheme}://{_tiles.netloc}"
    )
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY", "" if DEBUG else _public_csp
)
# The back office (/admin/): Wagtail's own scripts build functions from strings
# (templates in its core.js), so it needs 'unsafe-eval', and its widgets and panels
# write inline scripts without a nonce, so it needs 'unsafe-inline'; the public
# pages need neither.
CONTENT_SECURITY_POLICY_ADMIN = env_str(
    "CONTENT_SECURITY_POLICY_ADMIN",
    CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'"
    ),
)
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool(
    "CONTENT_SECURITY_POLICY_REPORT_ONLY", False
)

# --- Mail ---
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sanfu@localhost")

# --- Wagtail ---
WAGTAIL_SITE_NAME = "三服务一促进"
# throttled per address and per account (sanfu/tests/test_password_reset.py)
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "org.forms.ThrottledPasswordResetForm"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's default avatar, not Gravatar's: that sent a hash of each person's e-mail
# to an outside site, for an image the Content-Security-Policy refuses anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The column's review publishes as the publicity group (publicity.workflows).
WAGTAIL_FINISH_WORKFLOW_ACTION = "publicity.workflows.publish_workflow_state"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents go through Wagtail's view, never a storage link: publicity.documents
# decides who may have each one (before_serve_document).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
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
    # The demo's fast clock, which `make run` (manage.py run_dev) sets: minutes a
    # unit has to accept instead of working days, and the reminder (催辦) at the
    # first sweep after a missed deadline instead of the next working day, so the
    # demo shows the sweep's reminder minutes after a dispatch. 0: the real rules.
    "DEMO_ACCEPT_MINUTES": env_int("SANFU_DEMO_ACCEPT_MINUTES", 0),
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
    # working days after the reminder notice (催辦) before the circular (通報)
    "CIRCULAR_AFTER_WORKDAYS": 5,
    # days after a demand closed at which its submitter's personal data is erased
    "PERSONAL_DATA_RETENTION_DAYS": env_int("SANFU_PERSONAL_DATA_RETENTION_DAYS", 730),
    # seconds of submissions whose duplicate check one background task does (with a
    # queue that runs tasks later; 0: a task per submission)
    "DUPLICATE_CHECK_SECONDS": env_int("SANFU_DUPLICATE_CHECK_SECONDS", 5),
    # the routing model: minutes at least between two retrainings of a campaign's
    # model (each round of the clock checks for new confirmed dispatches), and the
    # newest confirmed dispatches one training reads at most
    "ROUTING_RETRAIN_MINUTES": env_int("SANFU_ROUTING_RETRAIN_MINUTES", 60),
    "ROUTING_TRAINING_LIMIT": 200_000,
    # attachments
    "ATTACHMENT_MAX_BYTES": 5 * 1024 * 1024,
    "ATTACHMENT_MAX_COUNT": 5,
}
