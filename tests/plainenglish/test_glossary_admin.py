"""Glossary terms in the admin: their own page with only a term's fields, the
words checked before anything is saved, and every save recorded as an
article's is."""

import pytest
from django.urls import reverse

from articles import revisions
from articles.models import Article, State
from tests import builders

ADD = reverse("admin:articles_glossaryterm_add")


def term_data(term=None, **changes):
    values = {
        "title": "",
        "slug": "",
        "summary": "",
        "variants": "",
        "owner": "",
    }
    if term is not None:
        term = Article.objects.get(pk=term.pk)
        values = {
            "title": term.title,
            "slug": term.slug,
            "summary": term.summary,
            "variants": term.variants,
            "owner": term.owner_id or "",
            "base_revision": revisions.current_revision(term).pk,
        }
    return {**values, **changes}


@pytest.fixture
def editor(client, team):
    client.force_login(team.editor)
    return client


@pytest.mark.django_db
def test_an_editor_adds_a_term_recorded_as_a_draft_with_a_saved_version(editor):
    response = editor.post(
        ADD,
        term_data(
            title="Lymph nodes",
            slug="lymph-nodes",
            summary="Small glands that filter fluid and help fight infection.",
            variants="lymph node\nlymph glands",
        ),
    )
    assert response.status_code == 302
    term = Article.objects.get(slug="lymph-nodes")
    assert term.kind == Article.Kind.TERM
    assert term.topic is None
    assert term.variant_list == ["lymph node", "lymph glands"]
    assert term.state == State.DRAFT
    assert revisions.current_revision(term) is not None
    assert term.content_fingerprint


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "Back"}, "is an everyday word"),
        ({"summary": "A <em>cancer</em> doctor."}, "Remove the HTML tags"),
        ({"title": "ONCOLOGIST"}, "already in the glossary"),
        ({"variants": "Cancer doctor\ncancer  doctor"}, "is given twice"),
    ],
)
def test_a_term_with_bad_words_is_refused_and_nothing_is_saved(
    editor, changes, message
):
    builders.make_term("Oncologist", slug="oncologist")
    data = term_data(
        title="Consultant oncologist",
        slug="consultant",
        summary="A senior cancer doctor.",
    )
    response = editor.post(ADD, {**data, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_the_term_form_shows_only_a_terms_fields(editor):
    html = editor.get(ADD).content.decode()
    for label in ("Term", "Definition", "Variants and plurals", "Related articles"):
        assert f">{label}" in html
    assert 'name="topic"' not in html
    assert "sections-TOTAL_FORMS" not in html
    assert "is_featured" not in html


@pytest.mark.django_db
def test_terms_and_articles_each_have_their_own_list(editor, draft):
    term = builders.make_term("Oncologist")
    articles = editor.get(reverse("admin:articles_article_changelist")).content
    terms = editor.get(reverse("admin:articles_glossaryterm_changelist")).content
    assert b"Oncologist" not in articles and draft.title.encode() in articles
    assert b"Oncologist" in terms and draft.title.encode() not in terms
    # Links that name an article's page lead to the term's own.
    response = editor.get(reverse("admin:articles_article_change", args=[term.pk]))
    assert response["Location"] == reverse(
        "admin:articles_glossaryterm_change", args=[term.pk]
    )


@pytest.mark.django_db
def test_an_editor_changes_a_term_and_its_history_shows_it(editor, team):
    term = builders.publish_term(builders.make_term("Oncologist"), team)
    url = reverse("admin:articles_glossaryterm_change", args=[term.pk])
    page = editor.get(url)
    assert page.status_code == 200
    assert "On the public site" in page.content.decode()
    assert f'href="/glossary/#{term.slug}"' in page.content.decode()
    response = editor.post(url, term_data(term, summary="A doctor who treats cancer."))
    assert response.status_code == 302
    term = builders.fresh(term)
    assert term.summary == "A doctor who treats cancer."
    assert term.state == State.DRAFT and term.is_live
    history = editor.get(reverse("admin:articles_glossaryterm_history", args=[term.pk]))
    assert history.status_code == 200


@pytest.mark.django_db
def test_reviewers_and_publishers_may_see_terms_but_not_change_them(client, team):
    term = builders.make_term("Oncologist")
    url = reverse("admin:articles_glossaryterm_change", args=[term.pk])
    client.force_login(team.publisher)
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, term_data(term, summary="Changed.")).status_code == 403
    assert builders.fresh(term).summary != "Changed."
