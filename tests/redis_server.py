"""The Redis server the tests use, and a mark for tests that need one.

A test run starts a Redis server of its own (Debian's ``redis-server``, which
``.ci/run`` installs) on a free port of 127.0.0.1, keeping nothing on disk, and
stops it when the run ends. So the tests never use, nor empty, a Redis that
something else on the machine relies on, and two runs side by side never empty
each other's pages. ``TEST_REDIS_URL`` names a Redis to use instead, one the tests
may empty. Without ``redis-server`` or ``TEST_REDIS_URL``, the tests that need Redis
are skipped and say why; a ``redis-server`` that is installed but does not start
stops the run with its own message.
"""

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
from urllib.parse import urlsplit

import pytest

STARTUP_SECONDS = 10


def _answers(url):
    address = urlsplit(url)
    try:
        socket.create_connection(
            (address.hostname or "127.0.0.1", address.port or 6379), timeout=0.2
        ).close()
    except OSError:
        return False
    return True


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_own_server():
    """Start a Redis server for this run; return (url, None), or (None, why not)
    when there is no ``redis-server``."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None, "redis-server is not installed (apt-get install redis-server)"
    workdir = tempfile.mkdtemp(prefix="infosite-test-redis-")
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    log = os.path.join(workdir, "redis.log")
    for _ in range(3):  # another program may take the free port first
        port = _free_port()
        with open(log, "w") as output:  # its log, and any complaint about options
            server = subprocess.Popen(
                # No snapshots and no append-only file: no data is written to disk.
                [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", workdir]
                + ["--save", "", "--appendonly", "no"],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + STARTUP_SECONDS
        while server.poll() is None and time.monotonic() < deadline:
            if _answers(url):
                atexit.register(_stop, server)
                return url, None
            time.sleep(0.02)
        _stop(server)
    with open(log, errors="replace") as lines:
        raise RuntimeError(f"{binary} did not start: {lines.read()[-500:]}")


def _stop(server):
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if os.environ.get("TEST_REDIS_URL"):
    REDIS_FOR_TESTS = os.environ["TEST_REDIS_URL"]
    _WHY_NOT = (
        None if _answers(REDIS_FOR_TESTS) else f"no Redis answers at {REDIS_FOR_TESTS}"
    )
else:
    REDIS_FOR_TESTS, _WHY_NOT = _start_own_server()
    # Tests that only build a client, without a server, still have an address.
    REDIS_FOR_TESTS = REDIS_FOR_TESTS or "redis://127.0.0.1:6379/15"

needs_redis = pytest.mark.skipif(_WHY_NOT is not None, reason=_WHY_NOT or "")
