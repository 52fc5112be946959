"""Kept database connections: what a reader sees when one is cut (a database
restart), with and without the CONN_HEALTH_CHECKS check before each request."""

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Cutting a kept connection from the server needs PostgreSQL",
    ),
]


def _get(path):
    """Serve one request as the web server does, with the connection checks
    Django makes at the start and end of every request (the test client skips
    them)."""
    status = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    body = b"".join(WSGIHandler()(environ, lambda s, h, e=None: status.append(s)))
    return int(status[0].split()[0]), body


def _cut_the_connection():
    """End the server side of the site's kept connection, as a restart does."""
    pid = connection.connection.info.backend_pid
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


@pytest.fixture
def uncached(settings):
    settings.INFOSITE = {
        **settings.INFOSITE,
        "PAGE_CACHE": {**settings.INFOSITE["PAGE_CACHE"], "ENABLED": False},
    }


@pytest.fixture
def kept_connection(monkeypatch):
    def keep(health_checks):
        monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
        monkeypatch.setitem(
            connection.settings_dict, "CONN_HEALTH_CHECKS", health_checks
        )
        connection.close()  # The next request opens one with these settings.

    yield keep
    connection.close()


def test_health_checks_are_off_unless_asked_for():
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is False


def test_with_health_checks_a_cut_connection_is_replaced_unseen(
    article, uncached, kept_connection
):
    kept_connection(True)
    url = article.get_absolute_url()
    assert _get(url)[0] == 200
    _cut_the_connection()
    status, body = _get(url)
    assert status == 200
    assert b"<h1>Breast cancer recurrence</h1>" in body


def test_without_health_checks_one_request_fails_and_the_next_is_served(
    article, uncached, kept_connection
):
    kept_connection(False)
    url = article.get_absolute_url()
    assert _get(url)[0] == 200
    _cut_the_connection()
    assert _get(url)[0] >= 500
    status, body = _get(url)
    assert status == 200
    assert b"<h1>Breast cancer recurrence</h1>" in body
