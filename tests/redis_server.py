"""The Redis server the tests may use, and a mark for tests that need one."""

import os
import socket
from urllib.parse import urlsplit

import pytest

# A Redis database the tests may empty (TEST_REDIS_URL picks another).
REDIS_FOR_TESTS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_is_running():
    address = urlsplit(REDIS_FOR_TESTS)
    try:
        socket.create_connection(
            (address.hostname or "127.0.0.1", address.port or 6379), timeout=0.2
        ).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(
    not redis_is_running(), reason=f"no Redis answers at {REDIS_FOR_TESTS}"
)
