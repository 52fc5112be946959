"""Who may open the review pages and make each move, and that refusals change nothing."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Approval, Reviewer, ScheduledPublication, Transition
from reviews.models import ReviewRequest
from tests import builders

ACTIONS = [
    "submit",
    "approve",
    "request_changes",
    "confirm",
    "publish",
    "schedule",
    "unpublish",
]
# The one role that may make each move; everyone else is refused.
ALLOWED = {
    "submit": "editor",
    "approve": "clinician",
    "request_changes": "clinician",
    "confirm": "clinician",
    "publish": "publisher",
    "schedule": "publisher",
    "unpublish": "publisher",
}
# What the allowed role gets on a live article edited and sent for review: the
# move is made (302 back to the workspace), or the workflow refuses it for the
# article's state or the missing approvals and shows the workspace again with
# the reason (409).
ALLOWED_OUTCOME = {
    "submit": (409, "Only a draft can be sent for review"),
    "approve": (302, None),
    "request_changes": (302, None),
    "confirm": (409, "Only a published article with no unpublished changes"),
    "publish": (409, "This version cannot be published yet."),
    "schedule": (409, "This version cannot be scheduled yet."),
    "unpublish": (302, None),
}


def _form_data(action, article):
    """Well-formed input for each move, so a refusal can only be about the role."""
    revision = builders.current(article).pk
    later = timezone.localtime() + datetime.timedelta(days=7)
    return {
        "submit": {"comment": "Please check the new wording."},
        "approve": {"revision": revision, "comment": "Reads well."},
        "request_changes": {"revision": revision, "comment": "Check the dose."},
        "confirm": {"comment": "Still accurate."},
        "publish": {"review": "full", "comment": ""},
        "schedule": {"go_live_at": later.strftime("%Y-%m-%dT%H:%M"), "review": "full"},
        "unpublish": {"comment": "Guidance withdrawn."},
    }[action]


def _record(article):
    """What a refused move must leave as it was."""
    article.refresh_from_db()
    return (
        Transition.objects.count(),
        Approval.objects.count(),
        ReviewRequest.objects.count(),
        ScheduledPublication.objects.count(),
        builders.state_of(article),
        builders.live_revision_id(article),
        article.reviewed_on,
        article.next_review_on,
    )


def _pages(article):
    return [
        reverse("reviews:dashboard"),
        reverse("reviews:due"),
        reverse("reviews:article", args=[article.pk]),
        reverse("reviews:compare", args=[article.pk]),
        reverse("reviews:compare", args=[article.pk])
        + f"?from={builders.live_revision_id(article)}&to={builders.current(article).pk}",
    ]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_see_no_article_content(
    client, article
):
    for path in _pages(article):
        response = client.get(path)

        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
        assert article.title not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_moves_are_sent_to_sign_in_and_change_nothing(
    client, article, action
):
    before = _record(article)

    response = client.post(
        reverse(f"reviews:{action}", args=[article.pk]), _form_data(action, article)
    )

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert _record(article) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["editor", "clinician", "publisher"])
def test_each_move_is_open_only_to_its_role(client, article, team, action, role):
    builders.edit_section(article, user=team.editor, body="<p>New wording.</p>")
    builders.submit(article, team)
    before = _record(article)
    client.force_login(getattr(team, role))

    response = client.post(
        reverse(f"reviews:{action}", args=[article.pk]), _form_data(action, article)
    )

    if ALLOWED[action] == role:
        # Done, or refused by the workflow with its reason on the page: never
        # refused for the role.
        status, reason = ALLOWED_OUTCOME[action]
        assert response.status_code == status
        if status == 302:
            assert response.url == reverse("reviews:article", args=[article.pk])
        else:
            page = response.content.decode()
            assert "There is a problem" in page
            assert reason in page
            assert "You do not have permission" not in page
            assert _record(article) == before
    else:
        assert response.status_code == 403
        assert "You do not have permission" in response.content.decode()
        assert _record(article) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_a_plain_visit(client, article, team, action):
    client.force_login(team.publisher)

    response = client.get(reverse(f"reviews:{action}", args=[article.pk]))

    assert response.status_code == 405


@pytest.mark.django_db
def test_a_post_without_the_form_security_token_is_refused(article, team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.publisher)
    before = _record(article)

    response = client.post(
        reverse("reviews:unpublish", args=[article.pk]), {"comment": "Withdrawn."}
    )

    assert response.status_code == 403
    assert _record(article) == before


@pytest.mark.django_db
def test_a_reviewer_cannot_open_the_admin(client, article, team):
    client.force_login(team.clinician)
    path = reverse("admin:articles_article_change", args=[article.pk])

    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert article.title not in response.content.decode()


@pytest.mark.django_db
def test_a_reviewer_cannot_change_an_article_through_the_admin(client, article, team):
    client.force_login(team.clinician)
    before = builders.current(article).pk

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {"title": "Retitled by a reviewer", "slug": article.slug},
    )

    article.refresh_from_db()
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert article.title == "Breast cancer recurrence"
    assert builders.current(article).pk == before


@pytest.mark.django_db
def test_people_without_a_role_cannot_open_an_article_workspace(client, article):
    client.force_login(builders.make_user("visitor"))

    for name in ("reviews:article", "reviews:compare"):
        response = client.get(reverse(name, args=[article.pk]))
        assert response.status_code == 403
        assert article.title not in response.content.decode()
    assert client.get(reverse("reviews:due")).status_code == 403


def _reviewer_form(reviewer, **changes):
    """The admin's reviewer form as posted, with ``changes`` typed in."""
    data = {
        "name": reviewer.name,
        "credentials": reviewer.credentials,
        "kind": reviewer.kind,
        "user": reviewer.user_id or "",
        "is_sample": "on" if reviewer.is_sample else "",
    }
    return data | changes


