"""The article's edit form: where it stands, the reviewers' latest comments, the
warning before a save sends it back to draft, and the way to the workspace."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles import workflow
from articles.models import State
from reviews import services
from tests import builders
from tests.articles.admin_forms import article_form_data, change_url

LONDON = ZoneInfo("Europe/London")
BOTH = "Dr Sample Clinician and Sample Lay Reviewer will need to review it again."
WARNING = "Saving will send this article back to draft. " + BOTH
COMMENT = "Clear and kind. Thank you."


def workspace_url(article):
    return reverse("reviews:article", args=[article.pk])


def form_page(client, user, article):
    client.force_login(user)
    response = client.get(change_url(article))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def in_review(draft, team):
    """The draft sent to both reviewers; the lay reviewer has approved it."""
    services.submit(
        article=draft,
        by=team.editor,
        reviewers=[team.clinician.reviewer_profile, team.lay.reviewer_profile],
    )
    services.approve(
        article=draft, revision=builders.current(draft), by=team.lay, comment=COMMENT
    )
    return draft


@pytest.mark.django_db
def test_the_form_of_an_article_in_review_warns_and_names_the_reviewers(
    client, in_review, team
):
    page = form_page(client, team.editor, in_review)

    assert "<strong>In review</strong>" in page
    # Before the fields, and again beside the Save buttons.
    assert page.count(WARNING) == 2
    assert page.index(WARNING) < page.index('name="title"')
    assert "Latest reviewer comments" in page
    assert "<strong>Sample Lay Reviewer</strong>: approved on" in page
    assert f"<q>{COMMENT}</q>" in page


@pytest.mark.django_db
def test_saving_a_content_change_sends_it_back_and_says_so(client, in_review, team):
    client.force_login(team.editor)
    data = article_form_data(in_review, summary="A clearer summary.")

    response = client.post(change_url(in_review), data, follow=True)

    article = builders.fresh(in_review)
    assert article.summary == "A clearer summary."
    assert article.state == State.DRAFT
    shown = [str(m) for m in response.context["messages"]]
    sent_back = [m for m in shown if "back to draft" in m]
    assert sent_back == [
        "Your changes sent “Breast cancer recurrence” back to draft. "
        f'{BOTH} <a href="{workspace_url(article)}">Send it for review</a> when it '
        "is ready."
    ]
    # Back in draft, the form no longer warns.
    assert "Saving will send" not in form_page(client, team.editor, article)


@pytest.mark.django_db
def test_saving_only_the_featured_flag_keeps_the_review_going(client, in_review, team):
    client.force_login(team.editor)
    data = article_form_data(in_review, is_featured=True)

    response = client.post(change_url(in_review), data)

    assert response.status_code == 302
    article = builders.fresh(in_review)
    assert article.is_featured
    assert article.state == State.IN_REVIEW
    assert not [m for m in get_messages(response.wsgi_request) if "draft" in str(m)]


@pytest.mark.django_db
def test_a_refused_save_changes_nothing_and_still_warns(client, in_review, team):
    client.force_login(team.editor)
    data = article_form_data(in_review, title="")

    response = client.post(change_url(in_review), data)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert WARNING in response.content.decode()
    article = builders.fresh(in_review)
    assert article.title == "Breast cancer recurrence"
    assert article.state == State.IN_REVIEW
    assert not [m for m in get_messages(response.wsgi_request) if "draft" in str(m)]


@pytest.mark.django_db
def test_an_approved_article_names_who_approved_and_its_schedule(client, draft, team):
    builders.submit(draft, team)  # sent to any reviewer
    builders.approve_all(draft, team)
    workflow.schedule(
        draft,
        by=team.publisher,
        go_live_at=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=LONDON),
        now=datetime.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON),
    )

    page = form_page(client, team.editor, draft)

    assert "<strong>Approved</strong>" in page
    assert (
        f"{WARNING} It stays scheduled to go live on 1 December 2026, 09:30 with the "
        "version the reviewers approved: your changes will not be in it."
    ) in page


@pytest.mark.django_db
def test_sent_to_any_reviewer_and_undecided_says_it_must_be_sent_again(
    client, draft, team
):
    builders.submit(draft, team)

    page = form_page(client, team.editor, draft)

    assert (
        "Saving will send this article back to draft. It will need to be sent for "
        "review again."
    ) in page
    assert "Latest reviewer comments" not in page


@pytest.mark.django_db
def test_the_form_shows_the_comment_that_sent_it_back(client, in_review, team):
    services.request_changes(
        article=in_review,
        revision=builders.current(in_review),
        by=team.clinician,
        comment="Say how often the scans happen.",
    )
    builders.edit_section(in_review, user=team.editor)

    page = form_page(client, team.editor, in_review)

    assert "<strong>Draft</strong>" in page
    assert "Saving will send" not in page
    comments = page[page.index("Latest reviewer comments") :]
    assert comments.index("Dr Sample Clinician") < comments.index("Sample Lay Reviewer")
    assert "<strong>Dr Sample Clinician</strong>: changes requested on" in comments
    assert "(about an earlier version)" in comments
    assert "<q>Say how often the scans happen.</q>" in comments


@pytest.mark.django_db
def test_drafts_and_unchanged_live_articles_get_no_warning(client, article, team):
    assert "Saving will send" not in form_page(client, team.editor, article)
    builders.edit_section(article, user=team.editor)
    assert "Saving will send" not in form_page(client, team.editor, article)


@pytest.mark.django_db
def test_the_workspace_and_the_edit_form_link_to_each_other(client, draft, team):
    page = form_page(client, team.editor, draft)
    assert f'<a href="{workspace_url(draft)}">Open in the review workspace</a>' in page

    client.force_login(team.editor)
    workspace = client.get(workspace_url(draft)).content.decode()
    assert f'<a href="{change_url(draft)}">Edit this article</a>' in workspace

    # Reviewers cannot edit, so they are not offered the link.
    client.force_login(team.clinician)
    workspace = client.get(workspace_url(draft)).content.decode()
    assert "Edit this article" not in workspace
