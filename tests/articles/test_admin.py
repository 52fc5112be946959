import datetime

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Reference, Section
from tests import builders
from tests.articles.admin_forms import (
    article_form_data,
    change_url,
    form_errors,
    section_rows,
)

ADD_URL = reverse("admin:articles_article_add")


def assert_unchanged(article, before):
    article.refresh_from_db()
    after = article_form_data(article)
    assert after == before
    assert Version.objects.get_for_object(article).count() == 1


@pytest.mark.django_db
def test_editor_adds_an_article_with_sections_and_references(editor_client, topic):
    nice = builders.make_reference("Advanced breast cancer: diagnosis and treatment")
    data = article_form_data(
        title="Secondary breast cancer",
        slug="secondary-breast-cancer",
        summary="When breast cancer spreads to other parts of the body.",
        topic=topic.pk,
        reviewed_on="2025-03-01",
        next_review_on="2028-03-01",
        sections=[
            {
                "heading": "What it is",
                "body": "<p>Cancer that has <strong>spread</strong>.</p>",
                "order": 1,
            },
            {
                "heading": "Treatment",
                "body": "<ul><li>Hormonal therapy</li></ul>",
                "order": 2,
            },
        ],
        references=[{"reference": nice.pk, "order": 1}],
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, form_errors(response)

    article = Article.objects.get(slug="secondary-breast-cancer")
    assert [(s.heading, s.anchor) for s in article.sections.all()] == [
        ("What it is", "what-it-is"),
        ("Treatment", "treatment"),
    ]
    assert [link.reference for link in article.reference_links.all()] == [nice]
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    assert versions[0].revision.user.is_superuser


@pytest.mark.django_db
def test_editor_edits_a_section_and_reorders_sections(editor_client, article):
    rows = _section_rows(
        article, body="<p>New wording for the first section.</p>", order=10
    )
    data = article_form_data(article, sections=rows)
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)

    headings = [s.heading for s in article.sections.all()]
    assert headings == ["Section heading 2", "Section heading 3", "Section heading 1"]
    assert article.sections.get(heading="Section heading 1").body == (
        "<p>New wording for the first section.</p>"
    )
    assert Version.objects.get_for_object(article).count() == 2


@pytest.mark.django_db
def test_pasted_script_and_styles_are_stripped_from_a_section(editor_client, article):
    rows = [
        {
            "heading": "Unsafe",
            "order": 9,
            "body": (
                '<p style="color:red" onclick="steal()">Safe text <a href="javascript:alert(1)">'
                'bad link</a> <a href="https://www.nhs.uk">good link</a></p><script>alert(1)</script>'
            ),
        }
    ]
    data = article_form_data(article, sections=_section_rows(article) + rows)
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)

    body = article.sections.get(heading="Unsafe").body
    assert body == (
        '<p>Safe text <a>bad link</a> <a href="https://www.nhs.uk">good link</a></p>'
    )


BAD_ARTICLE_INPUTS = [
    pytest.param(
        {"title": "\u200b\u2060 "},
        "no visible letters",
        id="title-of-invisible-characters",
    ),
    pytest.param(
        {"title": "x" * 151},
        "Ensure this value has at most 150 characters",
        id="title-too-long",
    ),
    pytest.param(
        {"summary": "Read <b>this</b> first."},
        "Remove the HTML tags",
        id="html-in-summary",
    ),
    pytest.param(
        {"summary": "y" * 401},
        "at most 400 characters",
        id="summary-too-long",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), BAD_ARTICLE_INPUTS)
def test_bad_article_input_is_refused_and_nothing_changes(
    editor_client, article, changes, message
):
    before = article_form_data(article)
    response = editor_client.post(
        change_url(article), article_form_data(article, **changes)
    )
    assert response.status_code == 200
    assert message in form_errors(response)
    assert_unchanged(article, before)


@pytest.mark.django_db
def test_duplicate_slug_is_refused(editor_client, article, topic):
    other = builders.make_article("Other", slug="other", topic=topic)
    before = article_form_data(other)
    response = editor_client.post(
        change_url(other), article_form_data(other, slug="breast-cancer-recurrence")
    )
    assert response.status_code == 200
    assert "Another article already uses this web address" in form_errors(response)
    assert_unchanged(other, before)


def _section_rows(article, **first_changes):
    rows = section_rows(article)
    rows[0] |= first_changes
    return rows


BAD_SECTION_INPUTS = [
    pytest.param({"heading": ""}, "Give the section a heading.", id="no-heading"),
    pytest.param({"body": ""}, "Write some text for this section.", id="empty-body"),
    pytest.param(
        {"body": "<p> </p>"}, "Write some text for this section.", id="blank-body"
    ),
    pytest.param(
        {"heading": "h" * 121},
        "Ensure this value has at most 120 characters",
        id="long-heading",
    ),
    pytest.param(
        {"anchor": "section-heading-2"},
        "Two sections would have the same anchor",
        id="duplicate-anchor",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), BAD_SECTION_INPUTS)
def test_bad_section_input_is_refused_and_nothing_changes(
    editor_client, article, changes, message
):
    before = article_form_data(article)
    data = article_form_data(article, sections=_section_rows(article, **changes))
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert_unchanged(article, before)


