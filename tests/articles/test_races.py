"""Moves that race each other, on PostgreSQL with real threads.

Each ends in one consistent outcome, and nothing is lost. SQLite has no row
locks, so these run only on PostgreSQL (as CI does).
"""

import pytest
from django.db import connection
from django.test import Client

from articles import workflow
from articles.models import Approval, Article
from tests import builders
from tests.articles.admin_forms import article_form_data
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; CI runs this file there",
    ),
]


@pytest.fixture
def team(db):
    return builders.make_team()


@pytest.fixture
def in_review(team):
    article = builders.make_article("Racing article", slug="racing-article")
    builders.submit(article, team)
    return article


def fresh(article):
    return Article.objects.get(pk=article.pk)


def test_two_final_approvals_at_once_leave_the_article_approved(in_review, team):
    revision = builders.current(in_review)
    results = race(
        lambda: workflow.approve(in_review, by=team.clinician, revision=revision),
        lambda: workflow.approve(in_review, by=team.lay, revision=revision),
    )
    assert all(isinstance(result, Approval) for result in results), results
    assert fresh(in_review).state == workflow.State.APPROVED
    assert Article.objects.approved().filter(pk=in_review.pk).exists()


def test_the_same_decision_twice_at_once_is_recorded_once(in_review, team):
    revision = builders.current(in_review)
    results = race(
        lambda: workflow.approve(in_review, by=team.clinician, revision=revision),
        lambda: workflow.approve(in_review, by=team.clinician, revision=revision),
    )
    refused = [r for r in results if isinstance(r, workflow.TransitionError)]
    assert len(refused) == 1
    assert str(refused[0]) == workflow.ALREADY_RECORDED
    assert (
        Approval.objects.filter(
            article=in_review, reviewer__user=team.clinician
        ).count()
        == 1
    )


def test_publish_racing_request_changes_has_one_outcome(in_review, team):
    revision = builders.current(in_review)
    workflow.approve(in_review, by=team.clinician, revision=revision)
    workflow.approve(in_review, by=team.lay, revision=revision)
    results = race(
        lambda: workflow.publish(in_review, by=team.publisher, is_full_review=True),
        lambda: workflow.request_changes(
            in_review, by=team.clinician, revision=revision, comment="Check dose."
        ),
    )
    published, asked = results
    article = fresh(in_review)
    if isinstance(published, workflow.TransitionError):
        # Changes were requested first: nothing went live.
        assert isinstance(asked, Approval)
        assert not article.is_live
        assert article.state == workflow.State.DRAFT
    else:
        # Published first: the request came too late and was refused, with a reason.
        assert isinstance(asked, workflow.TransitionError)
        assert article.is_live
        assert article.state == workflow.State.PUBLISHED


def editor_save(article, editor, **changes):
    client = Client()
    client.force_login(editor)
    return client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form_data(article, **changes),
    )


@pytest.fixture
def published(in_review, team):
    revision = builders.current(in_review)
    workflow.approve(in_review, by=team.clinician, revision=revision)
    workflow.approve(in_review, by=team.lay, revision=revision)
    workflow.publish(in_review, by=team.publisher, is_full_review=True)
    return fresh(in_review)


@pytest.mark.parametrize("attempt", range(4))
def test_unpublish_racing_an_editors_save_stays_unpublished(published, team, attempt):
    results = race(
        lambda: workflow.unpublish(published, by=team.publisher, comment="Withdrawn."),
        lambda: editor_save(published, team.editor, title="Racing article, edited"),
    )
    assert not isinstance(results[0], Exception), results[0]
    assert results[1].status_code in {200, 302}
    article = fresh(published)
    assert not article.is_live
    assert article.unpublished_at is not None
    assert Client().get("/articles/racing-article/").status_code == 410
    if results[1].status_code == 302:
        assert article.title == "Racing article, edited"


def test_publish_racing_an_editors_save_keeps_both(in_review, team):
    revision = builders.current(in_review)
    workflow.approve(in_review, by=team.clinician, revision=revision)
    workflow.approve(in_review, by=team.lay, revision=revision)
    results = race(
        lambda: workflow.publish(in_review, by=team.publisher, is_full_review=True),
        lambda: editor_save(in_review, team.editor, title="Racing article, edited"),
    )
    article = fresh(in_review)
    if isinstance(results[0], workflow.TransitionError):
        # The save came first, so the approved version was no longer current.
        assert not article.is_live
    else:
        assert article.is_live
        assert article.live.title == "Racing article"  # the approved version only
        assert article.reviewed_on is not None
    if results[1].status_code == 302:
        assert article.title == "Racing article, edited"
        assert article.state == workflow.State.DRAFT


def test_two_editors_creating_the_same_address_get_a_message(team, db):
    topic = builders.make_topic()

    def create():
        data = article_form_data(
            None,
            title="Same address",
            slug="same-address",
            summary="A summary.",
            topic=topic.pk,
            sections=[{"heading": "One", "body": "<p>Text.</p>", "order": 0}],
        )
        client = Client()
        client.force_login(team.editor)
        return client.post("/admin/articles/article/add/", data)

    results = race(create, create)
    codes = sorted(response.status_code for response in results)
    assert codes == [200, 302], codes
    refused = next(r for r in results if r.status_code == 200)
    assert "Another article already uses this web address" in refused.content.decode()
    assert Article.objects.filter(slug="same-address").count() == 1
