"""Whole public pages from the cache: readers never get a page older than what
the site shows, signed-in staff never get or leave one, and browsers and CDNs
are told how long a page may be kept."""

import datetime
import socket
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import override_settings
from django.urls import resolve

from articles import pagecache, workflow
from articles.models import PublicVersion
from articles.views import article_detail
from infosite import settings as project_settings
from tests import builders

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


@pytest.fixture(params=["database", "cache"])
def cached(request):
    """The page cache on, with its version kept in the database (a local-memory
    cache) or in the cache itself (as with Redis)."""
    with (
        page_cache(VERSION_IN=request.param),
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
    pagecache._last_warning = 0.0
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


def _redis_is_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.skipif(not _redis_is_running(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_a_publish_retires_pages_for_every_worker(client, article, team):
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
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
