"""Scoring and word-list entries that race, on PostgreSQL with real threads."""

import pytest
from django.db import IntegrityError, connection

from articles.models import ArticleRevision
from plainenglish import services
from plainenglish.models import HouseWord, RevisionReadability
from tests import builders
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; CI runs this file there",
    ),
]


def test_two_runs_scoring_the_same_version_store_it_once():
    article = builders.make_article("Raced", topic=builders.make_topic())
    RevisionReadability.objects.all().delete()
    version = ArticleRevision.objects.get(article=article)

    results = race(
        lambda: services.score_saved_version(version),
        lambda: services.score_saved_version(version),
    )

    assert not any(isinstance(result, Exception) for result in results), results
    assert sum(result is not None for result in results) == 1
    assert RevisionReadability.objects.filter(article_revision=version).count() == 1


def test_the_same_phrase_added_twice_at_once_is_kept_once():
    results = race(
        lambda: HouseWord.objects.create(phrase="prior to", alternative="before"),
        lambda: HouseWord.objects.create(phrase="Prior To", alternative="ahead of"),
    )
    assert sum(isinstance(result, IntegrityError) for result in results) == 1
    assert HouseWord.objects.count() == 1
