"""The floor: a WSGI app that answers every request with the exact bytes of
infosite's article page, read once from the file named by BENCH_PAGE.

    BENCH_PAGE=page.html gunicorn --chdir bench bare_wsgi:application
"""

import os

with open(os.environ["BENCH_PAGE"], "rb") as handle:
    BODY = handle.read()
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
