"""Profile the uncached article page in-process: the WSGI application driven as
gunicorn drives it (with the connection checks around each request, which
Django's test client skips), page cache off, on the database in DATABASE_URL.

    DATABASE_URL=... .venv/bin/python bench/profile_article.py [REQUESTS] [PATH]
    DATABASE_URL=... .venv/bin/python bench/profile_article.py --queries

Prints the time per request, the SQL queries of one request, and where the
time goes (cumulative time per request of the main steps), then the top
functions by their own time.
"""

import os
import sys
import time

os.environ["PAGE_CACHE"] = "0"

from _profiling import print_steps, print_top, profiled, request  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

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
    ("      compiling all its queries to SQL", "sql/compiler.py", "as_sql"),
    ("      sending them and waiting for PostgreSQL", "backends/utils.py", "execute"),
    ("      building the page object", "articles/page.py", "live"),
    (
        "        reading the related links (ORM and SQL)",
        "articles/publication.py",
        "related_articles",
    ),
    ("      template rendering", "django/shortcuts.py", "render"),
]


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

    profile = profiled(app, path, count)
    print_steps(profile, STEPS, count, unit="ms", combine=sum)
    print_top(profile)


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
