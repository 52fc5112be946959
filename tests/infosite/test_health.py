"""Health checks for load balancers, and the 503 page when the database is away."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from infosite import health

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
