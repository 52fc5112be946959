"""The shared cache fails open: with Redis away, readers still get every page,
made from the database, and the outage is logged once a minute, not per request."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from infosite import cache as failopen
from infosite import logs
from infosite import settings as project_settings
from tests.redis_server import REDIS_FOR_TESTS, needs_redis

ROOT = Path(__file__).resolve().parent.parent.parent

REDIS_AWAY = {
    "default": {
        "BACKEND": "infosite.cache.FailOpenRedisCache",
        # Nothing listens on port 1: every connection is refused.
        "LOCATION": "redis://127.0.0.1:1/0",
        "KEY_PREFIX": "infosite-tests",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def cache_log(caplog):
    return [r for r in caplog.records if r.name == "infosite.cache"]


@pytest.fixture
def redis_away(caplog):
    failopen.failure_log.forget()
    page_cache = {**project_settings.INFOSITE["PAGE_CACHE"], "ENABLED": True}
    with (
        caplog.at_level(logging.WARNING, logger="infosite.cache"),
        override_settings(
            CACHES=REDIS_AWAY,
            INFOSITE={**project_settings.INFOSITE, "PAGE_CACHE": page_cache},
        ),
    ):
        yield caches["default"]
    failopen.failure_log.forget()


@pytest.mark.django_db
def test_with_redis_away_readers_still_get_the_article(
    client, article, redis_away, caplog
):
    pages = [client.get(article.get_absolute_url()) for _ in range(3)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    for page in pages:
        assert "Breast cancer recurrence" in page.content.decode()
    # One line for the outage, not one per request or per cache call.
    [line] = cache_log(caplog)
    assert "Cache unavailable" in line.getMessage()
    assert "127.0.0.1:1" in line.getMessage()
    assert line.exc_info is None


@pytest.mark.django_db
def test_with_redis_away_the_home_page_and_topics_are_served(
    client, article, topic, redis_away
):
    assert client.get("/").status_code == 200
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_with_redis_away_the_cache_answers_as_an_empty_one(redis_away):
    cache = redis_away
    assert cache.get("page", "nothing") == "nothing"
    assert cache.set("page", "body") is None
    assert cache.add("page", "body") is False
    assert cache.get_or_set("page", "made afresh") == "made afresh"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("page") is False
    assert cache.touch("page") is False
    assert cache.delete("page") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is False


def test_the_outage_is_logged_again_after_a_minute(redis_away, caplog, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(logs.time, "monotonic", lambda: clock[0])
    redis_away.get("page")
    clock[0] += 59
    redis_away.get("page")
    assert len(cache_log(caplog)) == 1
    clock[0] += 2
    redis_away.get("page")
    assert len(cache_log(caplog)) == 2


def test_counters_still_raise_with_redis_away(redis_away):
    """No number can stand in for a counter the cache lost; its callers decide."""
    from redis.exceptions import ConnectionError

    with pytest.raises(ConnectionError):
        redis_away.incr("page:version")


def test_redis_settings_come_from_the_environment():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE"}
    } | {
        "DJANGO_SETTINGS_MODULE": "infosite.settings",
        "DEBUG": "1",
        "REDIS_URL": "redis://cache.internal:6379/2",
        "CACHE_KEY_PREFIX": "charity-site",
        "CACHE_VERSION": "7",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "c = settings.CACHES['default']; "
        "print(c['BACKEND'], c['LOCATION'], c['KEY_PREFIX'], c['VERSION'], "
        "c['OPTIONS']['socket_connect_timeout'], c['OPTIONS']['socket_timeout'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "infosite.cache.FailOpenRedisCache",
        "redis://cache.internal:6379/2",
        "charity-site",
        "7",
        "0.25",
        "0.25",
    ]


def test_the_redis_client_is_built_once_not_per_cache_call():
    """Building a redis-py client cost more than a page's whole cache read."""
    cache = failopen.FailOpenRedisCache(
        REDIS_FOR_TESTS, {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("page:version") is client
    assert client.connection_pool.connection_kwargs["socket_connect_timeout"] == 0.2


@pytest.fixture
def redis_cache():
    cache = failopen.FailOpenRedisCache(
        REDIS_FOR_TESTS, {"KEY_PREFIX": "infosite-tests-numbers"}
    )
    cache.delete_many(["number", "page"])
    yield cache
    cache.delete_many(["number", "page"])


@needs_redis
def test_pages_are_kept_as_bytes_and_read_with_their_version_in_one_call(redis_cache):
    assert redis_cache.get_bytes_many(["number", "page"]) == [None, None]
    assert redis_cache.set_bytes("page", b"\x80<p>A page</p>", 60) is True
    assert redis_cache.raise_number("number", 7) is True
    assert redis_cache.get_bytes_many(["number", "page"]) == [
        b"7",
        b"\x80<p>A page</p>",
    ]
    # The number reads back through Django's cache API too.
    assert redis_cache.get("number") == 7
    ttl = redis_cache._cache.get_client().ttl(redis_cache.make_key("page"))
    assert 0 < ttl <= 60


@needs_redis
def test_a_number_is_only_ever_raised(redis_cache):
    """Two publishes' updates arriving in the wrong order leave the later number."""
    redis_cache.raise_number("number", 6)
    redis_cache.raise_number("number", 5)
    assert redis_cache.get("number") == 6
    redis_cache.raise_number("number", 8)
    assert redis_cache.get("number") == 8


@needs_redis
def test_numbers_raised_at_the_same_moment_end_at_the_largest(redis_cache):
    from tests.races import race

    numbers = [3, 9, 4, 7, 1, 8]
    results = race(
        *(lambda n=n: redis_cache.raise_number("number", n) for n in numbers)
    )
    assert results == [True] * len(numbers)
    assert redis_cache.get("number") == 9


@needs_redis
def test_each_process_opens_its_own_connection(redis_cache, monkeypatch):
    """A connection is never shared with a process forked after it was opened."""
    redis_cache.get_bytes_many(["page"])
    first = redis_cache._connection()
    assert redis_cache._connection() is first
    monkeypatch.setattr(failopen.os, "getpid", lambda: -1)
    assert redis_cache._connection() is not first
    assert redis_cache.get_bytes_many(["page"]) == [None]


def test_with_redis_away_pages_and_numbers_fail_open(redis_away, caplog):
    assert redis_away.get_bytes_many(["page:version", "page"]) is None
    assert redis_away.set_bytes("page", b"<p>A page</p>", 60) is False
    assert redis_away.raise_number("page:version", 3) is False
    # Logged once, and the next read tries again on a new connection.
    assert len(cache_log(caplog)) == 1
    assert redis_away.get_bytes_many(["page"]) is None
