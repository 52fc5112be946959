"""Settings for infosite, read from the environment.

Development works with no variables set. In production (``DEBUG`` off) the
secret key and allowed hosts must be given; nothing falls back to a default.
"""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from js_asset import static_lazy

from articles.prose import process_article_link

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_policy(name, default):
    """Read ``kind:count`` pairs; the kinds and counts are checked at start-up
    (infosite/checks.py), a pair that cannot be read stops the site here."""
    policy = {}
    for item in env_list(name, default):
        kind, _, count = item.partition(":")
        try:
            policy[kind.strip()] = int(count)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be kind:count pairs such as {default}; "
                f"“{item}” is not one."
            ) from None
    return policy


DEBUG = env_bool("DEBUG")

# No default outside development: Django refuses to sign anything with an empty
# key, and the web server (wsgi.py, asgi.py) refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-never-use-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

# The address people reach the site at, for links in emails. No default in
# production: `check --deploy` fails without an https address here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
SITE_URL = SITE_URL.rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin, with each app's admin.py imported on first use (infosite/staff.py).
    "infosite.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",
    "django_tasks_db",
    "django_prose_editor",
    "axes",
    "articles",
    "reviews",
    "notifications",
    "plainenglish",
    "demo",
    "infosite",
]

MIDDLEWARE = [
    # Answers to HEAD keep their headers and lose their body (infosite/health.py).
    "infosite.health.HeadWithoutBodyMiddleware",
    # Load balancers' health checks, answered by any host name or address and over
    # plain HTTP, before the host check and the HTTPS redirect (infosite/health.py).
    "infosite.health.HealthCheckMiddleware",
    # Whole public pages for readers come first: a cached page skips the rest.
    "articles.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "infosite.badrequests.RefuseNullCharactersMiddleware",
    "infosite.health.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "infosite.replica.ReplicaForReadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "infosite.urls"

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
                "django.template.context_processors.csp",
                "infosite.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "infosite.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # Off by default: a check costs a SELECT 1 before every request that
        # reads the database (a sixth of a cached page's time). Without it, the
        # first request a worker makes after a database restart fails once.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS"),
    )
}
# A database that cannot be reached or does not answer fails fast: readers get
# the 503 page (infosite/health.py) instead of a request held for minutes.
# Long maintenance commands can lift the limit with DB_STATEMENT_TIMEOUT_MS=0.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "2"))
DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "2000"))
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _db_options["connect_timeout"] = DB_CONNECT_TIMEOUT
    # Kept beside any options given in DATABASE_URL's ?options=.
    _db_options["options"] = " ".join(
        [
            _db_options.get("options", ""),
            f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
        ]
    ).strip()
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # How long to wait for another process's write to finish (SQLite's lock).
    _db_options.setdefault(
        "timeout", DB_STATEMENT_TIMEOUT_MS / 1000 if DB_STATEMENT_TIMEOUT_MS else 60
    )
del _db_options

# A read replica, when there is one: readers' public pages read from it while it
# is current (see infosite/replica.py); everything else uses the primary.
READ_REPLICA = bool(os.environ.get("DATABASE_REPLICA_URL"))
if READ_REPLICA:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"],
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["infosite.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks are rows in the database, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# KEY_PREFIX keeps two sites sharing one Redis apart; raising CACHE_VERSION sets
# every cached value aside at once (after an upgrade that changes what is cached).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Fails open: with Redis away, pages are made from the database.
            "BACKEND": "infosite.cache.FailOpenRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": float(
                    os.environ.get("CACHE_CONNECT_TIMEOUT", "0.25")
                ),
                "socket_timeout": float(os.environ.get("CACHE_TIMEOUT", "0.25")),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "infosite")
CACHES["default"]["VERSION"] = int(os.environ.get("CACHE_VERSION", "1"))

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
# One British format for every date shown: see infosite/formats/en_GB.
FORMAT_MODULE_PATH = ["infosite.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The admin's rich-text editor: our "Our articles" link (articles/prose.py).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/article_link.js")],
        "extensions": {"ArticleLink": process_article_link},
    }
]
# A pasted document larger than a section may hold still reaches the form, which
# refuses it with a message (RICHTEXT_MAX_*) instead of a bare error page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

LOGIN_URL = "login"
# Editors and publishers land in the admin, reviewers on their reviews.
LOGIN_REDIRECT_URL = "role_home"
LOGOUT_REDIRECT_URL = "articles:home"

# Sign-in throttling (django-axes, see infosite/throttling.py): after
# SIGN_IN_FAILURE_LIMIT wrong passwords for one username from one address, that
# username is refused from that address for SIGN_IN_LOCKOUT_MINUTES, even with the
# right password. Attempts are kept in the database, shared by every web worker.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A wrong password while refused does not start the wait again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "infosite.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "infosite.throttling.client_address"
# How many reverse proxies (nginx, a load balancer) stand between readers and the
# site, each adding to X-Forwarded-For: 0 when gunicorn faces the internet.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Security headers. Public pages carry no inline script, so scripts are limited
# to our own files; the admin's rich-text editor needs inline styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # Subdomains and the browsers' preload list are opt-in: both bind every
    # other site on the organisation's domain to HTTPS, for months.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

