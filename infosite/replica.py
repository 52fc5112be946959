"""Readers' pages from a read replica, when one is configured.

With ``DATABASE_REPLICA_URL`` set, the site has a second database alias,
``replica``, a streaming copy of the primary. Public pages for readers who are
not signed in read from it; everything else (the admin, the review pages,
every write, every move) uses the primary, so people who change something
always read what they changed.

A replica can lag behind. Before a reader's page is made from it, the replica
must hold the primary's public version (``PublicVersion``): when it is behind,
the page is made from the primary instead, so no reader (and no cached page)
gets content older than a publish that has finished.
"""

import contextvars

from django.conf import settings
from django.db import DatabaseError

REPLICA = "replica"
_reading_from_replica = contextvars.ContextVar("reading_from_replica", default=False)


def configured():
    return settings.READ_REPLICA


class ReplicaRouter:
    """Send reads to the replica only while a reader's public page is made."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_from_replica.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # The same data on both.

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # The replica copies the primary's tables.


def _public_version(alias):
    from articles.models import PublicVersion

    return (
        PublicVersion.objects.using(alias)
        .filter(pk=1)
        .values_list("value", flat=True)
        .first()
        or 0
    )


def replica_is_current():
    """Whether the replica has caught up with the primary's public version."""
    try:
        return _public_version(REPLICA) >= _public_version("default")
    except DatabaseError:
        return False


class ReplicaForReadersMiddleware:
    """Make readers' public pages from the replica when it is current."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reading_from_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _reading_from_replica.reset(token)

    def process_view(self, request, view, args, kwargs):
        from articles.pagecache import PUBLIC_VIEWS

        if (
            configured()
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and request.resolver_match.view_name in PUBLIC_VIEWS
            and replica_is_current()
        ):
            _reading_from_replica.set(True)
