"""The memory floors of the side-by-side benchmark (bench/compare.sh): the least a
Django worker serving the article can weigh, to read infosite's worker memory
against.

FLOOR=django  Django as `startproject` makes it without the admin: auth,
              contenttypes, sessions, messages, static files (WhiteNoise) and
              Django's own middleware, psycopg, one view and one template.
FLOOR=stack   The same with the apps infosite is built on and cannot serve
              without: the admin, django-reversion, django-tasks-db (the export
              refresh), django-prose-editor and django-axes (with its middleware
              and sign-in backend). None of infosite's own code.

Both read infosite's bench database (DATABASE_URL) and its collected static files
(STATIC_ROOT), in production mode.
"""

import os

import dj_database_url

FLOOR = os.environ.get("FLOOR", "django")
if FLOOR not in ("django", "stack"):
    raise SystemExit(f"FLOOR is 'django' or 'stack', not {FLOOR!r}")

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if FLOOR == "stack":
    INSTALLED_APPS = [
        # As infosite installs it: no admin.py imported until the admin is used.
        "django.contrib.admin.apps.SimpleAdminConfig",
        *INSTALLED_APPS,
        "django.contrib.sitemaps",
        "reversion",
        "django_tasks_db",
        "django_prose_editor",
        "axes",
    ]
    MIDDLEWARE.append("axes.middleware.AxesMiddleware")
    AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

ROOT_URLCONF = "floor.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "..", "templates")],
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
DATABASES = {"default": dj_database_url.config(conn_max_age=60)}
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = os.environ["STATIC_ROOT"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
