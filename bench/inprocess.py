"""Time one page in-process: the Django project's WSGI application (its
WSGI_APPLICATION, as gunicorn serves it) driven as a web server drives it, no
network, no other process. On a machine shared with
other work this is steadier than requests per second: it reports the fastest
of several batches.

    DJANGO_SETTINGS_MODULE=... python inprocess.py PATH [REQUESTS] [BATCHES]

Prints milliseconds per request. Run from the project's directory, with its
own Python.
"""

import io
import os
import sys
import time

sys.path.insert(0, os.getcwd())

import django  # noqa: E402

django.setup()

from django.core.servers.basehttp import get_internal_wsgi_application  # noqa: E402


def environ(path):
    """A GET request for ``path`` as a WSGI server hands it to the application."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def request(app, path):
    status = []
    b"".join(app(environ(path), lambda s, h, exc=None: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path} answered {status[0]}")


def main(path, count, batches):
    app = get_internal_wsgi_application()
    for _ in range(50):
        request(app, path)
    best = float("inf")
    for _ in range(batches):
        started = time.perf_counter()
        for _ in range(count):
            request(app, path)
        best = min(best, (time.perf_counter() - started) / count)
    print(f"{best * 1000:.2f}")


if __name__ == "__main__":
    main(
        sys.argv[1],
        int(sys.argv[2]) if len(sys.argv) > 2 else 300,
        int(sys.argv[3]) if len(sys.argv) > 3 else 7,
    )
