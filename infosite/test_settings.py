"""Settings for the test suite: production settings with test-only secrets and hosts."""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-for-any-real-site-0123456789"
)
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ["TESTING"] = "1"
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
