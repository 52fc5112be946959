"""Saving a long article in the admin: what the editor sees stays the same, and
the number of queries does not grow with the number of sections."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Section
from tests import builders
from tests.articles.admin_forms import (
    article_form_data,
    change_url,
    form_errors,
    section_rows,
)

# This save made 132 queries when each section's id and anchor were checked by
# a query of their own, and makes 69 now (with a little room for other work).
MOST_QUERIES = 75


def save_with_one_section_reworded(client, article, words):
    rows = section_rows(article)
    rows[-1]["body"] += f"<p>{words}</p>"
    data = article_form_data(article, sections=rows)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    assert words in article.sections.last().body
    return len(queries)


def long_article(sections, topic):
    reviewer = builders.make_reviewer("Sample Writer")
    return builders.make_article(
        topic=topic,
        sections=sections,
        references=[builders.make_reference(f"Guideline {n}") for n in range(3)],
        credits=[("wrote", reviewer)],
    )


@pytest.mark.django_db
def test_saving_thirty_sections_takes_as_many_queries_as_saving_three(
    editor_client, topic
):
    short, long = long_article(3, topic), long_article(30, topic)
    # The first save of each reads what later saves keep; compare the second.
    save_with_one_section_reworded(editor_client, short, "First change.")
    save_with_one_section_reworded(editor_client, long, "First change.")
    for_three = save_with_one_section_reworded(editor_client, short, "Reworded.")
    for_thirty = save_with_one_section_reworded(editor_client, long, "Reworded.")
    assert for_thirty == for_three
    assert for_thirty <= MOST_QUERIES


@pytest.mark.django_db
def test_swapping_two_sections_anchors_is_refused_as_before(editor_client, draft):
    first, second = section_rows(draft)[:2]
    rows = section_rows(draft)
    rows[0]["anchor"], rows[1]["anchor"] = second["anchor"], first["anchor"]
    response = editor_client.post(
        change_url(draft), article_form_data(draft, sections=rows)
    )
    assert response.status_code == 200
    assert "Two sections would have the same anchor" in form_errors(response)
    assert [s.anchor for s in draft.sections.all()[:2]] == [
        first["anchor"],
        second["anchor"],
    ]


@pytest.mark.django_db
def test_an_anchor_a_deleted_section_frees_is_refused_until_it_is_gone(
    editor_client, draft
):
    """The anchor of a section deleted in the same save is still taken while the
    form is checked, as Django has always checked it."""
    rows = section_rows(draft)
    rows[0]["DELETE"] = True
    rows[1]["anchor"] = rows[0]["anchor"]
    response = editor_client.post(
        change_url(draft), article_form_data(draft, sections=rows)
    )
    assert response.status_code == 200
    assert "Two sections would have the same anchor" in form_errors(response)
    assert draft.sections.count() == 3


@pytest.mark.django_db
def test_a_section_id_of_another_article_changes_neither_article(
    editor_client, draft, topic
):
    other = builders.make_article(topic=topic, sections=1)
    theirs = other.sections.get()
    rows = section_rows(draft)
    rows[0] |= {"id": theirs.pk, "heading": "Taken over", "anchor": "taken-over"}
    response = editor_client.post(
        change_url(draft), article_form_data(draft, sections=rows)
    )
    theirs.refresh_from_db()
    assert theirs.heading != "Taken over"
    assert theirs.article == other
    assert not Section.objects.filter(heading="Taken over").exists()
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_a_section_id_that_is_not_a_number_is_refused(editor_client, draft):
    rows = section_rows(draft)
    rows[0] |= {"id": "12x", "heading": "Changed heading"}
    response = editor_client.post(
        change_url(draft), article_form_data(draft, sections=rows)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in form_errors(response)
    assert not draft.sections.filter(heading="Changed heading").exists()
