"""A live page's body is rendered when its copy is written and served as stored.

After every writer of a live copy, readers get exactly the page rendered afresh
from the copy's fields, never an older body; a body rendered otherwise than the
site renders now (a deploy changed a template or a setting) is rendered per
request until ``render_live_pages`` stores it again."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import rendering, workflow
from articles.models import PublishedArticle, Reference, Reviewer
from articles.page import ArticlePage
from tests import builders
from tests.races import race

OLD_MARK = "rendered-before"


def served(article):
    return Client().get(f"/articles/{builders.fresh(article).slug}/").content.decode()


def rendered_afresh(article, monkeypatch):
    """Return the page as built from the copy's fields, ignoring its stored body."""
    with monkeypatch.context() as patch:
        patch.setattr(rendering, "is_current", lambda copy: False)
        return served(article)


def assert_served_as_rendered_afresh(article, monkeypatch):
    """The page served is its stored body, byte for byte the page rendered from
    the copy's fields now; return it."""
    copy = PublishedArticle.objects.get(article=article)
    assert copy.rendered_with == rendering.mark()
    page = served(article)
    assert page == rendered_afresh(article, monkeypatch)
    return page


def oncology_article(team, topic, slug="oncology-visits"):
    """A live article whose text uses "oncologist"."""
    article = builders.make_article("Oncology visits", slug=slug, topic=topic)
    builders.edit_section(
        article, body="<p>Your oncologist will explain the choices.</p>"
    )
    return builders.publish(article, team)


@pytest.mark.django_db
def test_publishing_stores_the_body_readers_get(article, monkeypatch):
    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert "Body text of section 1." in page
    assert "Advanced breast cancer: diagnosis and treatment" in page
    assert "Dr Sample Oncologist" in page


@pytest.mark.django_db
def test_publishing_a_new_version_replaces_the_stored_body(article, team, monkeypatch):
    builders.edit_section(article, body="<p>Wording approved later.</p>")
    builders.publish(article, team)

    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert "Wording approved later." in page
    assert "Body text of section 1." not in page


@pytest.mark.django_db
def test_an_approved_reference_change_reaches_the_stored_body(
    article, team, monkeypatch
):
    reference = Reference.objects.get(title="Metastatic breast cancer")
    reference.title = "Metastatic breast cancer (corrected)"
    reference.save()
    assert "(corrected)" not in served(article)

    workflow.approve_record_change(reference, by=team.publisher)

    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert "Metastatic breast cancer (corrected)." in page


@pytest.mark.django_db
def test_an_approved_reviewer_change_reaches_the_stored_body(
    article, team, monkeypatch
):
    reviewer = Reviewer.objects.get(name="Dr Sample Oncologist")
    reviewer.name = "Dr Sample Oncologist-Renamed"
    reviewer.save()
    assert "Renamed" not in served(article)

    workflow.approve_record_change(reviewer, by=team.publisher)

    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert "Dr Sample Oncologist-Renamed, Consultant Medical Oncologist" in page


@pytest.mark.django_db
def test_an_approved_reviewer_change_writes_the_live_copy_once(article, team):
    reviewer = Reviewer.objects.get(name="Dr Sample Oncologist")
    reviewer.credentials = "Consultant Oncologist, Example Hospital"
    reviewer.save()

    with CaptureQueriesContext(connection) as queries:
        workflow.approve_record_change(reviewer, by=team.publisher)

    copy_updates = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "articles_publishedarticle"')
    ]
    assert len(copy_updates) == 1  # the credits and the body they are shown in
    assert "Dr Sample Oncologist, Consultant Oncologist, Example Hospital" in served(
        article
    )


@pytest.mark.django_db
def test_a_linked_article_moving_or_coming_down_reaches_the_stored_body(
    team, topic, monkeypatch
):
    target = builders.publish(
        builders.make_article("Lymphoedema", slug="lymphoedema", topic=topic), team
    )
    source = builders.make_article("Breast surgery", slug="breast-surgery", topic=topic)
    builders.edit_section(
        source,
        body='<p>Swelling: <a href="/articles/lymphoedema/" '
        f'data-article="{target.pk}">lymphoedema</a>.</p>',
    )
    builders.publish(source, team)

    target = builders.fresh(target)
    target.slug = "lymphoedema-after-treatment"
    target.save()
    page = assert_served_as_rendered_afresh(source, monkeypatch)
    assert 'href="/articles/lymphoedema-after-treatment/"' in page

    workflow.unpublish(target, by=team.publisher, comment="Merged into another.")
    page = assert_served_as_rendered_afresh(source, monkeypatch)
    assert "Swelling: lymphoedema." in page


