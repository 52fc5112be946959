"""A live glossary term saved in the admin. Given a new address, the live pages
that mark it point at the new one (their marks, the definitions they show and
their link to the glossary) as soon as the change is saved, not at the next
re-marking. Saved while other terms go live, both are done."""

import time

import pytest
import reversion
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import marking, revisions, workflow
from articles.models import Article, PublicVersion, PublishedArticle, PublishedTermUse
from tests import builders
from tests.articles.admin_forms import article_form_data, change_url
from tests.races import race

ONCOLOGIST = "A doctor who treats cancer with medicines or radiotherapy."


def live_article(team, number, body):
    article = builders.make_article(
        f"Living with cancer {number}", slug=f"living-{number}", sections=1
    )
    builders.edit_section(article, body=body, user=team.editor)
    return builders.publish(article, team)


def live_term(team, title, slug, **fields):
    term = builders.make_term(title, slug=slug, **fields)
    return builders.publish_term(term, team)


def save_term(editor, term, **changes):
    """Post the term's form as the editor's browser would, with ``changes``."""
    term = Article.objects.get(pk=term.pk)
    data = {
        "base_revision": revisions.current_revision(term).pk,
        "title": term.title,
        "slug": term.slug,
        "summary": term.summary,
        "variants": term.variants,
        "owner": "",
        **changes,
    }
    url = reverse("admin:articles_glossaryterm_change", args=[term.pk])
    return editor.post(url, data)


def page_of(article):
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def editor(team):
    client = Client()
    client.force_login(team.editor)
    return client


@pytest.mark.django_db
def test_a_live_terms_new_address_is_on_the_pages_that_mark_it(team, editor):
    term = live_term(team, "Oncologist", "oncologist", definition=ONCOLOGIST)
    article = live_article(team, 1, "<p>Your oncologist will explain.</p>")
    unrelated = live_article(team, 2, "<p>Rest when you can.</p>")
    assert 'href="#define-oncologist"' in page_of(article)
    before = PublicVersion.objects.get().value
    untouched = PublishedArticle.objects.get(article=unrelated).sections

    assert save_term(editor, term, slug="cancer-doctor").status_code == 302

    html = page_of(article)
    assert "define-oncologist" not in html
    assert 'href="#define-cancer-doctor"' in html
    assert f'<span id="define-cancer-doctor-text">{ONCOLOGIST}</span>' in html
    assert f'href="{reverse("articles:glossary")}#cancer-doctor"' in html
    assert PublicVersion.objects.get().value > before  # cached pages retired
    assert PublishedArticle.objects.get(article=unrelated).sections == untouched


@pytest.mark.django_db
def test_a_new_address_refused_changes_no_page(team, editor):
    term = live_term(team, "Oncologist", "oncologist")
    article = live_article(team, 1, "<p>Your oncologist will explain.</p>")
    before = PublishedArticle.objects.get(article=article).sections
    version = PublicVersion.objects.get().value

    response = save_term(editor, term, slug="Not an address!")

    assert response.status_code == 200
    assert "Enter a valid “slug”" in response.content.decode()
    assert PublicVersion.objects.get().value == version
    assert Article.objects.get(pk=term.pk).slug == "oncologist"
    assert PublishedArticle.objects.get(article=article).sections == before


@pytest.mark.django_db
def test_a_draft_terms_new_address_rewrites_no_page(team, editor):
    term = builders.make_term("Oncologist", slug="oncologist")
    article = live_article(team, 1, "<p>Your oncologist will explain.</p>")
    before = PublicVersion.objects.get().value

    assert save_term(editor, term, slug="cancer-doctor").status_code == 302

    assert PublicVersion.objects.get().value == before
    assert "glossary-term" not in page_of(article)


def uses_on(article):
    """Return {term id: the row's id} of the terms the article's page marks."""
    return dict(
        PublishedTermUse.objects.filter(published__article=article).values_list(
            "term", "pk"
        )
    )


@pytest.mark.django_db
def test_the_terms_a_page_marks_are_recorded_without_rewriting_those_it_keeps(
    team, editor
):
    term = live_term(team, "Oncologist", "oncologist")
    article = live_article(team, 1, "<p>Your oncologist may offer a biopsy.</p>")
    kept = uses_on(article)
    assert list(kept) == [term.pk]

    other = live_term(team, "Biopsy", "biopsy")  # goes live: one row added
    uses = uses_on(article)
    assert uses == {**kept, other.pk: uses[other.pk]}

    assert save_term(editor, other, slug="tissue-sample").status_code == 302
    assert uses_on(article) == uses  # moved: the page marks the same terms
    assert 'href="#define-tissue-sample"' in page_of(article)

    workflow.unpublish(term, by=team.publisher, comment="Merged into another")
    assert uses_on(article) == {other.pk: uses[other.pk]}  # taken down: one gone
    assert "define-oncologist" not in page_of(article)


# Which waits first. Pages are written with the public version locked first
# (articles/links.py); a save that moves a live article's row to a new address
# takes it before the row too, and a save keeping the address does not.


def statements_of(save):
    with CaptureQueriesContext(connection) as queries:
        assert save().status_code == 302
    return [query["sql"] for query in queries.captured_queries]


