"""Glossary terms: a term and its plain-English definition are health information,
reviewed and published through the same workflow as articles, then marked in
place on live articles and listed on the A–Z glossary page."""

import hashlib
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles import export, workflow
from articles.content import ArticleContent
from articles.models import (
    Action,
    Article,
    PublicVersion,
    PublishedArticle,
    PublishedTermUse,
    State,
)
from reviews import services
from tests import builders

RECURRENCE = "Recurrence means the cancer has come back after treatment."
SECONDARY = "Cancer that has spread from the breast to other parts of the body."


def live_article_about(topic, team, body, title="Living with cancer"):
    article = builders.make_article(title, topic=topic, sections=1)
    builders.edit_section(article, body=body, user=team.editor)
    return builders.publish(article, team)


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


MARK = (
    '<a class="glossary-term" href="#define-{slug}" '
    'aria-describedby="define-{slug}-text">{text}</a>'
)


# Review and publication.


@pytest.mark.django_db
def test_a_term_approved_by_a_clinical_reviewer_goes_live(team):
    term = builders.make_term(
        "Secondary breast cancer", definition=SECONDARY, variants="metastatic cancer"
    )
    builders.publish_term(term, team)

    term = builders.fresh(term)
    assert term.state == State.PUBLISHED
    live = PublishedArticle.objects.get(article=term)
    assert (live.title, live.summary, live.variants) == (
        "Secondary breast cancer",
        SECONDARY,
        "metastatic cancer",
    )
    assert live.sections == []
    assert term.transitions.filter(action=Action.PUBLISH).exists()
    assert term.reviewed_on is not None


@pytest.mark.django_db
def test_a_term_with_only_a_lived_experience_approval_cannot_go_live(team):
    term = builders.make_term("Lymph nodes")
    builders.submit(term, team)
    services.approve(article=term, revision=builders.current(term), by=team.lay)
    assert builders.state_of(term) == State.IN_REVIEW

    with pytest.raises(workflow.TransitionError, match="clinical expert"):
        services.publish(article=term, by=team.publisher)
    assert not PublishedArticle.objects.filter(article=term).exists()


@pytest.mark.django_db
def test_the_glossary_policy_comes_from_its_own_setting(settings, team):
    settings.INFOSITE = {**settings.INFOSITE, "GLOSSARY_POLICY": {"editorial": 1}}
    term = builders.make_term("Lymph nodes")
    assert workflow.missing_for(term) == ["1 approval from the editorial team"]
    article = builders.make_article()
    assert "1 approval from a clinical expert" in workflow.missing_for(article)


@pytest.mark.django_db
def test_a_changed_definition_is_unseen_until_approved_and_published(
    client, team, topic
):
    term = builders.publish_term(
        builders.make_term("Recurrence", definition=RECURRENCE, slug="recurrence"),
        team,
    )
    article = live_article_about(topic, team, "<p>Fear of recurrence is common.</p>")
    builders.edit_term(term, summary="A new, unreviewed definition.", user=team.editor)

    assert builders.state_of(term) == State.DRAFT
    for url in (reverse("articles:glossary"), article.get_absolute_url()):
        shown = client.get(url).content.decode()
        assert RECURRENCE in shown
        assert "unreviewed" not in shown

    builders.publish_term(term, team)
    cache.clear()
    for url in (reverse("articles:glossary"), article.get_absolute_url()):
        shown = client.get(url).content.decode()
        assert "A new, unreviewed definition." in shown
        assert RECURRENCE not in shown


@pytest.mark.django_db
def test_changed_variants_need_approval_again(team):
    term = builders.publish_term(builders.make_term("Lymph nodes"), team)
    builders.edit_term(term, variants="lymph node\nlymph glands", user=team.editor)
    term = builders.fresh(term)
    assert term.state == State.DRAFT
    assert term.has_unpublished_changes
    assert PublishedArticle.objects.get(article=term).variants == ""


@pytest.mark.django_db
def test_no_articles_fingerprint_changed_when_terms_came_in(draft):
    content = ArticleContent.from_rows(draft)
    # The fingerprint as it was computed before terms had variants.
    data = [
        content.title,
        content.summary,
        sorted(content.related_ids),
        [list(section) for section in content.sections],
        list(content.reference_ids),
        [list(credit) for credit in content.credits],
    ]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert content.fingerprint == hashlib.sha256(text.encode()).hexdigest()
    assert builders.fresh(draft).content_fingerprint == content.fingerprint


# The words of a term.


