"""When the email server is down the move still happens, and send_notifications
sends what is waiting, each email once."""

import socket
import threading
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from articles import workflow
from articles.models import Reviewer
from notifications import sending
from notifications.models import Kind, Notification, OptOut
from reviews import services
from tests import builders

from .conftest import LOCMEM


def render_subject(notification):
    return sending.message(notification).subject


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


@pytest.fixture
def silent_email_server():
    """A real SMTP address whose server takes each connection and never answers,
    as a hung or overloaded one does; yields its port and the connections taken."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    taken, stop = [], threading.Event()

    def take():
        while not stop.is_set():
            try:
                taken.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=take)
    thread.start()
    yield listener.getsockname()[1], taken
    stop.set()
    thread.join()
    for connection in taken:
        connection.close()
    listener.close()


@pytest.fixture
def smtp_that_never_answers(settings, silent_email_server):
    port, taken = silent_email_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 0.3},
        }
    }
    return taken


def test_an_email_server_that_never_answers_holds_a_move_for_one_timeout(
    owned, team, smtp_that_never_answers, django_capture_on_commit_callbacks
):
    """Both reviewers' emails wait: the first was tried and timed out, the second
    not tried at all, so the editor waits one EMAIL_TIMEOUT, not one per email."""
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(
            article=owned,
            by=team.editor,
            reviewers=list(
                Reviewer.objects.filter(user__in=[team.clinician, team.lay])
            ),
        )

    assert builders.state_of(owned) == workflow.State.IN_REVIEW
    waiting = Notification.objects.filter(kind=Kind.REVIEW_REQUESTED).order_by("pk")
    assert [(n.sent_at, n.attempts) for n in waiting] == [(None, 1), (None, 0)]
    assert "timed out" in waiting[0].last_error
    assert len(smtp_that_never_answers) == 1  # one connection, not one per email

    with pytest.raises(CommandError) as error:
        send_notifications()
    assert "timed out" in str(error.value)
    assert "could not be reached, so the other 1 email was not tried" in str(
        error.value
    )
    assert [n.attempts for n in waiting.all()] == [2, 0]
    assert len(smtp_that_never_answers) == 2


def submit_to_both_reviewers(article, team):
    services.submit(
        article=article,
        by=team.editor,
        reviewers=list(Reviewer.objects.filter(user__in=[team.clinician, team.lay])),
    )


def test_moves_try_the_email_server_again_a_minute_after_it_was_away(
    owned, team, settings, server_down, django_capture_on_commit_callbacks, mailoutbox
):
    clock = [1000.0]

    def approve(reviewer):
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(
                article=owned, revision=builders.current(owned), by=reviewer
            )
        return Notification.objects.filter(kind=Kind.APPROVAL).latest("pk")

    with mock.patch.object(sending.time, "monotonic", lambda: clock[0]):
        with django_capture_on_commit_callbacks(execute=True):
            submit_to_both_reviewers(owned, team)  # refused: one tried
        settings.MAILERS = LOCMEM  # back, but not tried for a minute
        clock[0] = 1059.0
        paused = approve(team.clinician)
        clock[0] = 1061.0
        sent = approve(team.lay)

    requests = Notification.objects.filter(kind=Kind.REVIEW_REQUESTED)
    assert sorted(n.attempts for n in requests) == [0, 1]
    paused.refresh_from_db()
    assert (paused.sent_at, paused.attempts) == (None, 0)
    sent.refresh_from_db()
    assert sent.sent_at is not None
    # Only the emails of the move made after the minute: the lay reviewer's
    # approval, and the article now having all it needs.
    ready = Notification.objects.get(kind=Kind.APPROVED)
    assert sorted(email.subject for email in mailoutbox) == sorted(
        [render_subject(sent), render_subject(ready)]
    )
    assert render_subject(paused) not in [email.subject for email in mailoutbox]


def test_a_refused_recipient_does_not_stop_the_others(
    owned, team, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.backends.RefusingBackend"}
    }
    with django_capture_on_commit_callbacks(execute=True):
        submit_to_both_reviewers(owned, team)

    waiting = Notification.objects.filter(kind=Kind.REVIEW_REQUESTED)
    assert [n.attempts for n in waiting] == [1, 1]
    assert all("No such mailbox" in n.last_error for n in waiting)
