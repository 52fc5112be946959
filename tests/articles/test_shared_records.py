"""References and reviewers are shared by many articles. A change to one reaches
live pages only once it is reviewed: by a publisher approving the change to the
record, or by an article citing it being approved and published again."""

import pytest
from django.urls import reverse

from articles.models import Action, Article, Reference
from tests import builders


def approve_url(kind, record):
    return reverse("reviews:approve_record", args=[kind, record.pk])


@pytest.fixture
def second(article, team):
    """Another live article citing the same first reference."""
    other = builders.make_article(
        "Secondary breast cancer",
        slug="secondary-breast-cancer",
        topic=article.topic,
        references=[article.reference_links.first().reference],
    )
    return builders.publish(other, team)


def page(client, article):
    return client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_edited_citation_does_not_reach_the_live_page_unreviewed(client, article):
    reference = article.reference_links.first().reference
    old_url = reference.url
    reference.url = "https://phishing.example.net/login"
    reference.save()

    html = page(client, article)
    assert old_url in html
    assert "phishing.example.net" not in html
    article = Article.objects.get(pk=article.pk)
    assert article.has_unpublished_changes
    assert article.unpublished_record_changes() == [reference]
    assert Article.objects.with_unpublished_changes().filter(pk=article.pk).exists()
    assert article.state == "published"  # the article's own content is unchanged


@pytest.mark.django_db
def test_the_workspace_names_the_changed_record(client, article, team):
    reference = article.reference_links.first().reference
    reference.title = "A corrected title"
    reference.save()
    client.force_login(team.publisher)
    html = client.get(reverse("reviews:article", kwargs={"pk": article.pk})).content
    html = html.decode()
    assert "1 shared record changed since the page was published" in html
    assert "A corrected title" in html
    assert "Approve this change on" in html


@pytest.mark.django_db
def test_a_publisher_approves_a_record_change_on_every_live_page(
    client, article, second, team
):
    reference = article.reference_links.first().reference
    reference.url = "https://www.nice.org.uk/guidance/cg81/corrected"
    reference.save()
    client.force_login(team.publisher)

    response = client.post(
        approve_url("reference", reference), {"next": "/review/"}, follow=True
    )

    assert "2 live pages now show the current" in response.content.decode()
    for each in (article, second):
        each = Article.objects.get(pk=each.pk)
        assert "cg81/corrected" in page(client, each)
        assert not each.has_unpublished_changes
        step = each.transitions.latest()
        assert step.action == Action.APPROVE_RECORD
        assert step.user == team.publisher
        assert each.state == "published"


@pytest.mark.django_db
def test_an_editor_cannot_approve_a_record_change(client, article, team):
    reference = article.reference_links.first().reference
    reference.url = "https://phishing.example.net/"
    reference.save()
    client.force_login(team.editor)
    response = client.post(approve_url("reference", reference))
    assert response.status_code == 403
    assert "phishing.example.net" not in page(client, article)


@pytest.mark.django_db
def test_approving_a_record_with_nothing_to_approve_says_so(client, article, team):
    reference = article.reference_links.first().reference
    client.force_login(team.publisher)
    response = client.post(approve_url("reference", reference), follow=True)
    assert "there is nothing to approve" in response.content.decode()
    assert not article.transitions.filter(action=Action.APPROVE_RECORD).exists()


@pytest.mark.django_db
def test_publishing_one_article_again_leaves_the_other_showing_the_old_version(
    client, article, second, team
):
    reference = Reference.objects.get(pk=article.reference_links.first().reference_id)
    reference.title = "Retitled guideline"
    reference.save()
    builders.edit_section(second, body="<p>Reworded for review.</p>")
    builders.publish(second, team)

    assert "Retitled guideline" in page(client, second)
    assert "Retitled guideline" not in page(client, article)
    assert Article.objects.get(pk=article.pk).has_unpublished_changes
    assert not Article.objects.get(pk=second.pk).has_unpublished_changes


@pytest.mark.django_db
def test_a_renamed_writer_shows_on_the_live_page_only_once_approved(
    client, article, team
):
    writer = article.credits.first().reviewer
    old_name = writer.name
    writer.name = "Dr Renamed Writer"
    writer.save()
    assert old_name in page(client, article)
    assert "Dr Renamed Writer" not in page(client, article)

    client.force_login(team.publisher)
    client.post(approve_url("reviewer", writer))

    html = page(client, article)
    assert "Dr Renamed Writer" in html
    assert not Article.objects.get(pk=article.pk).has_unpublished_changes
