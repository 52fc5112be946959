"""Whole public pages for readers, kept in the cache framework.

A reader's request for a public page (home, topic, article, sitemap) is
answered from the cache when the same page was made under the current public
version (``PublicVersion``). Anything that changes what the public site shows
moves that number in the same transaction, so a reader never gets a page made
before a publish, an unpublish, a review confirmation or a topic change.

Only GET and HEAD requests without a query string and without a session
cookie take part: signed-in staff never receive a cached page and never store
one. Every public page carries a strong ETag and Last-Modified, answers 304
when the browser already has it, and a Cache-Control header that lets a CDN
hold it briefly and serve it stale while it checks again.

Kept pages are answered at the outer edge of the site, in front of Django
(``KeptPages``, the WSGI application in ``infosite/wsgi.py``). With a shared
cache (Redis) the version and the page come back in one round trip. With a
local-memory cache a hit costs one cache read and one memory read: the version
is on a board every process of the site on this machine maps
(``articles/versionboard.py``), or, without a board, one small database read.
The middleware, first in ``MIDDLEWARE`` after the health checks, applies the
same rules to every request that reaches Django: it keeps the pages Django makes, marks
staff pages private, and answers from the cache when the site runs without the
WSGI front (the test client, ASGI). Both give the same status, headers and body.

When the database is down, pages already in the cache keep being served under
the last version seen. When the cache is down, pages are made as if there were
no cache.
"""

import contextlib
import datetime
import hashlib
import logging
import os
import sys
import threading
import time

from django.conf import settings
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import setting_changed
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from infosite.logs import NowAndThen

from .models import PublicVersion
from .versionboard import BoardUnusable, VersionBoard

logger = logging.getLogger(__name__)

# The views whose pages are the same for every reader.
PUBLIC_VIEWS = {
    "articles:home",
    "articles:topic",
    "articles:article",
    "articles:glossary",
    "django.contrib.sitemaps.views.sitemap",
}
# Article fields that public pages read from the article itself.
PUBLIC_ARTICLE_FIELDS = {
    "slug",
    "topic",
    "is_featured",
    "reviewed_on",
    "next_review_on",
    "unpublished_at",
    "first_published_at",
    "last_published_at",
}
# Headers a cached page must not replay to another reader.
PRIVATE_HEADERS = {"set-cookie", "vary"}
STATUS_HEADER = "X-Page-Cache"
STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}
# Where the WSGI front leaves what it found for a page it could not answer:
# the middleware files the page Django makes under the version read before it.
# (Request headers reach the environ as HTTP_*, so no reader can set this.)
FRONT_LOOKED = "infosite.page_cache"

_last_version_seen = 0
# With the version in the cache: the public version this process last read
# from the database, and when it next compares the cache's number with it.
_database_version = 0
_next_check = 0.0


_warnings = NowAndThen(logger)


def _warn(message, **kwargs):
    """Log a cache failure at most once a minute, not once per request."""
    _warnings.warning("fault", message, **kwargs)


def _now():
    return time.monotonic()


def options():
    return settings.INFOSITE["PAGE_CACHE"]


# The number in the cache (or on the board) is always one the database held: a
# publish puts its own there after it commits, and each process puts the
# database's back there when it finds the cache's behind (see ``_checked``).
VERSION_KEY = "page:public-version"
LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _version_source():
    """Where readers find the version: "cache" (shared by every worker and
    command, as Redis is), "board" (a file every process on this machine maps,
    for a cache in each process's own memory), or "database" (one query a hit,
    when there is no board or it cannot be used)."""
    where = options()["VERSION_IN"]
    if where == "auto":
        if settings.CACHES[options()["CACHE"]]["BACKEND"] not in LOCAL_CACHES:
            return "cache"
        where = "board"
    if where == "board":
        return "board" if _open_board() is not None else "database"
    return "cache" if where == "cache" else "database"


def _version_in_cache():
    return _version_source() == "cache"


