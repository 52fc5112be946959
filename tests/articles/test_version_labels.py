"""Saved versions are named the same way everywhere: their number within the
article, who saved them and when, to the minute in local time."""

import datetime

import pytest
from django.urls import reverse
from reversion.models import Revision

from articles import revisions
from tests import builders

# 14:05 in London in summer time.
SAVED_AT = datetime.datetime(2026, 6, 3, 13, 5, 20, tzinfo=datetime.UTC)


@pytest.fixture
def two_saves_in_one_minute(draft, team):
    """The draft saved a second time by Sam Editor within the same minute."""
    team.editor.first_name, team.editor.last_name = "Sam", "Editor"
    team.editor.save()
    builders.edit_section(draft, user=team.editor)
    first, second = reversed(list(revisions.revisions_of(draft)))
    Revision.objects.filter(pk=first.pk).update(date_created=SAVED_AT)
    Revision.objects.filter(pk=second.pk).update(
        date_created=SAVED_AT + datetime.timedelta(seconds=30), user=team.editor
    )
    return draft


FIRST = "Version 1 · someone not recorded · 3 June 2026, 14:05"
SECOND = "Version 2 · Sam Editor · 3 June 2026, 14:05"


@pytest.mark.django_db
def test_the_label_names_the_number_the_person_and_the_minute(two_saves_in_one_minute):
    labels = [
        revisions.label(r) for r in revisions.revisions_of(two_saves_in_one_minute)
    ]
    assert labels == [SECOND, FIRST]


@pytest.mark.django_db
def test_the_admin_history_tells_two_saves_in_one_minute_apart(
    editor_client, two_saves_in_one_minute
):
    url = reverse("admin:articles_article_history", args=[two_saves_in_one_minute.pk])
    page = editor_client.get(url).content.decode()
    assert page.count(SECOND) == 3  # the list and both compare selectors
    assert page.count(FIRST) == 3


@pytest.mark.django_db
def test_the_admin_workflow_table_names_the_version_by_number(
    editor_client, article, team
):
    url = reverse("admin:articles_article_history", args=[article.pk])
    page = editor_client.get(url).content.decode()
    assert "Version 1 · someone not recorded · " in page
    # The saved version, then sent for review, approved and published.
    assert page.count("Version 1 · ") == 1 + 3


@pytest.mark.django_db
def test_the_workspace_compare_selector_uses_the_same_labels(
    client, two_saves_in_one_minute, team
):
    client.force_login(team.editor)
    url = reverse("reviews:compare", args=[two_saves_in_one_minute.pk])
    page = client.get(url).content.decode()
    assert f"{SECOND} — (current)" in page
    assert FIRST in page


@pytest.mark.django_db
def test_the_revision_preview_is_labelled_the_same_way(
    client, two_saves_in_one_minute, team
):
    client.force_login(team.editor)
    first = list(revisions.revisions_of(two_saves_in_one_minute))[-1]
    url = reverse(
        "articles:preview_revision", args=[two_saves_in_one_minute.pk, first.pk]
    )
    assert f"Preview of {FIRST}." in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_workspace_history_names_versions_by_number_not_id(client, article, team):
    client.force_login(team.publisher)
    page = client.get(reverse("reviews:article", args=[article.pk])).content.decode()
    assert ">Version 1</a>" in page
