"""The article page reads only the columns it shows (its body stored rendered)
and its related links with one narrow query; readers get the same HTML as from
the whole published copy read through Django's relations and rendered afresh."""

import datetime

import pytest
import reversion
from django.core.management import call_command
from django.utils import timezone

from articles import publication, rendering, workflow
from articles.models import Article, PublishedArticle
from tests import builders


def _read_plainly(monkeypatch):
    """Make the page read whole rows through Django's relations and render its
    body from the copy's fields, as it used to."""
    monkeypatch.setattr(
        publication,
        "live_pages",
        lambda: PublishedArticle.objects.articles().select_related(
            "article__topic__parent__parent"
        ),
    )
    monkeypatch.setattr(rendering, "is_current", lambda copy: False)
    monkeypatch.setattr(
        publication,
        "related_articles",
        lambda copy: sorted(
            (other.published.title, other.get_absolute_url())
            for other in copy.related.select_related("published")
            if other.kind == Article.Kind.ARTICLE and other.is_live
        ),
    )


def _pages(client):
    return {
        slug: client.get(f"/articles/{slug}/").content.decode()
        for slug in PublishedArticle.objects.articles().values_list(
            "article__slug", flat=True
        )
    }


@pytest.mark.django_db
def test_every_demo_page_is_the_same_as_from_the_whole_copy(
    client, settings, monkeypatch
):
    settings.INFOSITE = {
        **settings.INFOSITE,
        "PAGE_CACHE": {**settings.INFOSITE["PAGE_CACHE"], "ENABLED": False},
    }
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 6, 1))
    call_command("load_demo", verbosity=0)
    narrow = _pages(client)
    _read_plainly(monkeypatch)
    plain = _pages(client)

    assert "breast-cancer-recurrence" in narrow
    assert 'class="related"' in narrow["breast-cancer-recurrence"]
    assert 'class="references"' in narrow["breast-cancer-recurrence"]
    assert 'class="glossary-explained"' in narrow["breast-cancer-recurrence"]
    assert all(
        copy.rendered_with == rendering.mark()
        for copy in PublishedArticle.objects.articles()
    )
    assert narrow == plain


@pytest.mark.django_db
def test_related_links_name_live_articles_only_by_their_live_titles(
    client, draft, team, topic
):
    later = builders.publish(
        builders.make_article("Zoladex injections", slug="zoladex", topic=topic), team
    )
    earlier = builders.publish(
        builders.make_article("Anastrozole", slug="anastrozole", topic=topic), team
    )
    never = builders.make_article("Not yet written", slug="not-yet", topic=topic)
    with reversion.create_revision():
        draft.related_articles.add(later, earlier, never)
    article = builders.publish(draft, team)
    # A draft title an editor has not had approved is not what readers see.
    with reversion.create_revision():
        earlier.title = "Anastrozole (draft title)"
        earlier.save()

    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index('class="related"') : html.index('class="about"')]
    assert related.index("Anastrozole</a>") < related.index("Zoladex injections</a>")
    assert 'href="/articles/anastrozole/"' in related
    assert "draft title" not in related
    assert "Not yet written" not in related

    workflow.unpublish(later, by=team.publisher, comment="Withdrawn by the maker.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Zoladex" not in html
