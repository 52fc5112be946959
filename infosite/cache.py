"""The shared cache (Redis), failing open: when Redis cannot be reached, reading
finds nothing and writing keeps nothing, so pages are made from the database as
if the cache were empty, instead of every page failing.

Each failure costs at most the socket timeouts in ``CACHES`` OPTIONS (a fraction
of a second), and it is logged once a minute per process, not once per request.
Counters (``incr``, ``decr``) still raise: no number can stand in for one the
cache lost, and their callers already decide what to do without it.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60

_lock = threading.Lock()
_last_logged = None


def _log_failure(error):
    """Log that the cache is away, at most once a minute in this process."""
    global _last_logged
    now = time.monotonic()
    with _lock:
        if _last_logged is not None and now - _last_logged < LOG_EVERY_SECONDS:
            return
        _last_logged = now
    logger.warning(
        "Cache unavailable, pages are made from the database: %s",
        " ".join(str(error).split()) or error.__class__.__name__,
    )


def _fail_open(answer_when_away):
    """Run the cache operation; when Redis is away, log it and answer as an
    empty cache would."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                _log_failure(error)
                return answer_when_away(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _every_key(data, *args, **kwargs):
    return list(data)


class OneClientPerServer(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per server instead of
    building one for every cache call: building one cost about 120 microseconds
    of CPU, more than the call itself (a page from the page cache is one call).
    A redis-py client is safe to share between threads; its connection pool
    opens new connections in a forked worker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache that behaves as an empty cache while Redis is away."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerServer

    get = _fail_open(_default)(RedisCache.get)
    get_many = _fail_open(_empty)(RedisCache.get_many)
    has_key = _fail_open(_false)(RedisCache.has_key)
    add = _fail_open(_false)(RedisCache.add)
    set = _fail_open(_nothing)(RedisCache.set)
    set_many = _fail_open(_every_key)(RedisCache.set_many)
    touch = _fail_open(_false)(RedisCache.touch)
    delete = _fail_open(_false)(RedisCache.delete)
    delete_many = _fail_open(_nothing)(RedisCache.delete_many)
    clear = _fail_open(_false)(RedisCache.clear)
