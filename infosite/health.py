"""What the site says to machines and when it cannot work: health checks for load
balancers, robots.txt, and the page readers get when the database cannot be
reached.

- ``/healthz``: the process answers (no database, no cache).
- ``/readyz``: the process can reach the database and the cache; 503 naming the
  one that failed otherwise, so a load balancer stops sending readers here. A
  failing check is logged once a minute per process, not at every probe, and is
  never mailed to ``ADMINS``.
- ``HeadWithoutBodyMiddleware``: a ``HEAD`` request (link checkers, monitors,
  CDNs) gets the headers of the page and no body, which gunicorn would otherwise
  drop with a warning in the log for each one.
- ``DatabaseUnavailableMiddleware``: a database that cannot be reached or does not
  answer in time (the ``DB_CONNECT_TIMEOUT`` and ``DB_STATEMENT_TIMEOUT_MS``
  settings) gives readers the site's "try again shortly" page with status 503
  and ``Retry-After``, logged in one line, with no traceback for the reader.
  Pages already in the page cache are still served (articles/pagecache.py).
"""

import logging
import sys

from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from infosite.logs import NowAndThen

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# A load balancer asks every few seconds: a failing check is logged once a minute.
readiness_log = NowAndThen(logger)


def _warn_now_and_then(what, error):
    readiness_log.warning(what, "Readiness: %s unavailable: %s", what, _one_line(error))


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ok():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError as error:
        _warn_now_and_then("database", error)
        return False


def _cache_ok():
    try:
        cache = caches["default"]
        cache.set("readyz", "ok", 10)
        return cache.get("readyz") == "ok"
    except Exception as error:  # noqa: BLE001 - any cache failure means not ready
        _warn_now_and_then("cache", error)
        return False


@never_cache
@require_safe
def readyz(request):
    checks = {
        "database": "ok" if _database_ok() else "unavailable",
        "cache": "ok" if _cache_ok() else "unavailable",
    }
    ready = all(value == "ok" for value in checks.values())
    response = JsonResponse(checks, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Logged above, now and then: Django would log (and mail to ADMINS) every
        # probe's 503 while the database or cache is away.
        response._has_been_logged = True
    return response


class HeadWithoutBodyMiddleware:
    """Send no body in answer to ``HEAD``, with the ``Content-Length`` a ``GET``
    would have. Django leaves the body to the server, and gunicorn logs a warning
    for every response it has to drop one from. First in ``MIDDLEWARE``, so the
    page cache still keeps and serves whole pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming and response.content:
            if not response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before anything else: a load balancer
    asks by the server's address over plain HTTP, which the host check
    (ALLOWED_HOSTS) and the HTTPS redirect would refuse, and needs no session,
    cookie or cached page."""

    views = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.views.get(request.path_info)
        if view is None:
            return self.get_response(request)
        return view(request)


@require_safe
def robots_txt(request):
    """Search engines may read the public site; staff and preview pages are not for them."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in PRIVATE_PATHS),
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


PRIVATE_PATHS = [
    "/admin/",
    "/review/",
    "/preview/",
    "/accounts/",
    "/emails/",
    "/plain-english/",
]


def _one_line(error):
    return " ".join(str(error).split()) or error.__class__.__name__


def is_database_unavailable(error):
    """Whether the error says the database cannot be reached or did not answer
    in time (a timeout cancels the query with an OperationalError)."""
    return isinstance(error, (OperationalError, InterfaceError))


def unavailable(request, error=None):
    """The site's page for a database that is away: 503 with Retry-After,
    logged in one line with no traceback, and not once more by Django (whose
    line would also email ADMINS for every reader during an outage)."""
    if error is not None:
        logger.error(
            "Database unavailable, answered 503 for %s %s: %s",
            request.method,
            request.path,
            _one_line(error),
        )
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True
    return response


def server_error(request):
    """Django's 500 page, except for a database that went away outside a view
    (in a middleware, or saving the session)."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return unavailable(request, error)
    return defaults.server_error(request)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        return unavailable(request, exception)
