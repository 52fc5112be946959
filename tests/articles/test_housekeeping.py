"""Deleting a draft readers never saw, recovering it, and refusing to delete an
article that has been on the public site."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ArticleRevision, Section, Transition
from tests import builders


def delete(client, article):
    url = reverse("admin:articles_article_delete", args=[article.pk])
    return client.post(url, {"post": "yes"}, follow=True)


def deleted_version(article_id):
    return Version.objects.get_deleted(Article).get(object_id=str(article_id))


@pytest.mark.django_db
def test_an_editor_deletes_a_draft_never_published_and_recovers_it(client, draft, team):
    builders.submit(draft, team)  # its history outlives it
    builders.edit_section(draft, user=team.editor, body="<p>Latest wording.</p>")
    article_id, title = draft.pk, draft.title
    client.force_login(team.editor)

    response = delete(client, draft)

    assert response.status_code == 200
    assert not Article.objects.filter(pk=article_id).exists()
    assert not Section.objects.filter(article_id=article_id).exists()
    assert Transition.objects.filter(article_id=article_id).exists()
    listed = client.get(reverse("admin:articles_article_recoverlist"))
    assert title in listed.content.decode()

    version = deleted_version(article_id)
    url = reverse("admin:articles_article_recover", args=[version.pk])
    confirm = client.get(url)
    assert "Recovering it brings back its last saved" in confirm.content.decode()
    assert not Article.objects.filter(pk=article_id).exists()  # only asked

    recovered = client.post(url, follow=True)

    assert "is back, as a draft" in recovered.content.decode()
    article = Article.objects.get(pk=article_id)
    assert article.title == title
    assert [s.body for s in article.sections.all()][0] == "<p>Latest wording.</p>"
    assert article.sections.count() == 3
    assert article.reference_links.count() == 2
    assert article.credits.count() == 2
    # Recorded as a new version after the old ones, with who recovered it.
    numbers = list(
        ArticleRevision.objects.filter(article_id=article_id)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
    assert article.latest_revision.user == team.editor
    assert article.latest_revision.get_comment() == "Recovered after it was deleted"
    assert article.content_fingerprint
    assert article.state == "draft"
    assert not article.is_live


@pytest.mark.django_db
def test_an_editor_cannot_delete_a_live_article(client, article, team):
    client.force_login(team.editor)
    response = delete(client, article)

    assert "has been on the public site, so it cannot be deleted" in (
        response.content.decode()
    )
    assert Article.objects.filter(pk=article.pk).exists()
    assert builders.fresh(article).is_live


@pytest.mark.django_db
def test_an_editor_cannot_delete_an_article_once_published_then_unpublished(
    client, article, team
):
    from articles import workflow

    workflow.unpublish(article, by=team.publisher, comment="Out of date")
    client.force_login(team.editor)
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert reverse("admin:articles_article_delete", args=[article.pk]) not in (
        change.content.decode()
    )

    response = delete(client, article)

    assert "cannot be deleted" in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_editors_have_no_bulk_delete(client, draft, team):
    client.force_login(team.editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Article.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_reviewers_and_publishers_cannot_delete(client, draft, team):
    for user in (team.clinician, team.publisher):
        client.force_login(user)
        delete(client, draft)
        assert Article.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_a_draft_whose_address_was_taken_meanwhile_is_not_recovered(
    client, draft, team, topic
):
    client.force_login(team.editor)
    article_id, slug = draft.pk, draft.slug
    delete(client, draft)
    builders.make_article("Another", slug=slug, topic=topic)
    url = reverse(
        "admin:articles_article_recover", args=[deleted_version(article_id).pk]
    )

    response = client.post(url, follow=True)

    assert "could not be recovered" in response.content.decode()
    assert not Article.objects.filter(pk=article_id).exists()


@pytest.mark.django_db
def test_a_version_of_an_existing_article_is_not_recovered(client, draft, team):
    client.force_login(team.editor)
    version = Version.objects.get_for_object(draft).first()
    url = reverse("admin:articles_article_recover", args=[version.pk])
    response = client.post(url, follow=True)
    assert "was not deleted" in response.content.decode()
    assert ArticleRevision.objects.filter(article=draft).count() == 1


@pytest.mark.django_db
def test_a_deleted_article_once_published_is_not_recovered_by_an_editor(
    client, admin_user, article, team
):
    client.force_login(admin_user)  # an administrator may delete it
    article_id = article.pk
    delete(client, article)
    assert not Article.objects.filter(pk=article_id).exists()

    client.force_login(team.editor)
    url = reverse(
        "admin:articles_article_recover", args=[deleted_version(article_id).pk]
    )
    response = client.post(url, follow=True)

    assert "was on the public site before it was deleted" in (response.content.decode())
    assert not Article.objects.filter(pk=article_id).exists()
