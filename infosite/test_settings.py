"""Settings for the test suite: production settings with test-only secrets and hosts."""

import os

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
INFOSITE = {**INFOSITE, "PAGE_CACHE": {**INFOSITE["PAGE_CACHE"], "ENABLED": False}}  # noqa: F405