# Email goes to the console in development; production sends through SMTP.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND}}
if EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        # A server that does not answer would otherwise hold the request that
        # sends (a publish, a review request) until the web server gives up.
        "timeout": float(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
del EMAIL_BACKEND
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "infosite <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Errors are emailed to ADMINS (comma-separated addresses) when DEBUG is off.
ADMINS = env_list("ADMINS")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "timestamped": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "filters": {"production": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "timestamped"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["production"],
        },
    },
    "loggers": {"django.request": {"handlers": ["mail_admins"], "propagate": True}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# What the public site says about the organisation behind the information.
INFOSITE = {
    "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME", "Infosite Health Charity"),
    "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "information@example.org"),
    # Caps on a section body's rich text, checked before it is cleaned up: its
    # characters, the characters of all of an article's sections together, and
    # how deeply its tags may nest.
    "RICHTEXT_MAX_SECTION_CHARACTERS": int(
        os.environ.get("RICHTEXT_MAX_SECTION_CHARACTERS", "100000")
    ),
    "RICHTEXT_MAX_ARTICLE_CHARACTERS": int(
        os.environ.get("RICHTEXT_MAX_ARTICLE_CHARACTERS", "400000")
    ),
    "RICHTEXT_MAX_DEPTH": int(os.environ.get("RICHTEXT_MAX_DEPTH", "40")),
    # Approvals needed on the exact revision before it can be published:
    # {reviewer kind: how many}. Kinds: clinical, lived_experience, editorial.
    "PUBLISHING_POLICY": env_policy(
        "PUBLISHING_POLICY", "clinical:1,lived_experience:1"
    ),
    # The same for glossary terms: a definition is health information too.
    "GLOSSARY_POLICY": env_policy("GLOSSARY_POLICY", "clinical:1"),
    # Every page is fully reviewed at least this often.
    "REVIEW_INTERVAL_YEARS": int(os.environ.get("REVIEW_INTERVAL_YEARS", "3")),
    # Whole public pages kept for readers who are not signed in (see
    # articles/pagecache.py). SECONDS: how long the site keeps a page (a publish
    # retires it at once); CDN_SECONDS: how long a CDN or proxy may keep it;
    # STALE_SECONDS: how long it may then serve it while checking for a new one.
    "PAGE_CACHE": {
        "ENABLED": env_bool("PAGE_CACHE", True),
        "CACHE": "default",
        # Where readers find the number that retires old pages (it always lives
        # in the database too): "auto" reads it from a shared cache (Redis), and
        # with a local-memory cache from the board below, or from the database
        # on every page when there is no board. "cache", "board" or "database"
        # choose.
        "VERSION_IN": os.environ.get("PAGE_CACHE_VERSION_IN", "auto"),
        # The board: a 16-byte file every process of the site on this machine
        # maps (web workers, task worker, scheduled commands), in this directory.
        # /dev/shm, because systemd's PrivateTmp gives each unit its own /tmp.
        # Empty: no board.
        "BOARD_DIR": os.environ.get(
            "PAGE_CACHE_BOARD_DIR",
            "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir(),
        ),
        # With the version in the cache or on the board: how often each process
        # compares it with the database's, the longest a missed publish can go
        # unseen.
        "CHECK_SECONDS": float(os.environ.get("PAGE_CACHE_CHECK_SECONDS", "5")),
        "SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "3600")),
        "CDN_SECONDS": int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "60")),
        "STALE_SECONDS": int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "300")),
    },
    # A directory kept as a static copy of the public site (see export_static):
    # refreshed by the task worker after each change the public sees.
    "EXPORT_DIR": os.environ.get("EXPORT_DIR", ""),
    # How long before its next review date an article counts as due soon.
    "REVIEW_NOTICE_DAYS": int(os.environ.get("REVIEW_NOTICE_DAYS", "90")),
    # Plain English targets (see plainenglish/): the reading age to write for
    # (Flesch–Kincaid grade + 5), the longest sentence and section, in words, and
    # how many years old a reference may be before the checks ask for a newer one.
    "READING_AGE_TARGET": int(os.environ.get("READING_AGE_TARGET", "11")),
    "LONG_SENTENCE_WORDS": int(os.environ.get("LONG_SENTENCE_WORDS", "25")),
    "SECTION_MAX_WORDS": int(os.environ.get("SECTION_MAX_WORDS", "400")),
    "REFERENCE_MAX_AGE_YEARS": int(os.environ.get("REFERENCE_MAX_AGE_YEARS", "5")),
}
