"""Choosing an article's owner in the review workspace: editors and publishers."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from articles import revisions
from articles.models import Article
from reviews import services
from tests import builders
from tests.reviews.test_views import post, text, workspace


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["publisher", "editor"])
def test_editors_and_publishers_choose_the_owner(client, article, team, role):
    before = revisions.current_revision(article)
    response = post(
        client, getattr(team, role), "change_owner", article, {"owner": team.editor.pk}
    )

    assert "editor now owns this article." in text(response)
    article = builders.fresh(article)
    assert article.owner == team.editor
    # Kept in the history as a save; not content, so the page stays published
    # with nothing new to review.
    latest = revisions.current_revision(article)
    assert latest.pk != before.pk
    assert latest.get_comment() == "Owner changed to editor"
    assert latest.user == getattr(team, role)
    assert article.state == "published"
    assert not article.has_unpublished_changes


@pytest.mark.django_db
def test_the_owner_can_be_removed(client, article, team):
    services.change_owner(article=article, owner=team.editor, by=team.publisher)
    response = post(client, team.publisher, "change_owner", article, {"owner": ""})
    assert "This article has no owner now." in text(response)
    assert builders.fresh(article).owner is None


@pytest.mark.django_db
def test_a_reviewer_cannot_choose_the_owner(client, article, team):
    response = post(
        client,
        team.clinician,
        "change_owner",
        article,
        {"owner": team.clinician.pk},
        follow=False,
    )
    assert response.status_code == 403
    assert builders.fresh(article).owner is None
    client.force_login(team.clinician)
    assert "Change the owner" not in text(client.get(workspace(article)))


@pytest.mark.django_db
def test_an_owner_who_is_not_staff_is_refused(client, article, team):
    response = post(
        client, team.publisher, "change_owner", article, {"owner": team.lay.pk}
    )
    assert response.status_code == 400
    assert "That person cannot own articles" in text(response)
    assert builders.fresh(article).owner is None
    with pytest.raises(services.workflow.TransitionError, match="cannot own"):
        services.change_owner(article=article, owner=team.lay, by=team.publisher)
    assert builders.fresh(article).owner is None


@pytest.mark.django_db
def test_choosing_the_same_owner_again_changes_nothing(client, article, team):
    services.change_owner(article=article, owner=team.editor, by=team.publisher)
    versions = revisions.revisions_of(article).count()
    response = post(
        client, team.publisher, "change_owner", article, {"owner": team.editor.pk}
    )
    assert response.status_code == 409
    assert "The owner is editor already." in text(response)
    assert revisions.revisions_of(article).count() == versions


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this there",
)
def test_two_owner_changes_at_once_are_both_kept_in_order():
    team = builders.make_team()
    article = builders.make_article("Owned article", slug="owned-article")
    other = User.objects.create_user("second-editor", is_staff=True)
    barrier = threading.Barrier(2)
    errors = []

    def choose(owner):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.change_owner(article=article, owner=owner, by=team.publisher)
        except Exception as error:  # the outcome is what the test asserts
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=choose, args=(owner,)) for owner in (team.editor, other)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    article = Article.objects.get(pk=article.pk)
    numbers = [r.number for r in revisions.revisions_of(article)]
    assert numbers == [3, 2, 1]
    latest = revisions.current_revision(article)
    # The owner now is the one the last recorded change named.
    assert latest.get_comment() == f"Owner changed to {article.owner.username}"