def _admin_change(reviewer):
    return reverse("admin:articles_reviewer_change", args=[reviewer.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["kind", "user"])
def test_an_editor_cannot_change_a_reviewers_kind_or_account_in_the_admin(
    client, team, field
):
    reviewer = team.clinician.reviewer_profile
    stranger = builders.make_user("stranger", "Reviewers")
    changes = {
        "kind": {"kind": Reviewer.Kind.LIVED_EXPERIENCE},
        "user": {"user": stranger.pk},
    }[field]
    client.force_login(team.editor)
    before = Reviewer.objects.values().get(pk=reviewer.pk)

    response = client.post(_admin_change(reviewer), _reviewer_form(reviewer, **changes))

    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert "Only a publisher can change a reviewer&#x27;s kind" in page
    assert "Nothing was saved." in page
    assert Reviewer.objects.values().get(pk=reviewer.pk) == before


@pytest.mark.django_db
def test_an_editor_can_still_correct_a_reviewers_name_in_the_admin(client, team):
    reviewer = team.clinician.reviewer_profile
    client.force_login(team.editor)

    response = client.post(
        _admin_change(reviewer), _reviewer_form(reviewer, name="Dr Sample Corrected")
    )

    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert (reviewer.name, reviewer.kind, reviewer.user) == (
        "Dr Sample Corrected",
        Reviewer.Kind.CLINICAL,
        team.clinician,
    )


@pytest.mark.django_db
def test_a_publisher_can_change_a_reviewers_kind_and_account_in_the_admin(client, team):
    reviewer = team.clinician.reviewer_profile
    newcomer = builders.make_user("newcomer", "Reviewers")
    client.force_login(team.publisher)

    response = client.post(
        _admin_change(reviewer),
        _reviewer_form(reviewer, kind=Reviewer.Kind.LIVED_EXPERIENCE, user=newcomer.pk),
    )

    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.kind == Reviewer.Kind.LIVED_EXPERIENCE
    assert reviewer.user == newcomer
