"""Each workflow move emails the people it concerns, once, after it commits, with a
link to where they act."""

import datetime

import pytest
from django.db import transaction

from articles import workflow
from articles.models import Approval, Reviewer
from notifications.models import Kind, Notification, OptOut
from reviews import services
from tests import builders

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
UTC = datetime.UTC


def workspace(article):
    return f"{SITE}/review/articles/{article.pk}/"


def to(mailoutbox):
    """Return who each email went to, in order."""
    return [address for email in mailoutbox for address in email.to]


def reviewer_of(user):
    return Reviewer.objects.get(user=user)


@pytest.fixture
def in_review(owned, team, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article=owned, by=team.editor)
    mailoutbox.clear()
    return owned


@pytest.fixture
def approved(in_review, team, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        builders.approve_all(in_review, team)
    mailoutbox.clear()
    return in_review


@pytest.fixture
def published(approved, team, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=approved, by=team.publisher, is_full_review=True)
    mailoutbox.clear()
    return approved


def test_sent_for_review_emails_the_reviewers_asked_with_a_link_to_the_workspace(
    owned, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(
            article=owned,
            by=team.editor,
            reviewers=[reviewer_of(team.clinician)],
            comment="Please check the new dose table.",
        )

    assert to(mailoutbox) == ["clinician@example.org"]
    email = mailoutbox[0]
    assert email.subject == "Please review: Breast cancer recurrence"
    assert "editor sent “Breast cancer recurrence” (version 1) to you" in email.body
    assert "Please check the new dose table." in email.body
    assert workspace(owned) in email.body
    assert f"{SITE}/emails/" in email.body  # where to turn these emails off
    notification = Notification.objects.get()
    assert notification.kind == Kind.REVIEW_REQUESTED
    assert notification.recipient == team.clinician
    assert notification.sent_to == "clinician@example.org"
    assert notification.sent_at is not None


def test_sent_to_nobody_in_particular_emails_every_reviewer_who_signs_in(
    owned, team, django_capture_on_commit_callbacks, mailoutbox
):
    builders.make_reviewer("Dr No Account")  # cannot be emailed: nothing for them

    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article=owned, by=team.editor)

    assert sorted(to(mailoutbox)) == ["clinician@example.org", "lay@example.org"]
    assert {email.subject for email in mailoutbox} == {
        "Please review: Breast cancer recurrence"
    }


def test_nothing_is_sent_before_the_move_commits(
    owned, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.submit(
            article=owned, by=team.editor, reviewers=[reviewer_of(team.lay)]
        )
        assert mailoutbox == []
        assert Notification.objects.get().sent_at is None

    for callback in callbacks:
        callback()

    assert to(mailoutbox) == ["lay@example.org"]
    assert Notification.objects.get().sent_at is not None


def test_a_move_rolled_back_writes_and_sends_nothing(
    owned, team, django_capture_on_commit_callbacks, mailoutbox
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.submit(article=owned, by=team.editor)
        raise RuntimeError("something after the move failed")

    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert builders.state_of(owned) == workflow.State.DRAFT


def test_a_refused_move_sends_nothing(
    owned, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(workflow.TransitionError):
            services.publish(article=owned, by=team.publisher)
        with pytest.raises(workflow.TransitionError):
            services.submit(article=owned, by=team.clinician)  # not an editor

    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_changes_requested_emails_the_owner_the_comment_and_the_edit_form(
    in_review, team, owner, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(
            article=in_review,
            revision=builders.current(in_review),
            by=team.clinician,
            comment="The dose in section 2 is out of date.",
        )

    assert to(mailoutbox) == ["owner@example.org"]
    email = mailoutbox[0]
    assert email.subject == "Changes requested: Breast cancer recurrence"
    assert (
        "Dr Sample Clinician asked for changes to “Breast cancer recurrence”"
        in email.body
    )
    assert "The dose in section 2 is out of date." in email.body
    assert f"{SITE}/admin/articles/article/{in_review.pk}/change/" in email.body
    assert Notification.objects.get(kind=Kind.CHANGES_REQUESTED).recipient == owner


def test_each_approval_and_the_article_becoming_approved_email_the_owner(
    in_review, team, django_capture_on_commit_callbacks, mailoutbox
):
    revision = builders.current(in_review)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(
            article=in_review, revision=revision, by=team.clinician, comment="Clear."
        )

    assert to(mailoutbox) == ["owner@example.org"]
    assert mailoutbox[0].subject == (
        "Approved by Dr Sample Clinician: Breast cancer recurrence"
    )
    assert "Clear." in mailoutbox[0].body
    assert workspace(in_review) in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.approve(article=in_review, revision=revision, by=team.lay)

    assert [email.subject for email in mailoutbox[1:]] == [
        "Approved by Sample Lay Reviewer: Breast cancer recurrence",
        "Ready to publish: Breast cancer recurrence",
    ]
    assert "now has all the approvals it needs" in mailoutbox[2].body
    assert workspace(in_review) in mailoutbox[2].body
    assert sorted(
        Notification.objects.filter(recipient__username="owner").values_list(
            "kind", flat=True
        )
    ) == [Kind.APPROVAL, Kind.APPROVAL, Kind.APPROVED]


def test_published_emails_the_owner_and_the_reviewers_but_not_the_publisher(
    approved, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=approved, by=team.publisher, is_full_review=True)

    assert sorted(to(mailoutbox)) == [
        "clinician@example.org",
        "lay@example.org",
        "owner@example.org",
    ]
    email = mailoutbox[0]
    assert email.subject == "Published: Breast cancer recurrence"
    assert "publisher published “Breast cancer recurrence”" in email.body
    assert f"{SITE}/articles/breast-cancer-recurrence/" in email.body
    assert workspace(approved) in email.body


def test_a_scheduled_publication_going_live_emails_everyone_concerned_once(
    approved, team, django_capture_on_commit_callbacks, mailoutbox
):
    go_live_at = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule(
            approved,
            by=team.publisher,
            go_live_at=go_live_at,
            now=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        )
    assert mailoutbox == []  # scheduling is not news yet

    later = datetime.datetime(2026, 12, 1, 9, 5, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.publish_due(now=later) == [(approved, None)]
        assert workflow.publish_due(now=later) == []

    assert sorted(to(mailoutbox)) == [
        "clinician@example.org",
        "lay@example.org",
        "owner@example.org",
        "publisher@example.org",  # who scheduled it hears that it went live
    ]
    email = mailoutbox[0]
    assert email.subject == "Now live as scheduled: Breast cancer recurrence"
    assert "(version 1) went live on " in email.body
    assert "as publisher scheduled it. Readers now see it." in email.body
    assert Notification.objects.filter(kind=Kind.WENT_LIVE).count() == 4
    assert not Notification.objects.filter(kind=Kind.PUBLISHED).exists()


def test_unpublished_emails_the_owner_and_the_reviewers_with_the_reason(
    published, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(
            article=published, by=team.publisher, comment="Guidance withdrawn."
        )

    assert sorted(to(mailoutbox)) == [
        "clinician@example.org",
        "lay@example.org",
        "owner@example.org",
    ]
    email = mailoutbox[0]
    assert email.subject == "Taken down: Breast cancer recurrence"
    assert "Guidance withdrawn." in email.body
    assert workspace(published) in email.body


def test_the_reviewers_of_the_current_round_are_those_asked_and_those_who_decided(
    owned, team, django_capture_on_commit_callbacks, mailoutbox
):
    third = builders.make_user(
        "third", "Reviewers", reviewer=builders.make_reviewer("Dr Third")
    )
    services.submit(
        article=owned,
        by=team.editor,
        reviewers=[reviewer_of(team.clinician), reviewer_of(team.lay)],
    )
    builders.approve_all(owned, team)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=owned, by=team.publisher, is_full_review=True)

    assert third.email not in to(mailoutbox)
    assert sorted(to(mailoutbox)) == [
        "clinician@example.org",
        "lay@example.org",
        "owner@example.org",
    ]


def test_a_kind_turned_off_is_not_sent_to_that_person_only(
    approved, team, owner, django_capture_on_commit_callbacks, mailoutbox
):
    OptOut.objects.create(user=owner, kind=Kind.PUBLISHED)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=approved, by=team.publisher, is_full_review=True)

    assert sorted(to(mailoutbox)) == ["clinician@example.org", "lay@example.org"]
    assert not Notification.objects.filter(
        recipient=owner, kind=Kind.PUBLISHED
    ).exists()


def test_people_without_an_email_address_or_an_active_account_get_nothing(
    owned, team, owner, django_capture_on_commit_callbacks, mailoutbox
):
    team.clinician.email = ""
    team.clinician.save()
    team.lay.is_active = False
    team.lay.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article=owned, by=team.editor)

    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert builders.state_of(owned) == workflow.State.IN_REVIEW


def test_an_article_without_an_owner_tells_nobody_of_changes_requested(
    draft, team, django_capture_on_commit_callbacks, mailoutbox
):
    services.submit(article=draft, by=team.editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(
            article=draft,
            revision=builders.current(draft),
            by=team.lay,
            comment="Too long.",
        )

    assert mailoutbox == []
    assert Approval.objects.filter(article=draft).count() == 1


def test_nobody_is_told_of_their_own_move(
    draft, team, django_capture_on_commit_callbacks, mailoutbox
):
    draft.owner = team.publisher  # a publisher who owns the article publishes it
    draft.save(update_fields=["owner"])
    services.submit(article=draft, by=team.editor)
    builders.approve_all(draft, team)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=draft, by=team.publisher, is_full_review=True)

    assert "publisher@example.org" not in to(mailoutbox)
    assert sorted(to(mailoutbox)) == ["clinician@example.org", "lay@example.org"]


def test_a_trusted_import_tells_nobody(owned, team, mailoutbox):
    workflow.publish_imported(
        owned,
        reviewers=[reviewer_of(team.clinician), reviewer_of(team.lay)],
        comment="Imported",
        approval_comment="Approved before import",
    )

    assert not Notification.objects.exists()


def test_an_unpublish_date_coming_emails_the_publisher_who_set_it_too(
    published, team, django_capture_on_commit_callbacks, mailoutbox
):
    workflow.set_expiry(
        published,
        by=team.publisher,
        unpublish_at=datetime.datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        now=datetime.datetime(2027, 2, 1, 9, 0, tzinfo=UTC),
    )
    later = datetime.datetime(2027, 3, 1, 9, 5, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.unpublish_due(now=later) == [(published, None)]

    assert sorted(to(mailoutbox)) == [
        "clinician@example.org",
        "lay@example.org",
        "owner@example.org",
        "publisher@example.org",  # who set the date hears that it came
    ]
    assert mailoutbox[0].subject == "Taken down: Breast cancer recurrence"
    assert published.transitions.latest().comment == workflow.EXPIRED


def test_a_publish_by_hand_in_the_schedules_words_is_told_as_a_publish(
    approved, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(
            article=approved,
            by=team.publisher,
            is_full_review=True,
            comment=workflow.SCHEDULED_GO_LIVE,
        )

    assert approved.transitions.latest().comment == "Published as scheduled"
    assert "publisher@example.org" not in to(mailoutbox)
    assert mailoutbox[0].subject == "Published: Breast cancer recurrence"
    assert Notification.objects.filter(kind=Kind.PUBLISHED).count() == 3
    assert not Notification.objects.filter(kind=Kind.WENT_LIVE).exists()


def test_an_unpublish_by_hand_in_the_expiry_words_is_not_news_to_who_made_it(
    published, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=published, by=team.publisher, comment="Expired")

    assert sorted(to(mailoutbox)) == [
        "clinician@example.org",
        "lay@example.org",
        "owner@example.org",
    ]
