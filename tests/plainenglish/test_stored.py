"""Scores and checks are stored with each saved version, and read, not worked
out again, wherever they are shown."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from articles.models import ArticleRevision
from plainenglish.models import RevisionReadability
from tests import builders

pytestmark = pytest.mark.django_db

HARD = (
    "<p>Adjuvant endocrine therapy considerably diminishes the probability of "
    "locoregional recurrence following conservative surgical intervention.</p>"
)


def stored(article):
    article.refresh_from_db()
    return RevisionReadability.objects.get(
        article_revision__article=article,
        article_revision__revision_id=article.latest_revision_id,
    )


def test_each_save_stores_the_scores_of_that_version(draft):
    first = stored(draft)
    assert [section["heading"] for section in first.sections] == [
        "Section heading 1",
        "Section heading 2",
        "Section heading 3",
    ]
    assert first.words == 15  # "Body text of section N." three times
    builders.edit_section(draft, body=HARD)
    draft.refresh_from_db()
    second = stored(draft)
    assert second.pk != first.pk
    assert second.sections[0]["scores"]["reading_age"] > 11
    assert "reading_age" in [f["check"] for f in second.sections[0]["findings"]]
    first.refresh_from_db()
    assert first.sections[0]["scores"]["words"] == 5  # the old version is unchanged
    assert RevisionReadability.objects.count() == ArticleRevision.objects.count()


def test_scores_are_written_in_the_saves_transaction(topic):
    with pytest.raises(RuntimeError), transaction.atomic():
        builders.make_article("Rolled back", topic=topic)
        assert RevisionReadability.objects.count() == 1
        raise RuntimeError
    assert not RevisionReadability.objects.exists()


def test_a_failure_to_score_never_stops_a_save_and_the_command_fills_the_gap(topic):
    with mock.patch("plainenglish.services.analyse", side_effect=ValueError("bug")):
        article = builders.make_article("Saved anyway", topic=topic)
    assert ArticleRevision.objects.filter(article=article).exists()
    assert not RevisionReadability.objects.exists()
    call_command("score_revisions")
    assert stored(article).sections[0]["heading"] == "Section heading 1"


def test_the_command_scores_versions_saved_before_scores_were_kept(draft, capsys):
    builders.edit_section(draft, body=HARD)
    expected = {
        row.article_revision_id: (row.reading_age, row.sections)
        for row in RevisionReadability.objects.all()
    }
    RevisionReadability.objects.all().delete()

    call_command("score_revisions", "--dry-run")
    assert "2 saved version(s) have no scores yet." in capsys.readouterr().out
    assert not RevisionReadability.objects.exists()

    call_command("score_revisions")
    assert "Scored 2 saved version(s)." in capsys.readouterr().out
    assert {
        row.article_revision_id: (row.reading_age, row.sections)
        for row in RevisionReadability.objects.all()
    } == expected

    call_command("score_revisions")
    assert "Scored 0 saved version(s)." in capsys.readouterr().out


def refuse_to_score(*args, **kwargs):
    raise AssertionError("scored while showing a page")


def test_the_workspace_shows_stored_scores_against_the_live_version(
    client, article, team
):
    builders.edit_section(article, body=HARD)
    client.force_login(team.clinician)
    with mock.patch("plainenglish.readability.score", refuse_to_score):
        response = client.get(reverse("reviews:article", args=[article.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="plain-english">Plain English</h2>' in page
    live = RevisionReadability.objects.get(
        article_revision__revision_id=article.published.revision_id
    )
    now = stored(article)
    assert (
        f"<td>{now.reading_age}</td><td>{live.reading_age}</td><td>up: worse</td>"
        in page
    )
    message = now.sections[0]["findings"][0]["message"]
    assert message.startswith("Reading age") and message in page


def test_the_workspace_panel_costs_one_query(
    client, article, team, django_assert_num_queries
):
    from django.template import Context, Template

    template = Template("{% load plain_english %}{% plain_english_review article %}")
    article.refresh_from_db()
    assert article.live is not None  # the workspace has already read it
    with django_assert_num_queries(1):
        html = template.render(Context({"article": article}))
    assert "Same version" in html


def test_the_article_form_shows_the_stored_scores(editor_client, draft):
    with mock.patch("plainenglish.readability.score", refuse_to_score):
        response = editor_client.get(
            reverse("admin:articles_article_change", args=[draft.pk])
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="plain-english"' in page
    assert "These are the scores of the last saved version." in page
    assert "Section heading 2" in page
    assert "plainenglish/panel.js" in page


def test_links_are_checked_again_when_shown(client, article, team, topic):
    other = builders.make_article("Coping", slug="coping", topic=topic)
    builders.edit_section(
        article, body='<p>Read <a href="/articles/coping/">Coping with worry</a>.</p>'
    )
    saved = stored(article).sections[0]["findings"]
    assert [f["check"] for f in saved] == ["link_not_live"]
    from django.template import Context, Template

    template = Template("{% load plain_english %}{% plain_english_review article %}")
    article.refresh_from_db()
    assert "which is not on the public site" in template.render(
        Context({"article": article})
    )
    builders.publish(other, team)
    html = template.render(Context({"article": article}))
    assert "which is not on the public site" not in html
    assert stored(article).sections[0]["findings"] == saved  # stored as saved