def public_version_locked_before_row(statements):
    """Whether the public version was updated (so locked) before the article's
    row was written."""
    row = next(
        i for i, sql in enumerate(statements) if 'UPDATE "articles_article"' in sql
    )
    return any('UPDATE "articles_publicversion"' in sql for sql in statements[:row])


def save_article(editor, article, **changes):
    return editor.post(change_url(article), article_form_data(article, **changes))


@pytest.mark.django_db
def test_a_live_terms_new_address_waits_for_publishing_before_its_row(team, editor):
    term = live_term(team, "Oncologist", "oncologist")

    moved = statements_of(lambda: save_term(editor, term, slug="cancer-doctor"))

    assert public_version_locked_before_row(moved)


@pytest.mark.django_db
def test_a_live_articles_new_address_waits_for_publishing_before_its_row(
    team, editor, article
):
    moved = statements_of(lambda: save_article(editor, article, slug="recurrence"))

    assert public_version_locked_before_row(moved)
    assert Article.objects.get(pk=article.pk).slug == "recurrence"


@pytest.mark.django_db
def test_saves_keeping_the_address_do_not_wait_for_publishing_first(
    team, editor, article
):
    term = live_term(team, "Oncologist", "oncologist")

    kept = statements_of(lambda: save_term(editor, term, summary=ONCOLOGIST))
    draft = statements_of(lambda: save_article(editor, article, summary="Shorter."))

    assert not public_version_locked_before_row(kept)
    assert not public_version_locked_before_row(draft)
    assert Article.objects.get(pk=term.pk).summary == ONCOLOGIST
    assert Article.objects.get(pk=article.pk).summary == "Shorter."


@pytest.mark.django_db
def test_saving_a_live_terms_draft_retires_no_public_page(team, editor):
    term = live_term(team, "Oncologist", "oncologist")
    version = PublicVersion.objects.get().value

    assert save_term(editor, term, summary=ONCOLOGIST).status_code == 302

    assert Article.objects.get(pk=term.pk).summary == ONCOLOGIST
    assert PublicVersion.objects.get().value == version


@pytest.mark.django_db
def test_a_live_articles_draft_keeps_the_public_pages_its_topic_retires_them(
    team, editor
):
    article = live_article(team, 1, "<p>Checks after treatment.</p>")
    version = PublicVersion.objects.get().value

    assert save_article(editor, article, summary="Shorter.").status_code == 302
    assert Article.objects.get(pk=article.pk).summary == "Shorter."
    assert PublicVersion.objects.get().value == version

    topic = builders.make_topic("Living well")
    assert save_article(editor, article, topic=topic.pk).status_code == 302
    assert Article.objects.get(pk=article.pk).topic == topic
    assert PublicVersion.objects.get().value > version


# Saved at the same moment as other moves, on PostgreSQL with real threads.

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs these tests there",
)


def approved_term(team, title, slug):
    term = builders.make_term(title, slug=slug)
    builders.submit(term, team)
    workflow.approve(term, by=team.clinician, revision=builders.current(term))
    return term


def signed_in_editor(team):
    editor = Client()
    editor.force_login(team.editor)
    return editor


