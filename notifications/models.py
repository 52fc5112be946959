"""Email notifications about workflow moves: the outbox of emails to send, and the
kinds of email each person has turned off."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Approval, Article, Transition


class Kind(models.TextChoices):
    """What an email is about. Each person can turn each kind off."""

    REVIEW_REQUESTED = "review_requested", "An article is sent to me for review"
    CHANGES_REQUESTED = "changes_requested", "A reviewer asks for changes to my article"
    APPROVAL = "approval", "A reviewer approves my article"
    APPROVED = "approved", "My article has all the approvals it needs"
    PUBLISHED = "published", "An article I own or reviewed is published"
    WENT_LIVE = "went_live", "A scheduled article I own or reviewed goes live"
    UNPUBLISHED = "unpublished", "An article I own or reviewed is taken down"


class NotificationQuerySet(models.QuerySet):
    def unsent(self):
        """Return the notifications not sent yet, oldest first."""
        return self.filter(sent_at__isnull=True).order_by("created_at", "pk")


class Notification(models.Model):
    """One email to one person about one workflow move or decision.

    Written in the same transaction as the move, so a move that is undone sends
    nothing; sent once that transaction has committed, and retried by
    ``send_notifications`` until it has gone.
    """

    kind = models.CharField(max_length=20, choices=Kind)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="notifications"
    )
    # What happened: a workflow move, or a reviewer's decision.
    transition = models.ForeignKey(
        Transition,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    approval = models.ForeignKey(
        Approval,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(
        blank=True, help_text="The address the email went to, once sent."
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(
        blank=True, help_text="Why the last try to send it failed, if it did."
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(transition__isnull=False, approval__isnull=True)
                | Q(transition__isnull=True, approval__isnull=False),
                name="notification_about_one_event",
            ),
            models.UniqueConstraint(
                fields=["transition", "recipient", "kind"],
                condition=Q(transition__isnull=False),
                name="notification_once_per_move",
            ),
            models.UniqueConstraint(
                fields=["approval", "recipient", "kind"],
                condition=Q(approval__isnull=False),
                name="notification_once_per_decision",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.recipient} ({self.article_id})"

    @property
    def is_sent(self):
        return self.sent_at is not None


class OptOut(models.Model):
    """A kind of email one person has asked not to get."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_opt_out_once"
            ),
        ]

    def __str__(self):
        return f"{self.user}: no emails for “{self.get_kind_display()}”"
