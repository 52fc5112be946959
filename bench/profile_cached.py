"""Profile a page from the page cache in-process: the project's WSGI application
(the front that answers kept pages, then Django) driven as gunicorn drives it,
on the database in DATABASE_URL, with the cache the environment gives (Redis
when REDIS_URL is set, local memory otherwise; with local memory the version
comes from the page version board, or from the database with
PAGE_CACHE_BOARD_DIR= set empty).

    DATABASE_URL=... .venv/bin/python bench/profile_cached.py [REQUESTS] [PATH]

Prints the CPU and wall time per request without the profiler, then where the
time goes (cumulative time per request of the main steps), then the top
functions by their own time. The profiler slows Python code more than waiting
on a socket: read the steps as shares, not times.
"""

import os
import sys
import time

os.environ["PAGE_CACHE"] = "1"

from _profiling import print_steps, print_top, profiled, request  # noqa: E402
from django.core.servers.basehttp import get_internal_wsgi_application  # noqa: E402

# (label, file fragment, function name): cumulative time per request (of the
# outermost function of that name in that file).
STEPS = [
    ("Whole request (the WSGI application)", "articles/pagecache.py", "__call__"),
    ("  deciding the request may take part", "articles/pagecache.py", "_takes_part"),
    ("  naming the page (scheme, host check, path)", "articles/pagecache.py", "_key"),
    ("  version and page from the cache", "articles/pagecache.py", "_lookup"),
    (
        "    the version from the board (a memory read)",
        "articles/pagecache.py",
        "_read_board",
    ),
    (
        "    the version from PostgreSQL (with connection checks)",
        "articles/pagecache.py",
        "_version_outside_a_request",
    ),
    ("      the query itself", "articles/pagecache.py", "_read_version_directly"),
    ("    one cache read (local memory)", "cache/backends/locmem.py", "get"),
    ("    one round trip for both (Redis)", "infosite/cache.py", "get_bytes_many"),
    ("    the kept bytes read as headers and body", "articles/pagecache.py", "_unpack"),
    ("  the answer (200 or 304, headers)", "articles/pagecache.py", "_answer"),
    ("Django, when the front did not answer", "handlers/wsgi.py", "__call__"),
]


def main(count, path):
    app = get_internal_wsgi_application()
    for _ in range(50):
        headers, _body = request(app, path)
    if headers.get("X-Page-Cache") != "hit":
        raise SystemExit(f"{path} did not come from the page cache")

    best_cpu = best_wall = float("inf")
    for _ in range(5):
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(count):
            request(app, path)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / count)
        best_wall = min(best_wall, (time.perf_counter() - wall) / count)
    print(
        f"Per request without the profiler (fastest of 5 batches): "
        f"{best_cpu * 1e6:.0f} µs of CPU, {best_wall * 1e6:.0f} µs wall"
    )

    profile = profiled(app, path, count)
    print_steps(profile, STEPS, count)
    print_top(profile)


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 3000,
        sys.argv[2] if len(sys.argv) > 2 else "/articles/breast-cancer-recurrence/",
    )
