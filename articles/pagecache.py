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

The middleware goes first in ``MIDDLEWARE`` so that a hit costs one small
database read (the version) and one cache read. When the database is down,
pages already in the cache keep being served under the last version seen.
When the cache is down, pages are made as if there were no cache.
"""

import datetime
import hashlib
import logging
import time

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from .models import PublicVersion

logger = logging.getLogger(__name__)

# The views whose pages are the same for every reader.
PUBLIC_VIEWS = {
    "articles:home",
    "articles:topic",
    "articles:article",
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

_last_version_seen = 0
_last_warning = 0.0


def _warn(message):
    """Log a cache failure at most once a minute, not once per request."""
    global _last_warning
    if time.monotonic() - _last_warning >= 60:
        _last_warning = time.monotonic()
        logger.warning(message)


def options():
    return settings.INFOSITE["PAGE_CACHE"]


VERSION_KEY = "page:version"
LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _version_in_cache():
    """Whether the version lives in the cache (shared by every worker and
    command, as Redis is) or in the database (a cache in one process's memory
    cannot tell the others that a page is out of date)."""
    where = options()["VERSION_IN"]
    if where == "auto":
        return settings.CACHES[options()["CACHE"]]["BACKEND"] not in LOCAL_CACHES
    return where == "cache"


def current_version():
    """Return the public version, or the last one seen when it cannot be read."""
    global _last_version_seen
    try:
        if _version_in_cache():
            cache = _cache()
            value = cache.get(VERSION_KEY)
            if value is None:
                # A new number no page was ever made under.
                cache.add(VERSION_KEY, time.time_ns(), None)
                value = cache.get(VERSION_KEY)
        else:
            value = _version_in_database()
    except Exception:  # noqa: BLE001 - database or cache away: keep serving.
        return _last_version_seen
    _last_version_seen = value or 0
    return _last_version_seen


def _version_in_database():
    """The version as one plain query: on a cached page this read is most of
    the work, and the ORM's query building would double it."""
    with connections["default"].cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


_VERSION_SQL = f"SELECT value FROM {PublicVersion._meta.db_table} WHERE id = 1"


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
    if _version_in_cache():
        _after_commit(_move_cached_version)
    from . import export

    export.refresh_after_commit()


def _after_commit(function):
    transaction.on_commit(function)


def _move_cached_version():
    try:
        cache = _cache()
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # Not there: any new number will do.
            cache.add(VERSION_KEY, time.time_ns(), None)
    except Exception:  # noqa: BLE001
        # The cache is away; its pages go with it. Forget them all the same.
        _warn("Page cache unavailable; pages are made afresh.")


def _seconds_until_tomorrow():
    """Pages say whether a review is overdue by the local date: none outlives it."""
    now = timezone.localtime()
    tomorrow = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    return max(1, int((tomorrow - now).total_seconds()))


def _may_take_part(request):
    return (
        options()["ENABLED"]
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _is_public(request, response):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in PUBLIC_VIEWS


def _key(request, version):
    digest = hashlib.sha256(
        f"{request.scheme}://{request.get_host()}{request.path}".encode()
    ).hexdigest()
    return f"page:{version}:{digest}"


def _cache():
    from django.core.cache import caches

    return caches[options()["CACHE"]]


def _freshness():
    seconds = options()["CDN_SECONDS"]
    return (
        f"public, max-age=0, s-maxage={seconds}, "
        f"stale-while-revalidate={options()['STALE_SECONDS']}"
    )


def _not_modified(request, etag, last_modified):
    """Whether the reader's copy is current (RFC 9110: If-None-Match wins)."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return etag in parse_etags(if_none_match) or if_none_match.strip() == "*"
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and last_modified is not None and last_modified <= since


def _answer(request, entry, hit):
    status, content, headers, etag, last_modified = entry
    if _not_modified(request, etag, last_modified):
        response = HttpResponseNotModified()
        for name in ("ETag", "Last-Modified", "Cache-Control"):
            response[name] = dict(headers)[name]
    else:
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
    response[STATUS_HEADER] = "hit" if hit else "miss"
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_take_part(request):
            response = self.get_response(request)
            if _is_public(request, response) and response.status_code == 200:
                # A signed-in person's copy stays with them: no CDN keeps it.
                response["Cache-Control"] = "private, no-cache"
            return response
        try:
            key = _key(request, current_version())
        except Exception:  # noqa: BLE001 - a bad Host header: let Django answer it.
            return self.get_response(request)
        entry = self._read(key)
        if entry is not None:
            return _answer(request, entry, hit=True)
        response = self.get_response(request)
        if not self._storable(request, response):
            return response
        entry = self._entry(response)
        self._write(key, entry)
        return _answer(request, entry, hit=False)

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

    def _entry(self, response):
        content = response.content
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        last_modified = int(time.time())
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in PRIVATE_HEADERS
        ]
        headers += [
            ("ETag", etag),
            ("Last-Modified", http_date(last_modified)),
            ("Cache-Control", _freshness()),
        ]
        return (response.status_code, content, headers, etag, last_modified)

    def _read(self, key):
        try:
            return _cache().get(key)
        except Exception:  # noqa: BLE001 - the cache fails open.
            _warn("Page cache unavailable; pages are made afresh.")
            return None

    def _write(self, key, entry):
        try:
            _cache().set(
                key, entry, min(options()["SECONDS"], _seconds_until_tomorrow())
            )
        except Exception:  # noqa: BLE001 - the cache fails open.
            _warn("Page cache unavailable; pages are made afresh.")


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