@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_term_saved_while_another_goes_live_on_a_page_marking_both(attempt):
    """Publishing the second term records again which terms the page uses while
    the editor holds the first: each waits its turn, neither is refused."""
    team = builders.make_team()
    term = live_term(team, "Oncologist", "oncologist")
    article = live_article(team, attempt, "<p>Your oncologist may offer a biopsy.</p>")
    other = approved_term(team, "Biopsy", "biopsy")
    editor = signed_in_editor(team)

    results = race(
        lambda: save_term(editor, term, summary=ONCOLOGIST).status_code,
        lambda: workflow.publish(other, by=team.publisher),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[0] == 302
    assert Article.objects.get(pk=term.pk).summary == ONCOLOGIST
    live = PublishedArticle.objects.get(article=article)
    assert [entry["slug"] for entry in live.glossary] == ["oncologist", "biopsy"]
    assert set(
        PublishedTermUse.objects.filter(published=live).values_list("term", flat=True)
    ) == {term.pk, other.pk}


@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_term_moved_while_its_new_definition_goes_live(attempt):
    team = builders.make_team()
    term = live_term(team, "Oncologist", "oncologist")
    article = live_article(team, attempt, "<p>Your oncologist will explain.</p>")
    builders.edit_term(term, summary=ONCOLOGIST)
    builders.submit(term, team)
    workflow.approve(term, by=team.clinician, revision=builders.current(term))
    editor = signed_in_editor(team)

    results = race(
        lambda: save_term(editor, term, slug="cancer-doctor").status_code,
        lambda: workflow.publish(term, by=team.publisher),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    html = page_of(article)
    assert "define-oncologist" not in html
    assert f'<span id="define-cancer-doctor-text">{ONCOLOGIST}</span>' in html


@pytest.mark.parametrize("attempt", range(5))
@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_term_moved_while_another_goes_live_on_a_page_marking_both(attempt):
    """The new address takes the term's row as a key lock; publishing the other
    term records only the page's new use (not again the moved term's), so it
    needs no lock on the moved term's row: each waits its turn, neither is
    refused, and the page marks both, the first at its new address."""
    team = builders.make_team()
    term = live_term(team, "Oncologist", "oncologist", definition=ONCOLOGIST)
    article = live_article(team, attempt, "<p>Your oncologist may offer a biopsy.</p>")
    other = approved_term(team, "Biopsy", "biopsy")
    editor = signed_in_editor(team)

    results = race(
        lambda: save_term(editor, term, slug="cancer-doctor").status_code,
        lambda: workflow.publish(other, by=team.publisher),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[0] == 302
    html = page_of(article)
    assert "define-oncologist" not in html
    assert 'href="#define-cancer-doctor"' in html
    assert f'<span id="define-cancer-doctor-text">{ONCOLOGIST}</span>' in html
    assert 'href="#define-biopsy"' in html
    live = PublishedArticle.objects.get(article=article)
    assert [entry["slug"] for entry in live.glossary] == ["cancer-doctor", "biopsy"]
    assert set(
        PublishedTermUse.objects.filter(published=live).values_list("term", flat=True)
    ) == {term.pk, other.pk}


def approved_article(team, number, body, *, republished):
    """An article marking terms, approved to go live: for the first time, or
    (``republished``) as a new version of its live page."""
    article = builders.make_article(
        f"Living with cancer {number}", slug=f"living-{number}", sections=1
    )
    if republished:
        article = builders.publish(article, team)
    builders.edit_section(article, body=body, user=team.editor)
    builders.submit(article, team)
    builders.approve_all(article, team)
    return article


def saved_while_publishing(save, article, team):
    """Run the editor's save (a request) while ``article`` is published: both
    are done, neither refused."""
    results = race(
        lambda: save().status_code,
        lambda: workflow.publish(
            article,
            by=team.publisher,
            is_full_review=False,
            full_review_not_needed=True,
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[0] == 302


@pytest.mark.parametrize("attempt", range(5))
@pytest.mark.parametrize("republished", [False, True], ids=["publish", "republish"])
@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_term_moved_while_a_page_marking_it_goes_live(attempt, republished):
    """The new address takes the term's row as a key lock, which the page going
    live needs to record that it marks the term: the save takes the public
    version first, as the publish does, so each waits its turn, neither is
    refused, and the page is live marking the term at its new address."""
    team = builders.make_team()
    term = live_term(team, "Oncologist", "oncologist", definition=ONCOLOGIST)
    article = approved_article(
        team, attempt, "<p>Your oncologist will explain.</p>", republished=republished
    )
    editor = signed_in_editor(team)

    saved_while_publishing(
        lambda: save_term(editor, term, slug="cancer-doctor"), article, team
    )
    html = page_of(article)
    assert "Your <" in html  # this version's words, marked
    assert "define-oncologist" not in html
    assert 'href="#define-cancer-doctor"' in html
    assert f'<span id="define-cancer-doctor-text">{ONCOLOGIST}</span>' in html
    live = PublishedArticle.objects.get(article=article)
    assert live.revision_id == builders.current(article).pk
    assert [entry["slug"] for entry in live.glossary] == ["cancer-doctor"]
    assert list(
        PublishedTermUse.objects.filter(published=live).values_list("term", flat=True)
    ) == [term.pk]


@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.parametrize("republished", [False, True], ids=["publish", "republish"])
@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_live_article_moved_while_a_page_listing_it_goes_live(
    attempt, republished, monkeypatch
):
    """A page that lists a live article under "Related information" goes live
    while an editor gives that article a new address: each waits its turn,
    neither is refused, and the page links to the article's new address.

    The publish holds the public version a moment longer than it needs, so that
    the editor's save always comes while it does: the save must then wait before
    taking the article's row, which the publish needs to list it as related."""
    team = builders.make_team()
    target = builders.publish(
        builders.make_article("Hormone therapy", slug="hormone-therapy"), team
    )
    article = builders.make_article(
        f"Living with cancer {attempt}", slug=f"living-{attempt}", sections=1
    )
    if republished:
        article = builders.publish(article, team)
    with reversion.create_revision():
        reversion.set_user(team.editor)
        article.related_articles.add(target)
        article.save()
    builders.submit(article, team)
    builders.approve_all(article, team)
    editor = signed_in_editor(team)
    readers_text = marking.readers_text

    def slowly(*args, **kwargs):
        time.sleep(0.5)
        return readers_text(*args, **kwargs)

    monkeypatch.setattr(marking, "readers_text", slowly)

    saved_while_publishing(
        lambda: save_article(editor, target, slug="hormone-treatment"), article, team
    )
    assert Article.objects.get(pk=target.pk).slug == "hormone-treatment"
    live = PublishedArticle.objects.get(article=article)
    assert live.revision_id == builders.current(article).pk
    assert list(live.related.all()) == [target]
    html = page_of(article)
    related = html[html.index('id="page-related"') :]
    assert '<a href="/articles/hormone-treatment/">Hormone therapy</a>' in related
    assert "/articles/hormone-therapy/" not in html