@pytest.mark.django_db
def test_html_in_a_definition_is_refused():
    term = Article(
        kind=Article.Kind.TERM,
        title="Oncologist",
        slug="oncologist",
        summary="A <b>cancer</b> doctor.",
    )
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    assert "Remove the HTML tags" in str(refused.value.message_dict["summary"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "variants", "field"),
    [("Back", "", "title"), ("Back pain", "pains", "variants")],
)
def test_an_everyday_word_is_refused(title, variants, field):
    term = Article(
        kind=Article.Kind.TERM,
        title=title,
        slug="a-term",
        summary="Explained.",
        variants=variants,
    )
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    message = " ".join(refused.value.message_dict[field])
    assert "is an everyday word" in message
    assert "longer phrase" in message
    assert not Article.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "variants", "field"),
    [
        ("LYMPH  NODES", "", "title"),
        ("Lymphatic system", "Lymph glands", "variants"),
    ],
)
def test_a_term_or_variant_another_term_has_is_refused_naming_it(
    title, variants, field
):
    other = builders.make_term("Lymph nodes", variants="lymph glands")
    term = Article(
        kind=Article.Kind.TERM,
        title=title,
        slug="another",
        summary="Explained.",
        variants=variants,
    )
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    message = " ".join(refused.value.message_dict[field])
    assert "already in the glossary" in message
    assert "Lymph nodes" in message
    assert reverse("admin:articles_glossaryterm_change", args=[other.pk]) in message


@pytest.mark.django_db
def test_a_term_may_be_saved_again_with_its_own_words():
    term = builders.make_term("Lymph nodes", variants=" lymph node \n\n")
    term.full_clean()  # its own title and variants are no duplicates
    assert term.variants == "lymph node"


@pytest.mark.django_db
def test_an_article_needs_a_topic_and_a_term_does_not(topic):
    article = Article(title="Scans", slug="scans", summary="About scans.")
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "topic" in refused.value.message_dict
    with transaction.atomic(), pytest.raises(IntegrityError):
        Article.objects.create(title="Scans", slug="scans", summary="About scans.")
    builders.make_term("Mammogram").full_clean()


# The public site.


@pytest.mark.django_db
def test_a_term_is_neither_listed_nor_served_as_an_article(
    client, article, topic, team
):
    term = builders.publish_term(
        builders.make_term("Oncologist", slug="oncologist"), team
    )
    assert client.get("/").content.decode().count("Oncologist") == 0
    assert "Oncologist" not in client.get(topic.get_absolute_url()).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/articles/oncologist/" not in sitemap
    assert "/glossary/" in sitemap
    response = client.get("/articles/oncologist/")
    assert response.status_code == 302
    assert response["Location"] == "/glossary/#oncologist"
    paths = export.public_paths()
    assert "/glossary/" in paths
    assert term.get_absolute_url() not in paths

    services.unpublish(article=term, by=team.publisher, comment="Not needed")
    assert client.get("/articles/oncologist/").status_code in (404, 410)


@pytest.mark.django_db
def test_the_glossary_lists_every_live_term_by_letter_with_where_it_is_used(
    client, team, topic
):
    builders.publish_term(
        builders.make_term("Recurrence", definition=RECURRENCE, slug="recurrence"),
        team,
    )
    builders.publish_term(
        builders.make_term("Mammogram", definition="An X-ray of the breast."), team
    )
    builders.make_term("Oncologist", definition="Never published.")
    using = live_article_about(topic, team, "<p>A recurrence can be treated.</p>")
    other = live_article_about(topic, team, "<p>Nothing here.</p>", title="Other")
    builders.edit_term(
        Article.objects.get(slug="recurrence"), user=team.editor
    )  # a draft change: the live entry stays

    html = client.get(reverse("articles:glossary")).content.decode()
    assert '<a href="#letter-M">M</a>' in html
    assert '<a href="#letter-R">R</a>' in html
    assert html.index("Mammogram") < html.index("Recurrence")
    assert "Oncologist" not in html and "Never published" not in html
    assert RECURRENCE in html
    entry = html[html.index('id="recurrence"') :]
    entry = entry[: entry.index("</div>")]
    assert f'<a href="{using.get_absolute_url()}">Living with cancer</a>' in entry
    assert other.get_absolute_url() not in entry


@pytest.mark.django_db
def test_the_glossary_costs_the_same_queries_however_many_terms(
    client, team, topic, django_assert_max_num_queries
):
    def count():
        cache.clear()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("articles:glossary")).status_code == 200
        return len(captured)

    builders.publish_term(builders.make_term("Recurrence"), team)
    live_article_about(topic, team, "<p>A recurrence.</p>")
    few = count()
    for title in ("Mammogram", "Oncologist", "Chemotherapy", "Radiotherapy"):
        term = builders.publish_term(builders.make_term(title), team)
        term.related_articles.add(builders.make_article())
    live_article_about(topic, team, "<p>Chemotherapy and radiotherapy.</p>", "Two")
    assert count() == few
    with django_assert_max_num_queries(3):
        cache.clear()
        client.get(reverse("articles:glossary"))


