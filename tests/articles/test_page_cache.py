"""Whole public pages from the cache: readers never get a page older than what
the site shows, signed-in staff never get or leave one, and browsers and CDNs
are told how long a page may be kept."""

import datetime
import io
import sys
import threading
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, close_old_connections
from django.db import connection as db_connection
from django.test import override_settings
from django.urls import resolve

from articles import pagecache, workflow
from articles import views as article_views
from articles.models import PublicVersion
from articles.views import article_detail
from infosite import cache as failopen
from infosite import settings as project_settings
from tests import builders
from tests.races import race
from tests.redis_server import REDIS_FOR_TESTS, needs_redis

NEW_TEXT = "A new paragraph about scans after treatment."


def page_cache(**changes):
    """Settings with the page cache on (the test settings switch it off)."""
    options = {**project_settings.INFOSITE["PAGE_CACHE"], "ENABLED": True} | changes
    return override_settings(
        INFOSITE={**project_settings.INFOSITE, "PAGE_CACHE": options}
    )


def at_once(function):
    """Run what waits for the test's transaction to commit, which never does."""
    function()


@pytest.fixture(params=["database", "cache", "board"])
def cached(request, tmp_path, monkeypatch):
    """The page cache on, with readers finding its version in the database, in
    the cache itself (as with Redis), or on a board in a fresh directory (a
    local-memory cache), with the clock stopped."""
    if request.param == "board":
        monkeypatch.setattr(pagecache, "_now", lambda: 1000.0)
    with (
        page_cache(VERSION_IN=request.param, BOARD_DIR=str(tmp_path)),
        mock.patch.object(pagecache, "_after_commit", at_once),
    ):
        yield request.param


def get(client, url, **headers):
    return client.get(url, headers=headers)


def republish_with_new_text(article, team):
    builders.edit_section(article, body=f"<p>{NEW_TEXT}</p>", user=team.editor)
    builders.publish(article, team)


