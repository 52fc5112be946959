"""Glossary terms racing articles, on PostgreSQL with real threads: whichever
commits first, the live article ends up marked with the live term."""

import pytest
from django.db import connection

from articles import workflow
from articles.models import Article, PublishedArticle, PublishedTermUse
from tests import builders
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


def approved_article(team, number):
    article = builders.make_article(
        f"Racing article {number}", slug=f"racing-{number}", sections=1
    )
    builders.edit_section(
        article, body="<p>Your oncologist will explain the choices.</p>"
    )
    builders.submit(article, team)
    builders.approve_all(article, team)
    return article


def approved_term(team):
    term = builders.make_term("Oncologist", slug="oncologist")
    builders.submit(term, team)
    workflow.approve(term, by=team.clinician, revision=builders.current(term))
    return term


@pytest.mark.parametrize("attempt", range(3))
def test_a_term_published_while_an_article_is_leaves_the_article_marked(team, attempt):
    article = approved_article(team, attempt)
    term = approved_term(team)
    results = race(
        lambda: workflow.publish(
            article, by=team.publisher, full_review_not_needed=True
        ),
        lambda: workflow.publish(term, by=team.publisher),
    )
    assert not [r for r in results if isinstance(r, Exception)], results

    live = PublishedArticle.objects.get(article=article)
    html = live.sections[0]["html"]
    assert 'href="#define-oncologist"' in html
    assert [entry["slug"] for entry in live.glossary] == ["oncologist"]
    assert PublishedTermUse.objects.filter(published=live, term=term).exists()
    assert Article.objects.get(pk=term.pk).is_live


def test_a_term_taken_down_while_an_article_is_published_leaves_no_mark(team):
    article = approved_article(team, 9)
    term = approved_term(team)
    workflow.publish(term, by=team.publisher)
    results = race(
        lambda: workflow.publish(
            article, by=team.publisher, full_review_not_needed=True
        ),
        lambda: workflow.unpublish(term, by=team.publisher, comment="Not needed"),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    live = PublishedArticle.objects.get(article=article)
    assert "glossary-term" not in live.sections[0].get("html", "")
    assert live.glossary == []
    assert not PublishedTermUse.objects.exists()
