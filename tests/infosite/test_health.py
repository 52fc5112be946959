"""Health checks for load balancers, and the 503 page when the database is away."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from infosite import health
from tests.infosite.test_database_connections import _get

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def database_gone(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_is_away(client):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
@pytest.mark.parametrize("away", ["cache", "database"])
def test_probes_while_something_is_away_are_logged_once_and_mailed_to_no_one(
    client, caplog, mailoutbox, away
):
    """A load balancer asks every few seconds: one log line a minute, and no
    email to the site's administrators for each probe."""
    gone = mock.MagicMock()
    gone.__getitem__.return_value.cursor.side_effect = database_gone
    health.readiness_log.forget()
    with (
        override_settings(
            ADMINS=[("Sample Operator", "operator@example.org")],
            **({"CACHES": UNREACHABLE_REDIS} if away == "cache" else {}),
        ),
        mock.patch.object(
            health, "connections", gone if away == "database" else health.connections
        ),
        caplog.at_level(logging.INFO),
    ):
        answers = [client.get("/readyz") for _ in range(5)]

    assert [answer.status_code for answer in answers] == [503] * 5
    assert [answer.json()[away] for answer in answers] == ["unavailable"] * 5
    assert mailoutbox == []
    assert [(r.name, r.levelname) for r in caplog.records] == [
        ("infosite.health", "WARNING")
    ]
    assert caplog.records[0].getMessage().startswith(f"Readiness: {away} unavailable")


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_away(client):
    gone = mock.MagicMock()
    gone.__getitem__.return_value.cursor.side_effect = database_gone
    with mock.patch.object(health, "connections", gone):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_a_page_whose_database_is_away_is_a_503_in_the_site_style(
    client, article, caplog
):
    with (
        caplog.at_level(logging.ERROR, logger="infosite.health"),
        mock.patch("articles.views.publication.live_page", side_effect=database_gone),
    ):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Sorry, this page is not available just now" in page
    assert "Traceback" not in page and "5432" not in page
    [line] = [r for r in caplog.records if r.name == "infosite.health"]
    assert "Database unavailable" in line.getMessage()
    assert line.exc_info is None
    # Django's own line (which would email ADMINS for every reader) is left out.
    assert [r for r in caplog.records if r.name == "django.request"] == []


@pytest.mark.django_db
def test_other_errors_keep_the_500_page(client, article):
    client.raise_request_exception = False
    with mock.patch(
        "articles.views.publication.live_page", side_effect=RuntimeError("bug")
    ):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 500
    assert "Sorry, there is a problem with this page" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement timeouts are PostgreSQL's"
)
def test_a_database_that_does_not_answer_is_given_up_on_after_the_timeout():
    """A query is cancelled at DB_STATEMENT_TIMEOUT_MS, not left to run for 10 s."""
    with (
        pytest.raises(OperationalError, match="statement timeout"),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(10)")


@pytest.mark.django_db
def test_robots_txt_lets_search_engines_read_only_the_public_site(client):
    response = client.get("/robots.txt", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for private in ("/admin/", "/review/", "/preview/", "/accounts/"):
        assert f"Disallow: {private}" in lines
    assert "Allow: /" in lines
    assert "Sitemap: https://testserver/sitemap.xml" in lines


def test_gunicorn_runs_workers_by_cores_unless_told(monkeypatch):
    import runpy
    from pathlib import Path

    config = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert runpy.run_path(str(config))["workers"] == 5
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 64)
    assert runpy.run_path(str(config))["workers"] == 12
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(config))
    assert settings["workers"] == 3
    assert settings["accesslog"] == "-"


BEHIND_A_LOAD_BALANCER = {
    "SECURE_SSL_REDIRECT": True,
    "ALLOWED_HOSTS": ["info.example.org"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_a_load_balancer_by_address_over_plain_http(client, path):
    """It asks by the server's own address, over HTTP: no host check, no redirect."""
    with override_settings(**BEHIND_A_LOAD_BALANCER):
        response = client.get(path, HTTP_HOST="10.0.0.5:8000")
        page = client.get("/", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]
    assert page.status_code == 400  # every other page still checks the host


@pytest.mark.django_db
def test_readyz_is_503_when_a_fail_open_redis_is_away(client):
    """The site keeps serving without Redis, but the load balancer is told."""
    away = {
        "default": {
            **UNREACHABLE_REDIS["default"],
            "BACKEND": "infosite.cache.FailOpenRedisCache",
        }
    }
    with override_settings(CACHES=away):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_a_database_lost_outside_a_view_is_also_a_503(client, article, caplog):
    """A middleware's query (or saving the session) fails before any view runs."""
    from infosite.replica import ReplicaForReadersMiddleware

    client.raise_request_exception = False
    with (
        caplog.at_level(logging.ERROR),
        mock.patch.object(
            ReplicaForReadersMiddleware, "__call__", side_effect=database_gone
        ),
    ):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, this page is not available just now" in response.content.decode()
    lines = [
        r for r in caplog.records if r.name in ("infosite.health", "django.request")
    ]
    assert len(lines) == 1 and lines[0].exc_info is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database lives in memory: it cannot be made unreachable",
)
def test_a_database_server_that_refuses_connections_gives_the_503(
    article, monkeypatch, caplog
):
    """A real connection to a closed port, through the whole request cycle."""

    url = article.get_absolute_url()
    monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    connection.close()
    try:
        with caplog.at_level(logging.ERROR, logger="infosite.health"):
            status, body = _get(url)
            ready, ready_body = _get("/readyz")
    finally:
        monkeypatch.undo()
        connection.close()
    assert status == 503
    assert b"Sorry, this page is not available just now" in body
    assert ready == 503 and b'"database": "unavailable"' in ready_body
    [line] = [r for r in caplog.records if r.name == "infosite.health"]
    assert "Connection refused" in line.getMessage() or "port 1" in line.getMessage()


def _database_options(database_url, **env):
    """The default database's OPTIONS that settings build from these variables."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent.parent,
        env=os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "infosite.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url,
        }
        | env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_database_timeouts_come_from_the_environment():
    postgres = _database_options(
        "postgres://u@db.internal:5432/infosite?options=-c%20search_path%3Dsite",
        DB_CONNECT_TIMEOUT="3",
        DB_STATEMENT_TIMEOUT_MS="1500",
    )
    assert postgres["connect_timeout"] == 3
    # Options given in the address are kept.
    assert postgres["options"] == "-c search_path=site -c statement_timeout=1500"

    sqlite = _database_options("sqlite:///tmp/site.sqlite3")
    assert sqlite == {"timeout": 2.0}


def wsgi(method, path):
    """Answer a request as gunicorn would call the site: status, headers, body
    (Django's test client drops a HEAD body itself, so it cannot show this)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    environ = RequestFactory().generic(method, path).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.mark.django_db(transaction=True)  # each request closes its connection
def test_a_head_request_gets_the_pages_headers_and_no_body(article):
    path = article.get_absolute_url()
    get_status, get_headers, page = wsgi("GET", path)
    status, headers, body = wsgi("HEAD", path)

    assert (get_status, status) == ("200 OK", "200 OK")
    assert body == b""
    assert int(headers["Content-Length"]) == len(page) > 1000
    assert headers == get_headers  # the same page, headers for headers
