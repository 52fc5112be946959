"""A versioned model's fields change after revisions were saved: a field renamed,
one added. Stored fingerprints and published copies keep every page and every
article's state as they were; old revisions can still be read and restored."""

import json

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from tests import builders

RENAMED = {
    "articles.section": ("heading", "title_text"),
    "articles.article": ("summary", "lead"),
}


def simulate_schema_change():
    """Rewrite every saved version as if it had been saved under another schema."""
    for version in Version.objects.all():
        rows = json.loads(version.serialized_data)
        for row in rows:
            if row["model"] in RENAMED:
                old, new = RENAMED[row["model"]]
                row["fields"][new] = row["fields"].pop(old, "")
            row["fields"]["field_added_later"] = "x"
        version.serialized_data = json.dumps(rows)
        version.save(update_fields=["serialized_data"])


@pytest.mark.django_db
def test_a_renamed_field_breaks_no_page_and_changes_no_state(
    client, editor_client, article, team
):
    first = builders.current(article)
    builders.edit_section(article, user=team.editor, body="<p>New wording.</p>")
    state_before = Article.objects.get(pk=article.pk).state

    simulate_schema_change()

    article = Article.objects.get(pk=article.pk)
    assert article.state == state_before
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Section heading 1" in page.content.decode()  # from the published copy
    assert "New wording" not in page.content.decode()

    current = builders.current(article)
    for url in [
        reverse("reviews:article", kwargs={"pk": article.pk}),
        reverse("reviews:compare", kwargs={"pk": article.pk})
        + f"?from={first.pk}&to={current.pk}",
        reverse("articles:preview_revision", args=[article.pk, first.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
    ]:
        assert editor_client.get(url).status_code == 200, url

    version = Version.objects.get_for_object(article).get(revision=first)
    restore = editor_client.post(
        reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    )
    assert restore.status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert restored.versions.count() == 3
    assert "New wording" not in restored.sections.first().body
