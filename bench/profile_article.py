"""Profile the uncached article page in-process: the WSGI application driven as
gunicorn drives it (with the connection checks around each request, which
Django's test client skips), page cache off, on the database in DATABASE_URL.

    DATABASE_URL=... .venv/bin/python bench/profile_article.py [REQUESTS] [PATH]
    DATABASE_URL=... .venv/bin/python bench/profile_article.py --queries

Prints the time per request, the SQL queries of one request, and where the
time goes (cumulative time per request of the main steps), then the top
functions by their own time.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")
os.environ["PAGE_CACHE"] = "0"

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from inprocess import environ  # noqa: E402  (bench/ is on the path)

# (label, file fragment, function name): cumulative time per request.
STEPS = [
    ("Whole request (WSGI handler)", "handlers/wsgi.py", "__call__"),
    (
        "  connection checks at request start and end",
        "db/__init__.py",
        "close_old_connections",
    ),
    ("  SELECT 1 health check", "postgresql/base.py", "is_usable"),
    ("  middleware and view", "handlers/base.py", "get_response"),
    ("    the view", "articles/views.py", "article_detail"),
    (
        "      reading the published copy (ORM and SQL)",
        "articles/publication.py",
        "live_page",
    ),
    ("        compiling the 3 queries to SQL", "sql/compiler.py", "as_sql"),
    ("        sending them and waiting for PostgreSQL", "backends/utils.py", "execute"),
    ("      building the page object", "articles/page.py", "live"),
    ("      template rendering", "django/shortcuts.py", "render"),
]


def request(app, path):
    status = []
    body = b"".join(app(environ(path), lambda s, h, exc=None: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path} answered {status[0]}")
    return body


def one_request_queries(app, path):
    with CaptureQueriesContext(connection) as queries:
        request(app, path)
    return queries


def main(count, path):
    app = WSGIHandler()
    for _ in range(20):
        request(app, path)  # warm up: connection, templates, URL resolver
    queries = one_request_queries(app, path)
    print(f"Queries for one uncached request: {len(queries)}")
    for query in queries.captured_queries:
        print(f"  {query['sql'][:110]}")

    started = time.perf_counter()
    for _ in range(count):
        request(app, path)
    plain = (time.perf_counter() - started) / count
    print(f"\nTime per request without the profiler: {plain * 1000:.2f} ms")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        request(app, path)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"\nWhere the time goes (profiled, ms per request; {count} requests):")
    for label, fragment, name in STEPS:
        total = sum(
            cumulative
            for (filename, _line, function), (
                _cc,
                _nc,
                _tt,
                cumulative,
                _callers,
            ) in stats.stats.items()
            if function == name and filename.endswith(fragment)
        )
        print(f"{label:<50} {total / count * 1000:6.2f}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
    print("\n" + "\n".join(out.getvalue().splitlines()[6:]))


if __name__ == "__main__":
    if sys.argv[1:] == ["--queries"]:
        app = WSGIHandler()
        request(app, "/articles/breast-cancer-recurrence/")
        print(len(one_request_queries(app, "/articles/breast-cancer-recurrence/")))
        sys.exit()
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 1000,
        sys.argv[2] if len(sys.argv) > 2 else "/articles/breast-cancer-recurrence/",
    )
