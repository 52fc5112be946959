"""A long history: the admin's history lists saved versions a page at a time, and
no screen that lists or picks versions reads them all."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles import revisions
from tests import builders


def history_url(article, page=None):
    url = reverse("admin:articles_article_history", args=[article.pk])
    return url if page is None else f"{url}?p={page}"


def version_numbers(page):
    """The version numbers listed in the history table, in order."""
    table = page.split('id="change-history"')[1].split("</table>")[0]
    return [int(n) for n in re.findall(r"<th scope=\"row\">\s*Version (\d+) ·", table)]


def options(page, name):
    select = page.split(f'name="{name}"')[1].split("</select>")[0]
    return [int(pk) for pk in re.findall(r'<option value="(\d+)"', select)]


def query_count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_history_shows_fifty_versions_a_page_newest_first(editor_client, article):
    builders.add_saved_versions(article, 119)  # 120 in all

    first = editor_client.get(history_url(article)).content.decode()
    assert version_numbers(first) == list(range(120, 70, -1))
    assert "120 saved versions: page 1 of 3." in first
    assert 'aria-label="Pages of saved versions"' in first
    assert '<a href="?p=1" aria-current="page">' in first
    assert '<a href="?p=2" rel="next">Older versions</a>' in first
    assert 'href="?p=3"' in first
    assert "Newer versions" not in first

    last = editor_client.get(history_url(article, 3)).content.decode()
    assert version_numbers(last) == list(range(20, 0, -1))
    assert '<a href="?p=3" aria-current="page">' in last
    assert '<a href="?p=2" rel="prev">Newer versions</a>' in last
    assert "Older versions" not in last


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "shown"),
    [("abc", 1), ("", 1), ("1e3", 1), ("2.5", 1), ("99", 3), ("0", 3), ("-1", 3)],
)
def test_a_page_number_that_is_no_page_shows_the_first_or_last(
    editor_client, article, asked, shown
):
    builders.add_saved_versions(article, 119)
    response = editor_client.get(f"{history_url(article)}?p={asked}")
    assert response.status_code == 200
    assert f"page {shown} of 3." in response.content.decode()


@pytest.mark.django_db
def test_restoring_from_a_later_page_names_that_version(editor_client, article):
    builders.add_saved_versions(article, 119)
    page = editor_client.get(history_url(article, 3)).content.decode()
    restore = re.findall(r'href="([^"]+/history/\d+/)">Restore', page)
    assert len(restore) == 20
    oldest = Version.objects.get_for_object(article).order_by("revision_id").first()
    assert restore[-1] == reverse(
        "admin:articles_article_revision", args=[article.pk, oldest.pk]
    )
    assert editor_client.get(restore[-1]).status_code == 200


@pytest.mark.django_db
def test_the_history_compare_form_offers_this_page_the_current_and_the_live_version(
    editor_client, article
):
    live = builders.live_revision_id(article)
    saved = builders.add_saved_versions(article, 119)
    page = editor_client.get(history_url(article, 2)).content.decode()
    on_page = [r.pk for r in saved[-51:-101:-1]]  # versions 70 to 21
    expected = [saved[-1].pk, *on_page, live]
    assert options(page, "from") == expected
    assert options(page, "to") == expected
    assert f'<option value="{live}" selected>' in page  # from what readers see
    assert f'<option value="{saved[-1].pk}" selected>' in page  # to the draft


@pytest.mark.django_db
def test_the_compare_page_offers_the_newest_versions_and_the_two_compared(
    client, article, team
):
    live = builders.live_revision_id(article)
    saved = builders.add_saved_versions(article, 199)
    client.force_login(team.editor)
    url = reverse("reviews:compare", args=[article.pk])

    page = client.get(url).content.decode()
    newest = [r.pk for r in reversed(saved[-50:])]
    assert options(page, "from") == [*newest, live]

    middle = saved[99].pk  # version 101, in no list of the newest
    response = client.get(f"{url}?from={middle}&to={live}")
    assert response.status_code == 200
    page = response.content.decode()
    assert options(page, "from") == [*newest, middle, live]
    assert f'<option value="{middle}" selected>' in page


@pytest.mark.django_db
def test_the_compare_page_refuses_a_version_of_another_article(
    client, article, team, topic
):
    builders.add_saved_versions(article, 60)
    other = builders.make_article("Other", slug="other", topic=topic)
    foreign = revisions.current_revision(other).pk
    client.force_login(team.editor)
    url = reverse("reviews:compare", args=[article.pk])
    assert client.get(f"{url}?from={foreign}").status_code == 404
    assert client.get(f"{url}?from=abc").status_code == 404


@pytest.mark.django_db
def test_screens_listing_versions_take_the_same_queries_for_3_and_200(
    client, editor_client, article, team
):
    builders.edit_section(article, user=team.editor, body="<p>First edit.</p>")
    builders.edit_section(article, user=team.editor, body="<p>Second edit.</p>")
    assert article.versions.count() == 3
    client.force_login(team.editor)
    screens = [
        (editor_client, history_url(article)),
        (editor_client, history_url(article, 2)),
        (editor_client, reverse("admin:articles_article_change", args=[article.pk])),
        (client, reverse("reviews:compare", args=[article.pk])),
        (client, reverse("reviews:article", args=[article.pk])),
    ]
    first = Version.objects.get_for_object(article).order_by("revision_id").first()
    restore = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    screens.append((editor_client, restore))

    # Opening the edit form the first time records that the editor has it open.
    editor_client.get(screens[2][1])
    before = [query_count(c, url) for c, url in screens]
    builders.add_saved_versions(article, 197, user=team.editor)
    assert article.versions.count() == 200
    assert [query_count(c, url) for c, url in screens] == before
