"""When the email server is down the move still happens, and send_notifications
sends what is waiting, each email once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles import workflow
from articles.models import Reviewer
from notifications.models import Kind, Notification, OptOut
from reviews import services
from tests import builders

from .conftest import LOCMEM

pytestmark = pytest.mark.django_db


def send_notifications(*args):
    out = StringIO()
    call_command("send_notifications", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def asked_while_down(
    owned, team, server_down, django_capture_on_commit_callbacks, mailoutbox
):
    """The draft sent to the clinician while the email server was down."""
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(
            article=owned,
            by=team.editor,
            reviewers=[Reviewer.objects.get(user=team.clinician)],
        )
    return owned


def test_the_move_succeeds_and_the_email_waits_when_the_server_is_down(
    asked_while_down, mailoutbox
):
    assert builders.state_of(asked_while_down) == workflow.State.IN_REVIEW
    assert mailoutbox == []
    notification = Notification.objects.get()
    assert notification.sent_at is None
    assert notification.attempts == 1
    assert notification.last_error == "Connection refused by the email server"


def test_the_command_sends_what_waits_exactly_once(
    asked_while_down, settings, mailoutbox
):
    settings.MAILERS = LOCMEM  # the server is back

    output = send_notifications()

    assert [email.to for email in mailoutbox] == [["clinician@example.org"]]
    assert mailoutbox[0].subject == "Please review: Breast cancer recurrence"
    assert output == (
        "Emailed clinician <clinician@example.org> (an article is sent to me for "
        "review: “Breast cancer recurrence”).\n"
    )
    notification = Notification.objects.get()
    assert notification.sent_at is not None
    assert notification.attempts == 2
    assert notification.last_error == ""

    assert send_notifications() == "No emails are waiting to be sent.\n"
    assert len(mailoutbox) == 1


def test_the_command_fails_loudly_while_the_server_is_still_down(
    asked_while_down, mailoutbox
):
    with pytest.raises(CommandError, match="Could not email clinician") as error:
        send_notifications()

    assert "the next run tries again" in str(error.value)
    notification = Notification.objects.get()
    assert notification.sent_at is None
    assert notification.attempts == 2


def test_a_dry_run_lists_what_waits_and_sends_nothing(
    asked_while_down, settings, mailoutbox
):
    settings.MAILERS = LOCMEM

    output = send_notifications("--dry-run")

    assert "Would email clinician <clinician@example.org>" in output
    assert "Dry run: nothing was sent." in output
    assert mailoutbox == []
    assert Notification.objects.get().sent_at is None


def test_an_email_sent_after_commit_is_not_sent_again_by_the_command(
    owned, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article=owned, by=team.editor)
    assert len(mailoutbox) == 2

    assert send_notifications() == "No emails are waiting to be sent.\n"
    assert len(mailoutbox) == 2


def test_without_a_site_address_the_email_waits_with_the_reason(
    owned, team, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.SITE_URL = ""

    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article=owned, by=team.editor)

    assert builders.state_of(owned) == workflow.State.IN_REVIEW
    assert mailoutbox == []
    assert {n.last_error for n in Notification.objects.all()} == {
        "SITE_URL is not set, so the links in the email cannot be written. Set it "
        "to the site's address, for example https://info.example.org."
    }

    settings.SITE_URL = "https://info.example.org"
    send_notifications()

    assert len(mailoutbox) == 2
    assert f"https://info.example.org/review/articles/{owned.pk}/" in (
        mailoutbox[0].body
    )
    assert (
        not Notification.objects.filter(kind=Kind.REVIEW_REQUESTED)
        .filter(sent_at__isnull=True)
        .exists()
    )


def test_an_email_waiting_is_dropped_once_its_recipient_turns_that_kind_off(
    asked_while_down, team, settings, mailoutbox
):
    OptOut.objects.create(user=team.clinician, kind=Kind.REVIEW_REQUESTED)
    settings.MAILERS = LOCMEM

    output = send_notifications()

    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert output == (
        "Not sent to clinician <clinician@example.org> (an article is sent to me "
        "for review: “Breast cancer recurrence”): they have turned this kind of "
        "email off.\n"
    )
    assert send_notifications() == "No emails are waiting to be sent.\n"


def test_an_email_waiting_is_dropped_once_its_recipient_has_no_address(
    asked_while_down, team, settings, mailoutbox
):
    team.clinician.email = ""
    team.clinician.save()
    settings.MAILERS = LOCMEM

    output = send_notifications()

    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert output == (
        "Not sent to clinician (an article is sent to me for review: “Breast "
        "cancer recurrence”): their account has no email address now, or is "
        "inactive.\n"
    )