# The board this process uses: the directory it was opened for, and when to try
# again when it could not be used. Opened and closed under the lock; read
# without it (a thread keeps the board it found).
_board = None
_board_for = None
_board_retry = 0.0
_board_lock = threading.Lock()


def _open_board():
    """This site's board, or None (no board directory set, or the board cannot
    be used: said in the log at most once a minute)."""
    directory = options()["BOARD_DIR"]
    if _board_for == directory and (_board is not None or _now() < _board_retry):
        return _board
    with _board_lock:
        if _board_for == directory and (_board is not None or _now() < _board_retry):
            return _board
        return _open_board_in(directory)


def _open_board_in(directory):
    global _board, _board_for, _board_retry, _next_check
    _close_board()
    _board_for = directory
    if not directory:
        _board_retry = float("inf")
        return None
    path = os.path.join(directory, _board_name())
    try:
        _board = VersionBoard(path)
    except (OSError, ValueError, BoardUnusable) as error:
        _board_retry = _now() + options()["CHECK_SECONDS"]
        _warn(
            f"Page version board {path} cannot be used ({error}); "
            "the version is read from the database on every page."
        )
        return None
    _next_check = 0.0  # Its number is compared with the database's before use.
    return _board


def _board_name():
    """The board's file name: one per site's data, so two sites or two test
    databases on one machine never share a board."""
    database = connections["default"].settings_dict
    cache = settings.CACHES[options()["CACHE"]]
    identity = "\n".join(
        str(part)
        for part in (
            database["ENGINE"],
            database["NAME"],
            database.get("HOST", ""),
            database.get("PORT", ""),
            cache.get("KEY_PREFIX", ""),
            cache.get("VERSION", 1),
        )
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"infosite-page-version-{digest[:20]}"


def _close_board():
    global _board, _board_for
    board, _board, _board_for = _board, None, None
    if board is not None:
        with contextlib.suppress(OSError, ValueError):
            board.close()


def _read_board():
    """The board's number (None when it has none yet, or when it cannot be
    read: then the board is put aside and the database asked)."""
    board = _board
    try:
        return board.read()
    except (AttributeError, ValueError):
        return None  # Closed by another thread meanwhile: ask the database.
    except BoardUnusable as error:
        _board_failed(error)
        return None


def _board_failed(error):
    """Put the board aside for ``CHECK_SECONDS``: until then the version is
    read from the database."""
    global _board_for, _board_retry
    _warn(
        f"Page version board failed ({error}); "
        "the version is read from the database on every page."
    )
    with _board_lock:
        _close_board()
        _board_for = options()["BOARD_DIR"]
        _board_retry = _now() + options()["CHECK_SECONDS"]


def _settings_changed(setting, **kwargs):
    if setting in ("INFOSITE", "CACHES", "DATABASES"):
        with _board_lock:
            _close_board()


def _after_fork():
    global _board_lock
    _board_lock = threading.Lock()
    _close_board()


setting_changed.connect(_settings_changed, dispatch_uid="pagecache.board")
# A child process gets its own: a lock taken through the parent's open file
# would not keep the two apart.
os.register_at_fork(after_in_child=_after_fork)


def _version_in_database():
    """The version as one plain query: on a cached page this read is most of
    the work, and the ORM's query building would double it."""
    with connections["default"].cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


_VERSION_SQL = f"SELECT value FROM {PublicVersion._meta.db_table} WHERE id = 1"


def _database_version_now(outside_a_request):
    """The public version in the database, or None when it cannot be read."""
    if outside_a_request:
        return _version_outside_a_request()
    try:
        return _version_in_database()
    except Exception:  # noqa: BLE001 - database away: the caller decides.
        return None


def _version_outside_a_request():
    """The database's version for the WSGI front, which runs before Django's
    request signals: it tidies the kept connection as they would (closing it
    when it failed or is older than ``CONN_MAX_AGE``), and when the connection
    it had was cut (a database restart) it reads once more on a new one, so the
    first reader after a restart does not get a page from before a publish.
    None when the database cannot be read."""
    connection = connections["default"]
    if connection.in_atomic_block:  # Inside a test's transaction: leave it be.
        return _database_version_now(outside_a_request=False)
    connection.close_if_unusable_or_obsolete()
    version = None
    for _attempt in range(2):
        had_connection = connection.connection is not None
        try:
            version = _read_version_directly(connection)
            break
        except Exception:  # noqa: BLE001 - database away: the caller decides.
            connection.errors_occurred = True
            connection.close_if_unusable_or_obsolete()
            if not had_connection:
                break
    connection.close_if_unusable_or_obsolete()
    return version


def _read_version_directly(connection):
    if connection.vendor != "postgresql":
        return _version_in_database()
    # Through libpq itself: a quarter of the CPU of the same read through a
    # Django cursor (32 against 138 microseconds measured), on a path that is
    # otherwise one cache read. No prepared statement, so nothing to lose when
    # the connection is replaced or pooled.
    from psycopg import pq

    connection.ensure_connection()
    result = connection.connection.pgconn.exec_(_VERSION_SQL.encode())
    if result.status != pq.ExecStatus.TUPLES_OK:
        raise DatabaseError(result.error_message.decode(errors="replace").strip())
    return int(result.get_value(0, 0)) if result.ntuples else 0


def _remember(version):
    global _last_version_seen
    _last_version_seen = version or 0
    return _last_version_seen


def _checked(cached, outside_a_request=False):
    """The version to serve and file pages under, given the cache's number
    (None when it has none).

    The cache's number can fall behind the database's when the cache could not
    be reached just after a publish. So every ``CHECK_SECONDS`` (and whenever
    the cache has no number) this process reads the database's; while the
    cache's is behind, the database's is served and put back in the cache. A
    reader gets no page older than the last publish for longer than that.

    With the board, ``cached`` was read before the database: only a database
    that went back (a backup restored) can then hold a smaller number, and the
    board is set back to it."""
    global _database_version, _next_check
    if cached is None or _now() >= _next_check:
        _next_check = _now() + options()["CHECK_SECONDS"]
        board = _board
        if board is not None and board.replaced():
            # Removed, or made again: the next page opens the new one.
            with _board_lock:
                if _board is board:
                    _close_board()
        found = _database_version_now(outside_a_request)
        if found is not None:
            _database_version = found
            if cached is not None and found < cached and _board is not None:
                _lower_board(cached, found)
                return _remember(found)
    if cached is not None and cached >= _database_version:
        return _remember(cached)
    _raise_cached_version(_database_version)
    return _remember(_database_version)


def public_pages_changed():
    """Retire every cached public page.

    Called by whatever writes something the public sees, inside its
    transaction. The database's number moves in that transaction, so it is
    visible exactly when the change is; the cache's number moves as soon as
    the transaction commits (a page made from the old content in between is
    filed under the old number, which no reader asks for again).
    """
    if not PublicVersion.objects.filter(pk=1).update(value=F("value") + 1):
        try:
            with transaction.atomic():
                PublicVersion.objects.create(pk=1, value=1)
        except IntegrityError:
            PublicVersion.objects.filter(pk=1).update(value=F("value") + 1)
    if _version_source() != "database":
        _after_commit(_move_cached_version)
    from . import export

    export.refresh_after_commit()


def _after_commit(function):
    transaction.on_commit(function)


def _move_cached_version():
    """Put the database's new number in the cache. If the cache cannot be
    reached, this process serves the database's number from now on (and puts
    it back in the cache as soon as it can); other processes notice within
    ``CHECK_SECONDS``."""
    global _database_version, _next_check
    found = _database_version_now(outside_a_request=False)
    if found is None:
        _next_check = 0.0  # Read it before the next page.
        return
    _database_version = found
    _raise_cached_version(found)


def _is_redis(cache):
    """Whether ``cache`` is the Redis cache (infosite/cache.py), without loading
    redis-py into a worker whose cache is in its own memory."""
    redis_cache = sys.modules.get("infosite.cache")
    return redis_cache is not None and isinstance(cache, redis_cache.FailOpenRedisCache)


def _raise_cached_version(version):
    """Set the cache's (or the board's) number to ``version`` unless it holds a
    larger one."""
    source = _version_source()
    if source == "board":
        _raise_board(version)
        return
    if source == "database":
        return
    cache = _cache()
    if _is_redis(cache):
        cache.raise_number(VERSION_KEY, version)
        return
    try:
        with _raising:  # A cache in this process's memory: one writer at a time.
            cached = cache.get(VERSION_KEY)
            if cached is None or cached < version:
                cache.set(VERSION_KEY, version, None)
    except Exception:  # noqa: BLE001
        _warn("Page cache unavailable; pages are made afresh.")


_raising = threading.Lock()


def _raise_board(version):
    board = _board
    if board is None:  # Closed by another thread meanwhile: its next check mends it.
        return
    try:
        board.raise_to(version)
    except (OSError, ValueError) as error:
        _board_failed(error)


def _lower_board(seen, version):
    board = _board
    if board is None:
        return
    try:
        if board.lower(seen, version):
            logger.warning(
                "The database's public version went back from %s to %s (a "
                "backup restored?): the page version board now holds %s.",
                seen,
                version,
                version,
            )
    except (OSError, ValueError, BoardUnusable) as error:
        _board_failed(error)


def _seconds_until_tomorrow():
    """Pages say whether a review is overdue by the local date: none outlives it."""
    now = timezone.localtime()
    tomorrow = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    return max(1, int((tomorrow - now).total_seconds()))


def _takes_part(environ):
    """Whether a request may get or leave a kept page, from its WSGI environ
    (``request.META``): a GET or HEAD without a query string, from a reader
    with no session cookie."""
    if (
        not options()["ENABLED"]
        or environ.get("QUERY_STRING")
        or environ.get("REQUEST_METHOD", "").upper() not in ("GET", "HEAD")
    ):
        return False
    cookies = environ.get("HTTP_COOKIE")
    name = settings.SESSION_COOKIE_NAME
    return not (cookies and name in cookies and name in parse_cookie(cookies))


def _is_public(request, response):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in PUBLIC_VIEWS


class _EnvironRequest(HttpRequest):
    """The parts of a request that name a page (Django's own scheme, host check
    and path), read from the WSGI environ without building the rest of a
    request, and without changing the environ Django gets afterwards."""

    def __init__(self, environ):
        self.META = environ
        script_name = get_script_name(environ)
        path_info = get_path_info(environ) or "/"
        # As WSGIRequest builds it.
        self.path = f"{script_name.rstrip('/')}/{path_info.replace('/', '', 1)}"

    def _get_scheme(self):
        return self.META.get("wsgi.url_scheme")


def _key(request):
    """The page's place in the cache: one per address. Raises DisallowedHost
    for a host outside ALLOWED_HOSTS."""
    digest = hashlib.sha256(
        f"{request.scheme}://{request.get_host()}{request.path}".encode()
    ).hexdigest()
    return f"page:{digest}"


def _cache():
    from django.core.cache import caches

    return caches[options()["CACHE"]]


def _lookup(key, outside_a_request=False):
    """Return the public version, and the page kept at ``key`` if it was made
    under that version (else None). With the version in the cache, both come
    back in one round trip."""
    source = _version_source()
    if source == "cache":
        found = _read_version_and_page(key)
        if found is None:  # The cache is away: nothing to serve or keep.
            return _last_version_seen, None
        cached, raw = found
        version = _checked(cached, outside_a_request)
    elif source == "board":
        version = _checked(_read_board(), outside_a_request)
        raw = _read(key)
    else:
        version = _database_version_now(outside_a_request)
        version = _remember(version) if version is not None else _last_version_seen
        raw = _read(key)
    entry = _unpack(raw)
    if entry is None or entry[0] != version:
        return version, None
    return version, entry


def _read_version_and_page(key):
    """The cache's number (or None) and the bytes kept at ``key`` (or None),
    in one round trip; None when the cache cannot be reached."""
    cache = _cache()
    if _is_redis(cache):
        found = cache.get_bytes_many([VERSION_KEY, key])
        if found is None:
            return None
        cached, raw = found
        return (None if cached is None else int(cached)), raw
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:  # noqa: BLE001 - the cache fails open.
        _warn("Page cache unavailable; pages are made afresh.")
        return None
    return found.get(VERSION_KEY), found.get(key)


def _read(key):
    try:
        return _cache().get(key)
    except Exception:  # noqa: BLE001 - the cache fails open.
        _warn("Page cache unavailable; pages are made afresh.")
        return None


def _write(key, entry):
    timeout = min(options()["SECONDS"], _seconds_until_tomorrow())
    cache = _cache()
    if _is_redis(cache):
        cache.set_bytes(key, _pack(entry), timeout)
        return
    try:
        cache.set(key, _pack(entry), timeout)
    except Exception:  # noqa: BLE001 - the cache fails open.
        _warn("Page cache unavailable; pages are made afresh.")


# A kept page is bytes: this line, then "version last-modified etag", then its
# headers one a line as "Name: value" (a header value holds no line break),
# then an empty line and the body. Reading it back costs less than unpickling,
# and anything else found under a page's key (an older format) is a miss.
ENTRY_FORMAT = b"infosite-page 1\n"


def _pack(entry):
    version, content, headers, etag, last_modified = entry
    head = f"{version} {last_modified} {etag}\n" + "".join(
        f"{name}: {value}\n" for name, value in headers
    )
    return ENTRY_FORMAT + head.encode("latin-1") + b"\n" + content


def _unpack(raw):
    """The entry kept as ``_pack`` wrote it, or None."""
    if not isinstance(raw, bytes) or not raw.startswith(ENTRY_FORMAT):
        return None
    end = raw.find(b"\n\n", len(ENTRY_FORMAT))
    head = raw[len(ENTRY_FORMAT) : end]
    read = _heads_read.get(head)
    if read is None:
        read = _read_head(head)
    version, headers, etag, last_modified = read
    return (version, raw[end + 2 :], headers, etag, last_modified)


# The heads of the pages this process served lately, as read: the same page is
# served again and again, and reading its head each time was a fifth of a hit.
_heads_read = {}
MAX_HEADS_KEPT = 256


def _read_head(head):
    first, *lines = head.decode("latin-1").split("\n")
    version, last_modified, etag = first.split(" ", 2)
    headers = tuple(tuple(line.split(": ", 1)) for line in lines)
    read = (int(version), headers, etag, int(last_modified))
    if len(_heads_read) >= MAX_HEADS_KEPT:
        _heads_read.clear()
    _heads_read[head] = read
    return read


def _freshness():
    seconds = options()["CDN_SECONDS"]
    return (
        f"public, max-age=0, s-maxage={seconds}, "
        f"stale-while-revalidate={options()['STALE_SECONDS']}"
    )


def _entry(response, version):
    """What is kept for a page: the version it was made under, its body, and
    its headers as readers get them (the reader's own cookies and Vary left
    out; ETag, Last-Modified and Cache-Control added)."""
    content = response.content
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    last_modified = int(time.time())
    kept = HttpResponse(content)  # Only pages answered 200 are kept.
    for name, value in response.items():
        if name.lower() not in PRIVATE_HEADERS:
            kept[name] = value
    kept["ETag"] = etag
    kept["Last-Modified"] = http_date(last_modified)
    kept["Cache-Control"] = _freshness()
    return (version, content, list(kept.items()), etag, last_modified)


def _not_modified(environ, etag, last_modified):
    """Whether the reader's copy is current (RFC 9110: If-None-Match wins)."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return etag in parse_etags(if_none_match) or if_none_match.strip() == "*"
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if not if_modified_since:
        return False
    since = parse_http_date_safe(if_modified_since)
    return since is not None and last_modified <= since


REVALIDATION_HEADERS = ("etag", "last-modified", "cache-control")


def _answer(environ, entry, hit):
    """The status, headers and body a reader gets for a kept page: the page,
    or 304 when their copy is current."""
    _version, content, headers, etag, last_modified = entry
    marker = (STATUS_HEADER, "hit" if hit else "miss")
    if _not_modified(environ, etag, last_modified):
        kept = {name.lower(): (name, value) for name, value in headers}
        return 304, [*(kept[name] for name in REVALIDATION_HEADERS), marker], b""
    return 200, [*headers, marker], content


def _response(status, headers, content):
    """The same answer as a Django response, for the middleware."""
    if status == 304:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class KeptPages:
    """The WSGI application in front of Django: a reader's request for a page
    in the cache is answered before Django builds a request object, sends its
    request signals and runs the middleware. Everything else, including every
    miss, goes to Django unchanged, where ``PageCacheMiddleware`` keeps the
    page it makes."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            answer = self._from_cache(environ)
        except Exception:  # noqa: BLE001 - whatever fails here, Django answers.
            _warn("Page cache front failed; Django answers.", exc_info=True)
            answer = None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, content = answer
        start_response(STATUS_LINES[status], headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return []  # The page's headers, its length among them, and no body.
        return [content] if content else []

    def _from_cache(self, environ):
        if not _takes_part(environ):
            return None
        try:
            key = _key(_EnvironRequest(environ))
        except Exception:  # noqa: BLE001 - a bad Host header: Django answers it.
            return None
        version, entry = _lookup(key, outside_a_request=True)
        if entry is None:
            environ[FRONT_LOOKED] = (key, version)
            return None
        return _answer(environ, entry, hit=True)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _takes_part(request.META):
            response = self.get_response(request)
            if _is_public(request, response) and response.status_code == 200:
                # A signed-in person's copy stays with them: no CDN keeps it.
                response["Cache-Control"] = "private, no-cache"
            return response
        if FRONT_LOOKED in request.META:
            # The WSGI front found no page: file Django's under its version.
            key, version = request.META[FRONT_LOOKED]
        else:
            try:
                key = _key(request)
            except Exception:  # noqa: BLE001 - a bad Host header: Django answers it.
                return self.get_response(request)
            version, entry = _lookup(key)
            if entry is not None:
                return _response(*_answer(request.META, entry, hit=True))
        response = self.get_response(request)
        if not self._storable(request, response):
            return response
        entry = _entry(response, version)
        _write(key, entry)
        return _response(*_answer(request.META, entry, hit=False))

    def _storable(self, request, response):
        from django.middleware.csp import get_nonce

        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and _is_public(request, response)
            and not get_nonce(request)
            and "private" not in response.get("Cache-Control", "")
        )


# What moves the public version.


def _article_saved(sender, instance, created, update_fields=None, **kwargs):
    if instance.first_published_at is None:
        return  # Never public: no public page shows it.
    if update_fields is not None and not set(update_fields) & PUBLIC_ARTICLE_FIELDS:
        return
    public_pages_changed()


def _article_deleted(sender, instance, **kwargs):
    if instance.first_published_at is not None:
        public_pages_changed()


def _changed(sender, **kwargs):
    public_pages_changed()


def connect():
    from django.db.models.signals import post_delete, post_save

    from .models import Article, PublishedArticle, Topic

    post_save.connect(_article_saved, sender=Article, dispatch_uid="pages.article")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="pages.gone")
    for model in (Topic, PublishedArticle):
        post_save.connect(_changed, sender=model, dispatch_uid=f"pages.{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pages.{model}.x")
