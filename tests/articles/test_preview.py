"""Staff previews of drafts and past revisions: signed in only, never indexed."""

import pytest
from django.urls import reverse

from articles import revisions
from tests import builders


def preview_url(article):
    return reverse("articles:preview", args=[article.pk])


def revision_url(article, revision):
    return reverse("articles:preview_revision", args=[article.pk, revision.pk])


@pytest.mark.django_db
def test_anonymous_preview_requests_are_sent_to_sign_in_with_no_content(
    client, article
):
    builders.edit_section(article, body="<p>Unpublished draft wording.</p>")
    first = revisions.revisions_of(article).last()
    for url in (preview_url(article), revision_url(article, first)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
        assert b"Unpublished draft wording." not in response.content
        assert b"Body text of section" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "clinician", "publisher"])
def test_each_role_can_preview_the_draft_marked_noindex(client, article, team, role):
    builders.edit_section(article, body="<p>Unpublished draft wording.</p>")
    client.force_login(getattr(team, role))
    response = client.get(preview_url(article))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unpublished draft wording." in html
    assert "Preview of the current draft." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_a_past_revision_is_shown_exactly_as_it_was_saved(client, article, team):
    first = revisions.current_revision(article)
    builders.edit_section(article, body="<p>Later wording.</p>")
    client.force_login(team.editor)
    html = client.get(revision_url(article, first)).content.decode()
    assert "Body text of section 1." in html
    assert "Later wording." not in html
    # Labelled with the article's own version number, not the revision's id.
    assert "Preview of Version 1 · someone not recorded · " in html
    latest = revisions.current_revision(article)
    html = client.get(revision_url(article, latest)).content.decode()
    assert "Preview of Version 2 · someone not recorded · " in html
    assert "Later wording." in html


@pytest.mark.django_db
def test_a_revision_of_another_article_is_not_found(client, article, team, topic):
    other = builders.make_article(topic=topic)
    client.force_login(team.editor)
    response = client.get(revision_url(article, revisions.current_revision(other)))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_signed_in_user_without_a_role_cannot_preview(client, article):
    client.force_login(builders.make_user("visitor"))
    assert client.get(preview_url(article)).status_code == 403
