"""Sending the outbox: each notification is claimed under a row lock, sent, and
marked sent in one transaction, so two runs at once never send the same email.

An email server that is down leaves the notification unsent with the error
noted; ``send_notifications`` tries again later. One that cannot be reached or does
not answer (within ``EMAIL_TIMEOUT``) ends the run at the first email, and for a
minute after that the emails of moves made in the same process wait untried: each
would otherwise hold the person making the move for as long again.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles import display
from articles.models import ArticleRevision, Reviewer

from . import events
from .models import Notification


class SiteURLMissing(Exception):
    """The email's links cannot be written without the site's address."""


def site_url():
    """Return the site's address (``SITE_URL``), without a trailing slash."""
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if not base:
        raise SiteURLMissing(
            "SITE_URL is not set, so the links in the email cannot be written. "
            "Set it to the site's address, for example https://info.example.org."
        )
    return base


def absolute(path):
    """Return ``path`` on this site as a full address for an email."""
    return site_url() + path


@dataclass
class Outcome:
    """What one run of sending did."""

    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (notification, error)
    dropped: list = field(default_factory=list)  # (notification, why)
    # Still waiting, not tried: the email server could not be reached.
    not_tried: list = field(default_factory=list)  # ids
    unreachable: bool = False


def send(notifications=None, *, now=None):
    """Send each unsent notification among ``notifications`` (all when None),
    each exactly once; return what was sent and what failed."""
    queryset = Notification.objects.unsent()
    if notifications is not None:
        queryset = queryset.filter(pk__in=[n.pk for n in notifications])
    outcome = Outcome()
    waiting = list(queryset.values_list("pk", flat=True))
    for index, pk in enumerate(waiting):
        _send_one(pk, outcome=outcome, now=now or timezone.now())
        if outcome.unreachable:
            outcome.not_tried = waiting[index + 1 :]
            break
    return outcome


# After the email server could not be reached, for this long the emails of moves
# wait for send_notifications without being tried.
UNREACHABLE_PAUSE_SECONDS = 60
_unreachable_at = None


def send_after_commit(notifications):
    """Send these notifications once the current transaction has committed,
    unless the email server could not be reached a moment ago."""
    if notifications:
        transaction.on_commit(
            lambda: _send_unless_unreachable(notifications), robust=True
        )


def _send_unless_unreachable(notifications):
    global _unreachable_at
    if (
        _unreachable_at is not None
        and time.monotonic() - _unreachable_at < UNREACHABLE_PAUSE_SECONDS
    ):
        return
    _unreachable_at = time.monotonic() if send(notifications).unreachable else None


def forget_unreachable():
    """Try the email server at the next move again (for tests)."""
    global _unreachable_at
    _unreachable_at = None


def _send_one(pk, *, outcome, now):
    with transaction.atomic():
        # Another run holding the row is sending it now: leave it to that run.
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "article", "recipient", "transition__user", "approval__reviewer"
            )
            .filter(pk=pk, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        why = events.why_not_now(notification)
        if why is not None:
            notification.delete()
            outcome.dropped.append((notification, why))
            return
        notification.attempts += 1
        try:
            message(notification).send()
        except Exception as error:  # each mail backend raises its own errors
            notification.last_error = str(error) or type(error).__name__
            notification.save(update_fields=["attempts", "last_error"])
            outcome.failed.append((notification, notification.last_error))
            outcome.unreachable = _is_unreachable(error)
            return
        notification.sent_at = now
        notification.sent_to = notification.recipient.email
        notification.last_error = ""
        notification.save(
            update_fields=["attempts", "sent_at", "sent_to", "last_error"]
        )
        outcome.sent.append(notification)


def _is_unreachable(error):
    """Whether the mail backend's error says the server could not be reached or
    did not answer. (smtplib is imported here, when a send has failed, not in
    every web worker.)"""
    import smtplib
    import socket

    return isinstance(
        error,
        (
            ConnectionError,
            TimeoutError,
            socket.gaierror,
            smtplib.SMTPConnectError,
            smtplib.SMTPServerDisconnected,
        ),
    )


def message(notification):
    """Return the email for one notification, written from its templates."""
    context = email_context(notification)
    name = f"notifications/email/{notification.kind}"
    subject = render_to_string(f"{name}_subject.txt", context)
    body = render_to_string(f"{name}.txt", context).strip() + "\n"
    return EmailMessage(
        " ".join(subject.split()), body, to=[notification.recipient.email]
    )


def email_context(notification):
    """Return what the email templates say: the article, who did what, the
    comment and the links."""
    article = notification.article
    event = notification.transition or notification.approval
    if notification.transition:
        actor = _name_of(notification.transition.user)
        comment = notification.transition.comment
    else:
        actor = notification.approval.reviewer_name
        comment = notification.approval.comment
    version = (
        ArticleRevision.objects.filter(article=article, revision_id=event.revision_id)
        .values_list("number", flat=True)
        .first()
    )
    return {
        "name": display.person(notification.recipient),
        "article": article,
        "title": article.title,
        "actor": actor,
        "comment": comment.strip(),
        "version": version,
        "when": display.moment(event.created_at),
        "workspace_url": absolute(
            reverse("reviews:article", kwargs={"pk": article.pk})
        ),
        "edit_url": absolute(
            reverse("admin:articles_article_change", args=[article.pk])
        ),
        "page_url": absolute(article.get_absolute_url()),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "organisation_name": settings.INFOSITE["ORGANISATION_NAME"],
        "notification": notification,
    }


def _name_of(user):
    """Return the name a reviewer decides under, else the person's name."""
    reviewer = Reviewer.objects.filter(user=user).first() if user else None
    return reviewer.name if reviewer else display.person(user, nobody="Someone")
