"""Duplicates are flagged with a link to the existing record: a title an article
already has is a warning the editor may accept; a reference with the same code
or web address as one in the library is refused."""

import datetime

import pytest
from django.urls import reverse

from articles.models import Article, Reference
from tests import builders
from tests.articles.admin_forms import article_form_data, change_url


def new_article(topic, title, slug):
    return article_form_data(
        None,
        title=title,
        slug=slug,
        summary="A short plain summary.",
        topic=topic.pk,
        sections=[{"heading": "What it is", "body": "<p>Some words.</p>", "order": 0}],
    )


@pytest.mark.django_db
def test_a_title_another_article_has_is_saved_with_a_warning_and_a_link(
    client, draft, team, topic
):
    client.force_login(team.editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        new_article(topic, "  breast CANCER recurrence ", "another-recurrence"),
        follow=True,
    )

    page = response.content.decode()
    assert "Another article already has the title" in page
    assert f'<a href="{change_url(draft)}">Breast cancer recurrence</a>' in page
    # A warning only: the article was saved.
    assert Article.objects.filter(slug="another-recurrence").exists()


@pytest.mark.django_db
def test_a_title_of_its_own_is_not_flagged(client, draft, team, topic):
    client.force_login(team.editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        new_article(topic, "Breast cancer in men", "breast-cancer-in-men"),
        follow=True,
    )
    assert "Another article already has the title" not in response.content.decode()
    # Saving an article again does not flag it against itself.
    response = client.post(change_url(draft), article_form_data(draft), follow=True)
    assert "Another article already has the title" not in response.content.decode()


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
        "accessed_on": "2025-01-10",
    } | changes


@pytest.fixture
def ng101(db):
    return builders.make_reference(
        "Early and locally advanced breast cancer",
        identifier="NG101",
        url="https://www.nice.org.uk/guidance/ng101",
        accessed_on=datetime.date(2025, 1, 10),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"identifier": " ng101 ", "url": ""},
        {"identifier": "", "url": "https://www.nice.org.uk/guidance/ng101/"},
        {"identifier": "", "url": "HTTPS://www.nice.org.uk/guidance/NG101"},
    ],
    ids=["same code", "same address with a slash", "same address in capitals"],
)
def test_a_reference_already_in_the_library_is_refused_with_a_link(
    client, team, ng101, changes
):
    client.force_login(team.editor)
    response = client.post(
        reverse("admin:articles_reference_add"), reference_data(**changes)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This reference is already in the library" in page
    assert f'<a href="{change_url(ng101)}">' in page
    assert Reference.objects.count() == 1


@pytest.mark.django_db
def test_a_different_reference_is_saved(client, team, ng101):
    client.force_login(team.editor)
    response = client.post(
        reverse("admin:articles_reference_add"),
        reference_data(identifier="NG12", url="https://www.nice.org.uk/guidance/ng12"),
    )
    assert response.status_code == 302
    assert Reference.objects.filter(identifier="NG12").exists()


@pytest.mark.django_db
def test_a_reference_is_not_its_own_duplicate(client, team, ng101):
    client.force_login(team.editor)
    response = client.post(
        change_url(ng101), reference_data(title="Early breast cancer (updated)")
    )
    assert response.status_code == 302
    ng101.refresh_from_db()
    assert ng101.title == "Early breast cancer (updated)"


@pytest.mark.django_db
def test_references_without_a_code_or_address_are_not_compared(db):
    first = builders.make_reference("Leaflet one", identifier="", url="")
    second = Reference(title="Leaflet two", identifier="", url="")
    assert list(second.duplicates()) == []
    assert first.duplicates().count() == 0