@pytest.mark.django_db
def test_a_second_reader_gets_the_page_from_the_cache(
    client, article, cached, django_assert_max_num_queries
):
    first = get(client, article.get_absolute_url())
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"

    # The version comes from the database with a local-memory cache, from the
    # cache itself with a shared one; the page is not made again either way.
    with django_assert_max_num_queries(1 if cached == "database" else 0):
        second = get(client, article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "Breast cancer recurrence" in second.content.decode()


@pytest.mark.django_db
def test_publishing_a_new_version_retires_the_cached_page(
    client, article, team, topic, cached
):
    for url in ("/", topic.get_absolute_url(), article.get_absolute_url()):
        get(client, url)
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"

    republish_with_new_text(article, team)

    page = get(client, article.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert NEW_TEXT in page.content.decode()
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_unpublishing_retires_the_page_and_its_listings(
    client, article, team, topic, cached
):
    get(client, article.get_absolute_url())
    listing = get(client, topic.get_absolute_url())
    assert article.title in listing.content.decode()

    workflow.unpublish(article, by=team.publisher, comment="Out of date")

    assert get(client, article.get_absolute_url()).status_code == 410
    assert article.title not in get(client, topic.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_review_confirmation_shows_the_new_dates(client, article, team, cached):
    get(client, article.get_absolute_url())
    day = datetime.date(2026, 11, 2)
    for reviewer in (team.clinician, team.lay):
        workflow.confirm_review(article, by=reviewer, day=day)

    page = get(client, article.get_absolute_url()).content.decode()
    assert "2 November 2026" in page


@pytest.mark.django_db
def test_renaming_a_topic_changes_every_page_that_names_it(
    client, article, topic, cached
):
    get(client, topic.get_absolute_url())
    get(client, article.get_absolute_url())
    topic.name = "Cancer of the breast"
    topic.save()

    assert (
        "Cancer of the breast" in get(client, topic.get_absolute_url()).content.decode()
    )
    assert (
        "Cancer of the breast"
        in get(client, article.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_approving_a_corrected_reference_shows_it_on_the_live_page(
    client, article, team, cached
):
    get(client, article.get_absolute_url())
    reference = article.reference_links.first().reference
    reference.title = "A corrected reference title"
    reference.save()
    # Saved, not yet approved: readers still see what was approved.
    assert (
        "A corrected reference title"
        not in get(client, article.get_absolute_url()).content.decode()
    )

    workflow.approve_record_change(reference, by=team.publisher)

    assert (
        "A corrected reference title"
        in get(client, article.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_a_draft_save_leaves_cached_pages_alone(client, article, cached):
    get(client, article.get_absolute_url())
    builders.edit_section(article, body="<p>Not yet reviewed.</p>")
    page = get(client, article.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    assert "Not yet reviewed." not in page.content.decode()


@pytest.mark.django_db
def test_a_page_made_while_a_publish_commits_is_not_served_after_it(
    client, rf, article, team, cached
):
    """A reader's request that read the old content before a publish committed
    files its page under the old version: the next reader gets the new page."""

    def view_overtaken_by_a_publish(request):
        response = article_detail(request, slug=article.slug)  # the old content
        republish_with_new_text(article, team)
        request.resolver_match = resolve(article.get_absolute_url())
        return response

    request = rf.get(article.get_absolute_url())
    kept = pagecache.PageCacheMiddleware(view_overtaken_by_a_publish)(request)
    assert NEW_TEXT not in kept.content.decode()

    page = get(client, article.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert NEW_TEXT in page.content.decode()


@pytest.mark.django_db
def test_signed_in_staff_never_get_or_leave_a_cached_page(
    client, article, team, cached
):
    client.force_login(team.editor)
    staff = get(client, article.get_absolute_url())
    assert staff.status_code == 200
    assert "X-Page-Cache" not in staff
    assert staff["Cache-Control"] == "private, no-cache"

    client.logout()
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"

    client.force_login(team.editor)
    assert "X-Page-Cache" not in get(client, article.get_absolute_url())


@pytest.mark.django_db
def test_only_public_pages_without_a_query_string_are_kept(
    client, article, editor_client, cached
):
    with_query = client.get(article.get_absolute_url(), {"utm_source": "news"})
    assert with_query.status_code == 200
    assert "X-Page-Cache" not in with_query
    missing = client.get("/articles/no-such-page/")
    assert missing.status_code == 404
    assert "X-Page-Cache" not in missing
    login = client.get("/accounts/login/")
    assert "X-Page-Cache" not in login


@pytest.mark.django_db
def test_browsers_revalidate_with_the_etag_and_cdns_keep_pages_briefly(
    client, article, team, cached
):
    first = get(client, article.get_absolute_url())
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first["Cache-Control"] == (
        "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    )
    assert first["Last-Modified"]

    unchanged = get(client, article.get_absolute_url(), If_None_Match=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag

    since = get(
        client, article.get_absolute_url(), If_Modified_Since=first["Last-Modified"]
    )
    assert since.status_code == 304

    republish_with_new_text(article, team)
    changed = get(client, article.get_absolute_url(), If_None_Match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert NEW_TEXT in changed.content.decode()


@pytest.mark.django_db
def test_pages_in_the_cache_are_served_when_the_database_is_away(
    client, article, cached
):
    first = get(client, article.get_absolute_url())
    away = mock.MagicMock()
    away.__getitem__.return_value.cursor.side_effect = DatabaseError("gone")
    with (
        mock.patch.object(pagecache, "connections", away),
        mock.patch.object(
            pagecache.PublicVersion.objects, "filter", side_effect=DatabaseError("gone")
        ),
    ):
        again = get(client, article.get_absolute_url())
    assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content


@pytest.mark.django_db
def test_a_cache_that_is_away_fails_open(client, article, caplog):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    pagecache._warnings.forget()
    with override_settings(CACHES=unreachable), page_cache(VERSION_IN="database"):
        pages = [get(client, article.get_absolute_url()) for _ in range(3)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert "Breast cancer recurrence" in pages[-1].content.decode()
    # Logged once, not once per request.
    assert caplog.text.count("Page cache unavailable") == 1


@pytest.mark.django_db
def test_no_page_outlives_the_day_it_was_made(client, article):
    """Whether a review is overdue depends on the local date."""
    late = datetime.datetime(2026, 3, 4, 23, 59, 30, tzinfo=datetime.UTC)
    with (
        page_cache(),
        mock.patch.object(pagecache.timezone, "localtime", return_value=late),
        mock.patch.object(pagecache, "_cache") as cache,
    ):
        cache.return_value.get.return_value = None
        get(client, article.get_absolute_url())
    (key, entry, timeout), _ = cache.return_value.set.call_args
    assert timeout == 30


@pytest.mark.django_db
def test_the_public_version_moves_in_the_transaction_of_the_change(article, team):
    def version():
        return PublicVersion.objects.values_list("value", flat=True).first() or 0

    before = version()
    republish_with_new_text(article, team)
    assert version() > before


REDIS = {
    "default": {
        "BACKEND": "infosite.cache.FailOpenRedisCache",
        "LOCATION": REDIS_FOR_TESTS,
        "KEY_PREFIX": "infosite-tests",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.mark.django_db
@needs_redis
def test_with_redis_a_publish_retires_pages_for_every_worker(client, article, team):
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_FOR_TESTS,
            "KEY_PREFIX": "infosite-tests",
        }
    }
    with (
        override_settings(CACHES=redis),
        page_cache(),
        mock.patch.object(pagecache, "_after_commit", at_once),
    ):
        from django.core.cache import cache

        cache.clear()
        assert pagecache._version_in_cache()
        get(client, article.get_absolute_url())
        assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"
        republish_with_new_text(article, team)
        page = get(client, article.get_absolute_url())
        cache.clear()
    assert page["X-Page-Cache"] == "miss"
    assert NEW_TEXT in page.content.decode()


# The WSGI front (infosite/wsgi.py): kept pages answered before Django runs.


def wsgi(app, path, method="GET", **environ):
    """Serve one request as gunicorn does; return (status, headers, body)."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=headers)

    request = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    } | environ
    body = b"".join(app(request, start_response))
    return answer["status"], answer["headers"], body


class Django:
    """Django's own WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.requests = 0

    def __call__(self, environ, start_response):
        self.requests += 1
        return self.handler(environ, start_response)


@pytest.fixture
def site():
    """Django's WSGI application and the front before it, with the database
    connection kept open through requests as the test client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django = Django()
    yield django, pagecache.KeptPages(django)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def hit_header(headers):
    return dict(headers).get("X-Page-Cache")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_the_front_answers_exactly_as_django_would(
    client, article, topic, cached, site, method
):
    django, front = site
    for url in ("/", topic.get_absolute_url(), article.get_absolute_url()):
        made = wsgi(django, url)
        assert hit_header(made[1]) == "miss"
        etag, last_modified = dict(made[1])["ETag"], dict(made[1])["Last-Modified"]
        for conditions in (
            {},
            {"HTTP_IF_NONE_MATCH": etag},
            {"HTTP_IF_NONE_MATCH": '"an-older-copy"'},
            {"HTTP_IF_MODIFIED_SINCE": last_modified},
            {"HTTP_IF_MODIFIED_SINCE": "Sat, 01 Jan 2000 00:00:00 GMT"},
            {"HTTP_COOKIE": "csrftoken=abc; theme=dark"},  # Not signed in.
        ):
            by_django = wsgi(django, url, method, **conditions)
            seen_by_django = django.requests
            by_front = wsgi(front, url, method, **conditions)
            assert django.requests == seen_by_django, "the front sent it to Django"
            assert by_front == by_django
            assert hit_header(by_front[1]) == "hit"
    page = wsgi(front, article.get_absolute_url(), method)
    whole = wsgi(front, article.get_absolute_url())
    assert page[0] == "200 OK"
    assert b"<h1>Breast cancer recurrence</h1>" in whole[2]
    # HEAD: the page's headers, its length among them, and no body.
    assert page[2] == (b"" if method == "HEAD" else whole[2])
    assert int(dict(page[1])["Content-Length"]) == len(whole[2])
    assert wsgi(front, article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)[:3] == (
        "304 Not Modified",
        [
            ("ETag", etag),
            ("Last-Modified", last_modified),
            (
                "Cache-Control",
                "public, max-age=0, s-maxage=60, stale-while-revalidate=300",
            ),
            ("X-Page-Cache", "hit"),
        ],
        b"",
    )


@pytest.mark.django_db
def test_the_front_leaves_to_django_what_is_not_a_readers_public_page(
    client, article, team, cached, site
):
    django, front = site
    url = article.get_absolute_url()
    wsgi(django, url)
    client.force_login(team.editor)
    session = client.cookies["sessionid"].value
    for request in (
        {"QUERY_STRING": "utm_source=news"},
        {"HTTP_COOKIE": f"sessionid={session}"},
        {"HTTP_COOKIE": f"theme=dark; sessionid={session}"},
        {"method": "POST"},
        {"method": "OPTIONS"},
    ):
        before = django.requests
        status, headers, body = wsgi(front, url, **request)
        assert django.requests == before + 1, request
        assert hit_header(headers) is None, request
    # Staff get their own page, marked private, and leave nothing behind.
    status, headers, body = wsgi(front, url, HTTP_COOKIE=f"sessionid={session}")
    assert status == "200 OK"
    assert dict(headers)["Cache-Control"] == "private, no-cache"
    assert hit_header(wsgi(front, "/accounts/login/")[1]) is None
    assert wsgi(front, "/articles/no-such-page/")[0].startswith("404")


@pytest.mark.django_db
def test_the_front_refuses_nothing_django_would_refuse(article, cached, site):
    """A host outside ALLOWED_HOSTS gets Django's 400, even for a kept page."""
    django, front = site
    url = article.get_absolute_url()
    wsgi(django, url)
    status, headers, body = wsgi(front, url, HTTP_HOST="attacker.example")
    assert status.startswith("400")
    assert django.requests == 2


@pytest.mark.django_db
def test_the_front_keeps_http_and_https_pages_apart(article, cached, site):
    """Behind a proxy, the scheme comes from X-Forwarded-Proto as Django reads it."""
    django, front = site
    url = article.get_absolute_url()
    wsgi(django, url, HTTP_X_FORWARDED_PROTO="https")
    assert hit_header(wsgi(front, url, HTTP_X_FORWARDED_PROTO="https")[1]) == "hit"
    assert hit_header(wsgi(front, url)[1]) == "miss"


@pytest.mark.django_db
def test_after_a_publish_the_front_serves_only_the_new_page(
    article, team, topic, cached, site
):
    django, front = site
    for url in ("/", topic.get_absolute_url(), article.get_absolute_url()):
        wsgi(front, url)
        assert hit_header(wsgi(front, url)[1]) == "hit"

    republish_with_new_text(article, team)

    status, headers, body = wsgi(front, article.get_absolute_url())
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
    again = wsgi(front, article.get_absolute_url())
    assert hit_header(again[1]) == "hit"
    assert again[2] == body
    assert hit_header(wsgi(front, "/")[1]) == "miss"


@pytest.mark.django_db
def test_a_page_made_while_a_publish_commits_is_not_served_by_the_front(
    article, team, cached, site
):
    """The front read the version before Django made the page: a publish that
    commits in between leaves that page filed under the old version."""
    django, front = site
    url = article.get_absolute_url()
    render = article_views.render

    def render_then_publish(*args, **kwargs):
        response = render(*args, **kwargs)  # The old content.
        republish_with_new_text(article, team)
        return response

    with mock.patch.object(article_views, "render", render_then_publish):
        status, headers, old = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT not in old.decode()

    status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()


def cut(connection):
    """End the server side of a kept connection, as a database restart does."""
    pid = connection.connection.info.backend_pid
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def move_the_version_elsewhere(connection):
    """What a publish in another process does to the version."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("UPDATE articles_publicversion SET value = value + 1")
    finally:
        other.close()


on_postgresql = pytest.mark.skipif(
    db_connection.vendor != "postgresql",
    reason="Cutting or refusing a real connection needs PostgreSQL",
)


@pytest.fixture
def served(monkeypatch):
    """The front before Django, with Django's connection checks around each
    request as under gunicorn, and a connection kept between requests."""
    monkeypatch.setitem(db_connection.settings_dict, "CONN_MAX_AGE", 60)
    db_connection.close()
    django = Django()
    yield django, pagecache.KeptPages(django)
    db_connection.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_front_serves_kept_pages_while_the_database_is_away(article, served):
    django, front = served
    with page_cache(VERSION_IN="database"):
        wsgi(front, article.get_absolute_url())
        cut(db_connection)
        with mock.patch.dict(db_connection.settings_dict, {"PORT": "1"}):  # Refused.
            kept = wsgi(front, article.get_absolute_url())
            made_now = wsgi(front, "/")
        db_connection.close()
    assert kept[0] == "200 OK"
    assert hit_header(kept[1]) == "hit"
    assert b"<h1>Breast cancer recurrence</h1>" in kept[2]
    assert made_now[0].startswith("503")
    assert dict(made_now[1])["Retry-After"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_after_a_database_restart_the_front_reads_the_version_again(article, served):
    """A publish during a restart: the first reader after it must not get the
    page from before, though the worker's kept connection was cut."""
    django, front = served
    with page_cache(VERSION_IN="database"):
        wsgi(front, article.get_absolute_url())
        assert hit_header(wsgi(front, article.get_absolute_url())[1]) == "hit"
        move_the_version_elsewhere(db_connection)
        cut(db_connection)
        after = wsgi(front, article.get_absolute_url())
        again = wsgi(front, article.get_absolute_url())
    assert after[0] == "200 OK"
    assert hit_header(after[1]) == "miss"
    assert hit_header(again[1]) == "hit"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_front_closes_a_connection_older_than_conn_max_age(
    article, served, monkeypatch
):
    django, front = served
    with page_cache(VERSION_IN="database"):
        wsgi(front, article.get_absolute_url())
        kept = db_connection.connection
        monkeypatch.setattr(db_connection, "close_at", 0)  # Long past.
        assert hit_header(wsgi(front, article.get_absolute_url())[1]) == "hit"
    assert db_connection.connection is not kept


@pytest.mark.django_db
@needs_redis
def test_with_redis_the_front_gets_version_and_page_in_one_round_trip(
    article, team, site
):
    redis = {
        "default": {
            "BACKEND": "infosite.cache.FailOpenRedisCache",
            "LOCATION": REDIS_FOR_TESTS,
            "KEY_PREFIX": "infosite-tests",
        }
    }
    django, front = site
    with (
        override_settings(CACHES=redis),
        page_cache(),
        mock.patch.object(pagecache, "_after_commit", at_once),
    ):
        from django.core.cache import cache

        cache.clear()
        url = article.get_absolute_url()
        wsgi(front, url)
        connection = cache._connection()
        with (
            mock.patch.object(
                connection, "send_packed_command", wraps=connection.send_packed_command
            ) as sent,
            mock.patch.object(cache._cache, "get_client", side_effect=AssertionError),
        ):
            page = wsgi(front, url)
        republish_with_new_text(article, team)
        after = wsgi(front, url)
        cache.clear()
    assert hit_header(page[1]) == "hit"
    assert sent.call_count == 1
    assert sent.call_args.args[0][0].startswith(b"*3\r\n$4\r\nMGET")
    assert hit_header(after[1]) == "miss"
    assert NEW_TEXT in after[2].decode()


@pytest.mark.django_db
def test_with_the_cache_away_the_front_leaves_pages_to_django(article, site, caplog):
    unreachable = {
        "default": {
            "BACKEND": "infosite.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    django, front = site
    failopen.failure_log.forget()
    with override_settings(CACHES=unreachable), page_cache():
        pages = [wsgi(front, article.get_absolute_url()) for _ in range(3)]
    failopen.failure_log.forget()
    assert [page[0] for page in pages] == ["200 OK"] * 3
    assert django.requests == 3
    assert b"<h1>Breast cancer recurrence</h1>" in pages[-1][2]
    assert caplog.text.count("Cache unavailable") == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "version_in",
    ["database", "cache", "board", pytest.param("redis", marks=needs_redis)],
)
def test_a_reader_and_a_publisher_at_the_same_moment(
    article, team, served, version_in, tmp_path
):
    """Real threads and connections: a reader's page made from the old content
    while a publish commits is never served once the publish has finished."""
    django, front = served
    url = article.get_absolute_url()
    read_the_old_content, published = threading.Event(), threading.Event()
    render = article_views.render

    def render_then_wait(*args, **kwargs):
        response = render(*args, **kwargs)
        if threading.current_thread().name == "reader":
            read_the_old_content.set()
            published.wait(10)
        return response

    def read():
        threading.current_thread().name = "reader"
        return wsgi(front, url)

    def publish():
        read_the_old_content.wait(10)
        republish_with_new_text(article, team)
        published.set()

    from django.conf import settings

    with (
        override_settings(CACHES=REDIS if version_in == "redis" else settings.CACHES),
        page_cache(
            VERSION_IN="cache" if version_in == "redis" else version_in,
            BOARD_DIR=str(tmp_path),
        ),
        mock.patch.object(article_views, "render", render_then_wait),
    ):
        from django.core.cache import cache

        cache.clear()
        old, _ = race(read, publish)
        after = wsgi(front, url)
        cache.clear()
    assert published.is_set()
    assert NEW_TEXT not in old[2].decode()
    assert hit_header(after[1]) == "miss"
    assert NEW_TEXT in after[2].decode()


# After a Redis blip: the number in the cache is checked against the database's.


@pytest.fixture
def clock(monkeypatch):
    """The page cache's clock, moved by the test: no sleeping."""
    now = [1000.0]
    monkeypatch.setattr(pagecache, "_now", lambda: now[0])
    monkeypatch.setattr(pagecache, "_next_check", 0.0)
    return now


@pytest.fixture(
    params=["local memory", pytest.param("redis", marks=needs_redis)],
)
def shared(request, clock):
    """The page cache with its version in the cache: a local-memory cache, or
    Redis (emptied before and after)."""
    from django.conf import settings

    with (
        override_settings(
            CACHES=REDIS if request.param == "redis" else settings.CACHES
        ),
        page_cache(VERSION_IN="cache", CHECK_SECONDS=5),
        mock.patch.object(pagecache, "_after_commit", at_once),
    ):
        from django.core.cache import cache

        cache.clear()
        yield cache
        cache.clear()


def version_in(cache):
    return cache.get(pagecache.VERSION_KEY)


@pytest.mark.django_db
def test_a_publish_whose_cache_update_was_lost_shows_within_the_check_interval(
    article, team, site, shared, clock
):
    """Another process published while the cache was away: its number never
    reached the cache. Readers may get the old page until this process next
    compares the cache's number with the database's, never longer."""
    django, front = site
    url = article.get_absolute_url()
    wsgi(front, url)
    assert hit_header(wsgi(front, url)[1]) == "hit"
    before = version_in(shared)

    with mock.patch.object(pagecache, "_move_cached_version", lambda: None):
        republish_with_new_text(article, team)  # Its cache update is lost.
    assert version_in(shared) == before

    clock[0] += 4.9  # Within the interval: the old page is still allowed.
    status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "hit"
    assert NEW_TEXT not in body.decode()

    clock[0] += 0.1  # The interval is up: the database's number is read.
    status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
    # The cache holds the database's number again, for every process.
    assert version_in(shared) == PublicVersion.objects.get().value
    assert hit_header(wsgi(front, url)[1]) == "hit"
    for _ in range(3):
        clock[0] += 5
        again = wsgi(front, url)
        assert hit_header(again[1]) == "hit"
        assert again[2] == body


@needs_redis
@pytest.mark.django_db
def test_a_publish_while_redis_is_away_is_never_hidden_when_it_is_back(
    article, team, site, clock, caplog
):
    """Redis refuses the new number at the publish, then comes back with the
    old number and the old pages in it: the process that published serves the
    new page at once, and puts the number back in Redis."""
    django, front = site
    url = article.get_absolute_url()
    failopen.failure_log.forget()
    with (
        override_settings(CACHES=REDIS),
        page_cache(VERSION_IN="auto", CHECK_SECONDS=5),
        mock.patch.object(pagecache, "_after_commit", at_once),
    ):
        from django.core.cache import cache
        from redis.exceptions import ConnectionError

        cache.clear()
        wsgi(front, url)
        assert hit_header(wsgi(front, url)[1]) == "hit"
        before = version_in(cache)
        with mock.patch.object(
            cache._cache, "get_client", side_effect=ConnectionError("Redis away")
        ):
            republish_with_new_text(article, team)
        away = version_in(cache)
        status, headers, body = wsgi(front, url)
        repaired = version_in(cache)
        cache.clear()
    failopen.failure_log.forget()
    assert away == before
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
    assert repaired == PublicVersion.objects.get().value > before
    assert "Cache unavailable, pages are made from the database: Redis away" in (
        caplog.text
    )


@pytest.mark.django_db
def test_a_cache_that_lost_its_number_gets_the_databases(
    article, team, site, shared, clock
):
    """Redis restarted, or dropped the number: it is read from the database
    before any page is served, not guessed."""
    django, front = site
    url = article.get_absolute_url()
    wsgi(front, url)
    shared.delete(pagecache.VERSION_KEY)
    assert hit_header(wsgi(front, url)[1]) == "hit"
    assert version_in(shared) == PublicVersion.objects.get().value


@pytest.mark.django_db
def test_a_page_kept_in_another_format_is_made_again(article, site, shared):
    """What an older release kept under a page's address is a miss, not an error."""
    django, front = site
    url = article.get_absolute_url()
    made = wsgi(front, url)
    key = pagecache._key(pagecache._EnvironRequest({**made_environ(url)}))
    shared.set(key, (1, b"<p>An old page</p>", [], '"x"', 0), 60)
    status, headers, body = wsgi(front, url)
    assert status == "200 OK"
    assert hit_header(headers) == "miss"
    assert body == made[2]
    assert hit_header(wsgi(front, url)[1]) == "hit"


def made_environ(path):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
    }


@pytest.mark.django_db
def test_before_the_first_publish_hits_read_no_database(
    topic, site, shared, django_assert_max_num_queries
):
    """A new site's version is 0: the cache keeps that number too."""
    django, front = site
    PublicVersion.objects.update(value=0)
    wsgi(front, topic.get_absolute_url())
    assert version_in(shared) == 0
    with django_assert_max_num_queries(0):
        assert hit_header(wsgi(front, topic.get_absolute_url())[1]) == "hit"