@pytest.mark.django_db
def test_an_article_without_sections_is_refused(editor_client, topic):
    data = article_form_data(
        title="Empty",
        slug="empty",
        summary="Nothing here.",
        topic=topic.pk,
        sections=[],
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert not Article.objects.filter(slug="empty").exists()


@pytest.mark.django_db
def test_two_new_sections_with_the_same_heading_are_refused(editor_client, topic):
    data = article_form_data(
        title="Twice",
        slug="twice",
        summary="Two sections.",
        topic=topic.pk,
        sections=[
            {"heading": "Treatment", "body": "<p>One.</p>", "order": 1},
            {"heading": "Treatment", "body": "<p>Two.</p>", "order": 2},
        ],
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Two sections would have the same anchor" in form_errors(response)
    assert not Article.objects.filter(slug="twice").exists()
    assert not Section.objects.exists()


REFERENCE_ADD_URL = reverse("admin:articles_reference_add")


def reference_data(**changes):
    return {
        "kind": "guideline",
        "authors": "NICE",
        "title": "Early and locally advanced breast cancer",
        "source": "",
        "identifier": "NG101",
        "year": "2018",
        "updated_year": "",
        "url": "https://www.nice.org.uk/guidance/ng101",
        "accessed_on": "2021-11-01",
    } | changes


BAD_REFERENCE_INPUTS = [
    pytest.param(
        {"url": "javascript:alert(1)"}, "Enter a full web address", id="javascript"
    ),
    pytest.param(
        {"url": "ftp://files.example.org/x"}, "Enter a full web address", id="ftp"
    ),
    pytest.param({"url": "https://"}, "Enter a full web address", id="malformed"),
    pytest.param(
        {"accessed_on": "2099-01-01"}, "cannot be in the future", id="future-access"
    ),
    pytest.param(
        {"accessed_on": ""}, "Give the date you last checked", id="url-without-date"
    ),
    pytest.param(
        {"updated_year": "2010", "year": "2018"}, "cannot be before", id="update-early"
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), BAD_REFERENCE_INPUTS)
def test_bad_reference_input_is_refused(editor_client, changes, message):
    response = editor_client.post(REFERENCE_ADD_URL, reference_data(**changes))
    assert response.status_code == 200
    errors = " ".join(
        str(e) for e in response.context["adminform"].form.errors.values()
    )
    assert message in errors
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_a_good_reference_is_saved(editor_client):
    response = editor_client.post(REFERENCE_ADD_URL, reference_data())
    assert response.status_code == 302
    assert Reference.objects.get().identifier == "NG101"


@pytest.mark.django_db
def test_a_web_address_typed_without_https_gets_it(editor_client):
    response = editor_client.post(
        REFERENCE_ADD_URL, reference_data(url="www.nice.org.uk")
    )
    assert response.status_code == 302
    assert Reference.objects.get().url == "https://www.nice.org.uk"


@pytest.mark.django_db
def test_reference_picker_searches_by_code(editor_client, article):
    builders.make_reference(
        "Early and locally advanced breast cancer", identifier="NG101"
    )
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "NG101",
            "app_label": "articles",
            "model_name": "articlereference",
            "field_name": "reference",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "National Institute for Health and Care Excellence (NICE). "
        "Early and locally advanced breast cancer [NG101]"
    ]


@pytest.mark.django_db
def test_restoring_a_version_brings_back_a_deleted_section(editor_client, article):
    published = (
        builders.live_revision_id(article),
        article.reviewed_on,
        article.next_review_on,
    )
    deleted = article.sections.get(heading="Section heading 2")
    rows = _section_rows(article)
    rows[1]["DELETE"] = True
    response = editor_client.post(
        change_url(article), article_form_data(article, sections=rows)
    )
    assert response.status_code == 302, form_errors(response)
    assert not Section.objects.filter(pk=deleted.pk).exists()
    # Readers still see the published version, deleted section included.
    assert "Section heading 2" in _public_page(article)

    first_version = Version.objects.get_for_object(article).order_by("pk").first()
    restore_url = reverse(
        "admin:articles_article_revision", args=[article.pk, first_version.pk]
    )
    confirmation = editor_client.get(restore_url)
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Restore the version saved on" in page
    assert "Section heading 2" in page
    assert "<ins>Body text of section 2.</ins>" in page
    # Asking changes nothing.
    assert not Section.objects.filter(pk=deleted.pk).exists()
    assert Version.objects.get_for_object(article).count() == 2

    response = editor_client.post(restore_url)
    assert response.status_code == 302
    assert response.url == change_url(article)

    assert [s.heading for s in article.sections.all()] == [
        "Section heading 1",
        "Section heading 2",
        "Section heading 3",
    ]
    assert Section.objects.get(pk=deleted.pk).body == "<p>Body text of section 2.</p>"
    assert Version.objects.get_for_object(article).count() == 3
    article.refresh_from_db()
    assert (
        builders.live_revision_id(article),
        article.reviewed_on,
        article.next_review_on,
    ) == published
    assert "Section heading 2" in _public_page(article)


def _public_page(article):
    """Return the article's page as a reader who is not signed in sees it."""
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_article_list_filters_by_review_due(editor_client, topic):
    today = datetime.date.today()
    builders.make_article(
        "Overdue one",
        topic=topic,
        reviewed_on=today - datetime.timedelta(days=1200),
        next_review_on=today - datetime.timedelta(days=5),
    )
    builders.make_article(
        "Due soon",
        topic=topic,
        reviewed_on=today - datetime.timedelta(days=1000),
        next_review_on=today + datetime.timedelta(days=30),
    )
    builders.make_article(
        "Fine",
        topic=topic,
        reviewed_on=today,
        next_review_on=today + datetime.timedelta(days=800),
    )
    url = reverse("admin:articles_article_changelist")

    def titles(params):
        response = editor_client.get(url, params)
        return sorted(a.title for a in response.context["cl"].result_list)

    assert titles({"review": "overdue"}) == ["Overdue one"]
    assert titles({"review": "soon"}) == ["Due soon"]
    assert titles({"review": "later"}) == ["Fine"]
    assert titles({"q": "due"}) == ["Due soon", "Overdue one"]
