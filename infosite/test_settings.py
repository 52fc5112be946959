"""Settings for the test suite: production settings with test-only secrets and hosts."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-for-any-real-site-0123456789"
)
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ["TESTING"] = "1"
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Most tests count the queries a page costs to make: the page cache is switched
# on where a test is about it (tests/articles/test_page_cache.py).
# The page version board (articles/versionboard.py) is named after the database,
# and an in-memory SQLite database has the same name in every test run: each
# run gets a board directory of its own, so runs side by side never share one.
_board_dir = tempfile.mkdtemp(prefix="infosite-test-board-")
atexit.register(shutil.rmtree, _board_dir, ignore_errors=True)

# On SQLite the test database is a file of this run's own, not Django's default
# in-memory one: the browser tests' live server answers requests in several
# threads, and an in-memory database makes them share one connection, which
# SQLite refuses when two requests use it at once ("bad parameter or other API
# misuse"). With a file, each thread has its own connection, as in production.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    _sqlite_dir = tempfile.mkdtemp(
        prefix="infosite-test-db-",
        dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None,
    )
    atexit.register(shutil.rmtree, _sqlite_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {  # noqa: F405
        **DATABASES["default"].get("TEST", {}),  # noqa: F405
        "NAME": os.path.join(_sqlite_dir, "test.sqlite3"),
    }
INFOSITE = {
    **INFOSITE,  # noqa: F405
    "PAGE_CACHE": {
        **INFOSITE["PAGE_CACHE"],  # noqa: F405
        "ENABLED": False,
        "BOARD_DIR": _board_dir,
    },
}