@pytest.mark.django_db
def test_a_glossary_term_going_live_changing_and_coming_down_reaches_the_stored_body(
    team, topic, monkeypatch
):
    article = oncology_article(team, topic)
    term = builders.make_term(
        "Oncologist", slug="oncologist", definition="A doctor who treats cancer."
    )

    builders.publish_term(term, team)
    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert 'href="#define-oncologist"' in page
    assert "A doctor who treats cancer." in page
    assert "articles/glossary" in page  # the script that shows definitions

    builders.edit_term(term, summary="A doctor who specialises in cancer care.")
    builders.publish_term(term, team)
    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert "A doctor who specialises in cancer care." in page
    assert "A doctor who treats cancer." not in page

    workflow.unpublish(term, by=team.publisher, comment="Not needed.")
    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert "Medical words explained" not in page
    assert "define-oncologist" not in page
    assert "articles/glossary" not in page


@pytest.mark.django_db
def test_a_page_rendered_otherwise_is_served_afresh_until_the_command_stores_it(
    article, monkeypatch, django_assert_max_num_queries
):
    expected = served(article)
    PublishedArticle.objects.filter(article=article).update(
        rendered_with=OLD_MARK, body_html="<p>An old body.</p>"
    )

    # The copy, its fields again, its references and the related articles.
    url = article.get_absolute_url()
    with django_assert_max_num_queries(4):
        assert Client().get(url).content.decode() == expected

    out = call_command_output("render_live_pages", "--dry-run")
    assert out == "Would render 1 live page(s).\n"
    assert PublishedArticle.objects.get(article=article).rendered_with == OLD_MARK

    assert call_command_output("render_live_pages") == "Rendered 1 live page(s).\n"
    assert_served_as_rendered_afresh(article, monkeypatch)
    assert served(article) == expected
    assert call_command_output("render_live_pages") == "Rendered 0 live page(s).\n"


@pytest.mark.django_db
def test_a_page_rendered_otherwise_is_rendered_whole_when_a_term_marks_it(
    team, topic, monkeypatch
):
    article = oncology_article(team, topic)
    PublishedArticle.objects.filter(article=article).update(
        rendered_with=OLD_MARK, sources_html="<p>Old sources.</p>"
    )

    builders.publish_term(builders.make_term("Oncologist", slug="oncologist"), team)

    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert 'href="#define-oncologist"' in page
    assert "Old sources." not in page


@pytest.mark.django_db
def test_an_unpublished_page_keeps_no_body(client, article, team):
    workflow.unpublish(article, by=team.publisher, comment="Out of date.")
    assert not PublishedArticle.objects.filter(article=article).exists()
    assert client.get(article.get_absolute_url()).status_code == 410


@pytest.mark.django_db
def test_a_changed_contact_address_reaches_readers_at_once(article, settings):
    assert "information@example.org" in served(article)
    settings.INFOSITE = {**settings.INFOSITE, "CONTACT_EMAIL": "sources@example.org"}

    page = served(article)
    assert 'href="mailto:sources@example.org"' in page
    assert "information@example.org" not in page
    assert rendering.stale_copies() == [article.pk]


@pytest.mark.django_db
def test_the_draft_preview_renders_the_same_body_as_the_live_page(article):
    live = ArticlePage.live(PublishedArticle.objects.get(article=article))
    preview = ArticlePage.for_draft(builders.fresh(article))
    assert live.content is None  # served as stored
    assert preview.body == live.body


def call_command_output(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this test there",
)
@pytest.mark.parametrize("attempt", range(3))
def test_a_reference_approved_while_a_term_goes_live_leaves_a_body_of_both(
    monkeypatch, attempt
):
    team = builders.make_team()
    topic = builders.make_topic()
    reference = builders.make_reference("Cancer services")
    article = builders.make_article(
        "Oncology visits",
        slug=f"oncology-{attempt}",
        topic=topic,
        sections=1,
        references=[reference],
    )
    builders.edit_section(
        article, body="<p>Your oncologist will explain the choices.</p>"
    )
    builders.publish(article, team)
    term = builders.make_term("Oncologist", slug="oncologist")
    builders.submit(term, team)
    workflow.approve(term, by=team.clinician, revision=builders.current(term))
    reference.title = "Cancer services (corrected)"
    reference.save()

    results = race(
        lambda: workflow.approve_record_change(reference, by=team.publisher),
        lambda: workflow.publish(term, by=team.publisher),
    )
    assert not [r for r in results if isinstance(r, Exception)], results

    page = assert_served_as_rendered_afresh(article, monkeypatch)
    assert "Cancer services (corrected)." in page
    assert 'href="#define-oncologist"' in page