@pytest.mark.django_db
def test_a_term_live_before_an_article_is_marked_when_the_article_is_published(
    client, team, topic, django_assert_max_num_queries
):
    builders.publish_term(
        builders.make_term("Recurrence", definition=RECURRENCE, slug="recurrence"),
        team,
    )
    article = live_article_about(
        topic, team, "<p>Recurrence is rare. A recurrence can be treated.</p>"
    )
    html = page(client, article)
    assert MARK.format(slug="recurrence", text="Recurrence") + " is rare" in html
    assert html.count('class="glossary-term"') == 1  # the first use only
    assert '<h2 id="page-glossary">Medical words explained</h2>' in html
    assert f'<span id="define-recurrence-text">{RECURRENCE}</span>' in html
    assert PublishedTermUse.objects.filter(published=article.live).count() == 1

    cache.clear()
    with django_assert_max_num_queries(3):
        client.get(article.get_absolute_url())


@pytest.mark.django_db
def test_a_term_published_later_marks_live_articles_and_unpublishing_unmarks(
    client, team, topic
):
    article = live_article_about(
        topic, team, "<p>Your <strong>oncologists</strong> will explain.</p>"
    )
    before = PublicVersion.objects.get().value
    assert "glossary-term" not in page(client, article)

    term = builders.publish_term(
        builders.make_term("Oncologist", variants="oncologists", slug="oncologist"),
        team,
    )
    assert PublicVersion.objects.get().value > before
    html = page(client, article)
    assert MARK.format(slug="oncologist", text="oncologists") in html
    assert 'id="define-oncologist"' in html
    assert builders.fresh(article).state == State.PUBLISHED  # approved text as it was

    services.unpublish(article=term, by=team.publisher, comment="Not needed")
    html = page(client, article)
    assert "glossary-term" not in html
    assert "Medical words explained" not in html
    assert "<strong>oncologists</strong>" in html
    assert not PublishedTermUse.objects.exists()


@pytest.mark.django_db
def test_a_cached_article_page_is_made_again_when_a_term_is_published(
    client, team, topic, settings
):
    from tests.articles.test_page_cache import page_cache

    article = live_article_about(topic, team, "<p>Ask about a mammogram.</p>")
    with page_cache(VERSION_IN="database"):
        client.get(article.get_absolute_url())
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
        builders.publish_term(builders.make_term("Mammogram", slug="mammogram"), team)
        response = client.get(article.get_absolute_url())
        assert response["X-Page-Cache"] == "miss"
        assert "glossary-term" in response.content.decode()


@pytest.mark.django_db
def test_the_draft_preview_shows_marks_as_readers_would_see_them(
    editor_client, team, topic
):
    builders.publish_term(builders.make_term("Mammogram", slug="mammogram"), team)
    draft = builders.make_article("Screening", topic=topic, sections=1)
    builders.edit_section(draft, body="<p>A mammogram takes minutes.</p>")
    html = editor_client.get(reverse("articles:preview", args=[draft.pk]))
    html = html.content.decode()
    assert MARK.format(slug="mammogram", text="mammogram") in html
    assert 'id="define-mammogram-text"' in html


@pytest.mark.django_db
def test_reviewers_see_a_changed_definition_in_their_workspace(client, team):
    term = builders.make_term("Chemotherapy", definition="Medicine to treat cancer.")
    builders.publish_term(term, team)
    builders.edit_term(
        term,
        summary="Medicines that treat cancer.",
        variants="chemo",
        user=team.editor,
    )
    builders.submit(term, team)
    client.force_login(team.clinician)
    response = client.get(reverse("reviews:article", kwargs={"pk": term.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Definition" in html
    assert "Medicines" in html
    assert "Variants and plurals" in html
    assert "chemo" in html

    services.approve(article=term, revision=builders.current(term), by=team.clinician)
    assert builders.state_of(term) == State.APPROVED


@pytest.mark.django_db
def test_home_pages_and_the_link_picker_cope_with_terms(client, team, draft):
    term = builders.make_term("Oncologist", definition="A cancer doctor.")
    builders.submit(term, team)
    for user in (team.editor, team.clinician, team.publisher):
        client.force_login(user)
        assert client.get(reverse("role_home"), follow=True).status_code == 200
        assert client.get(reverse("articles:preview", args=[term.pk])).status_code in (
            200,
            403,
        )
    client.force_login(team.editor)
    picker = client.get(
        reverse("admin:articles_article_link_picker"), {"q": "o"}
    ).json()
    assert "Oncologist" not in [result["title"] for result in picker["results"]]
