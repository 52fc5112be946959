"""The demo content shows its scores and its house word list."""

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleRevision
from plainenglish.models import HouseWord, RevisionReadability

pytestmark = pytest.mark.django_db


def test_the_demo_scores_every_version_and_the_recurrence_article_meets_the_target():
    call_command("load_demo", verbosity=0)
    assert HouseWord.objects.filter(phrase="prior to", alternative="before").exists()
    assert RevisionReadability.objects.count() == ArticleRevision.objects.count() > 0
    article = Article.objects.get(slug="breast-cancer-recurrence")
    scores = RevisionReadability.objects.get(
        article_revision__article=article,
        article_revision__revision_id=article.latest_revision_id,
    )
    assert scores.is_reliable
    assert scores.reading_age <= 11
    # Where a section is above the target, the checks say so.
    for section in scores.sections:
        if section["scores"]["reading_age"] > 11:
            assert "reading_age" in [f["check"] for f in section["findings"]]


def test_loading_the_demo_again_scores_versions_that_have_none(capsys):
    call_command("load_demo", verbosity=0)
    RevisionReadability.objects.all().delete()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Readability scores: " in out
    assert RevisionReadability.objects.count() == ArticleRevision.objects.count()
