"""The shared cache (Redis), failing open: when Redis cannot be reached, reading
finds nothing and writing keeps nothing, so pages are made from the database as
if the cache were empty, instead of every page failing.

Each failure costs at most the socket timeouts in ``CACHES`` OPTIONS (a fraction
of a second), and it is logged once a minute per process, not once per request.
Counters (``incr``, ``decr``) still raise: no number can stand in for one the
cache lost, and their callers already decide what to do without it.

Whole public pages (``articles/pagecache.py``) are kept as bytes, not pickled,
and read on a connection each thread keeps to itself: a page from the cache is
one ``MGET`` of its version and its bytes, and most of the CPU redis-py spent on
it went to the client's own machinery around the round trip (its connection
pool, retries and event hooks), not to the round trip.
"""

import functools
import logging
import os
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from infosite.logs import NowAndThen

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60
# Page addresses whose encoded names are remembered (about 100 bytes each).
MAX_ARGUMENTS_KEPT = 10_000

failure_log = NowAndThen(logger, LOG_EVERY_SECONDS)


def _log_failure(error):
    """Log that the cache is away, at most once a minute in this process."""
    failure_log.warning(
        "away",
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


# Set the number at KEYS[1] to ARGV[1] unless it already holds a larger one.
_RAISE_NUMBER = """
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
end
return 0
"""


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache that behaves as an empty cache while Redis is away."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerServer
        self._kept = threading.local()
        self._arguments = {}

    def get_bytes_many(self, keys):
        """The values at ``keys``, in order, as ``set_bytes`` and ``raise_number``
        store them (bytes, or None where nothing is kept), in one ``MGET``; or
        None when Redis is away. Read from the first server, which every write
        goes to, so a number moved a moment ago is seen."""
        command = b"*%d\r\n$4\r\nMGET\r\n%b" % (
            len(keys) + 1,
            b"".join(map(self._argument, keys)),
        )
        connection = self._connection()
        try:
            connection.send_packed_command([command], check_health=False)
            return connection.read_response()
        except RedisError as error:
            connection.disconnect()  # No half-read answer is left for the next call.
            _log_failure(error)
            return None

    def set_bytes(self, key, value, timeout):
        """Keep ``value`` (bytes) as it is for ``timeout`` seconds; False when
        Redis is away."""
        try:
            self._cache.get_client(write=True).set(
                self.make_key(key), value, ex=timeout
            )
        except RedisError as error:
            _log_failure(error)
            return False
        return True

    def raise_number(self, key, number):
        """Set the number at ``key`` to ``number`` unless it already holds a
        larger one, in one step on the server (two writers cannot undo each
        other's raise); False when Redis is away."""
        try:
            self._cache.get_client(write=True).eval(
                _RAISE_NUMBER, 1, self.make_key(key), number
            )
        except RedisError as error:
            _log_failure(error)
            return False
        return True

    def _argument(self, key):
        """The cache's name for ``key`` as one argument of a Redis command (in
        the protocol's own encoding), remembered: the same pages are asked for
        again and again, and naming and encoding them each time cost more than
        a fifth of a page's read."""
        argument = self._arguments.get(key)
        if argument is None:
            if len(self._arguments) >= MAX_ARGUMENTS_KEPT:
                self._arguments.clear()
            name = self.make_key(key).encode()
            argument = self._arguments[key] = b"$%d\r\n%b\r\n" % (len(name), name)
        return argument

    def _connection(self):
        """This thread's own connection to the first server, made anew in a
        forked process (a connection is never shared across a fork)."""
        kept = self._kept
        if getattr(kept, "pid", None) != os.getpid():
            pool = self._cache._get_connection_pool(write=True)
            kept.connection = pool.connection_class(**pool.connection_kwargs)
            kept.pid = os.getpid()
        return kept.connection

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
