"""The record of what happened to an article: its saved versions, workflow moves,
reviewers' decisions and schedules. Records outlive the article they are about."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import Action, State
from .people import Reviewer

# Audit rows keep their article's id after the article is deleted, as evidence.
_KEPT_AFTER_DELETE = {"on_delete": models.DO_NOTHING, "db_constraint": False}


class ArticleRevision(models.Model):
    """One saved version of an article: its number and a fingerprint of its content.

    Written once per save, when the revision is recorded; never changed after.
    """

    article = models.ForeignKey(
        "articles.Article", related_name="versions", **_KEPT_AFTER_DELETE
    )
    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.CASCADE, related_name="article_versions"
    )
    number = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "revision"], name="article_revision_once"
            ),
            models.UniqueConstraint(
                fields=["article", "number"], name="article_revision_number_once"
            ),
        ]

    def __str__(self):
        return f"Version {self.number}"


class Transition(models.Model):
    """One step of an article's editorial workflow, kept as a permanent record."""

    article = models.ForeignKey(
        "articles.Article", related_name="transitions", **_KEPT_AFTER_DELETE
    )
    revision = models.ForeignKey(
        "reversion.Revision", null=True, on_delete=models.PROTECT, related_name="+"
    )
    fingerprint = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=20, choices=Action)
    from_state = models.CharField(max_length=20, choices=State)
    to_state = models.CharField(max_length=20, choices=State)
    is_full_review = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="article_transitions",
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # True on a move the clock made at the time a publisher chose (a scheduled
    # go-live, an unpublish date), set by the workflow for those told of the move
    # as it is recorded (notifications). Not stored: the move's comment says it
    # in the history.
    is_by_the_clock = False

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self):
        return f"{self.article_id}: {self.from_state} → {self.to_state}"


class ApprovalQuerySet(models.QuerySet):
    def latest_per_reviewer(self):
        """Return each reviewer's latest decision among these, oldest first."""
        latest = {}
        for approval in self.order_by("created_at", "pk"):
            latest[approval.reviewer_id] = approval
        return list(latest.values())


class Approval(models.Model):
    """A reviewer's decision on one exact version of an article.

    The reviewer's name, credentials and kind are stored as they were when they
    decided: a later change to the reviewer never rewrites a past decision.
    """

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        CONFIRMED = "confirmed", "Confirmed still accurate"

    article = models.ForeignKey(
        "articles.Article", related_name="approvals", **_KEPT_AFTER_DELETE
    )
    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.PROTECT, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    # The move that opened the round this decision belongs to: the submission
    # for review, or for a confirmation the last publication or confirmation.
    round = models.ForeignKey(
        Transition, on_delete=models.PROTECT, related_name="decisions"
    )
    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.PROTECT, related_name="approvals"
    )
    reviewer_name = models.CharField(max_length=150)
    reviewer_credentials = models.CharField(max_length=200, blank=True)
    reviewer_kind = models.CharField(max_length=20, choices=Reviewer.Kind)
    reviewer_is_sample = models.BooleanField(default=False)
    decision = models.CharField(max_length=20, choices=Decision)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        db_table = "reviews_approval"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "reviewer", "decision"],
                name="approval_once_per_round",
                violation_error_message="This decision is already recorded.",
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()} by {self.reviewer_name}"

    @property
    def is_current(self):
        """Return True while the article's content is what this decision was on."""
        return self.fingerprint == self.article.content_fingerprint


class ScheduledPublication(models.Model):
    """An approved revision waiting to go live at a set time."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="scheduled_publication",
    )
    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.PROTECT, related_name="+"
    )
    fingerprint = models.CharField(max_length=64, blank=True)
    go_live_at = models.DateTimeField()
    is_full_review = models.BooleanField(default=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["go_live_at"]

    def __str__(self):
        return f"{self.article} at {self.go_live_at:%Y-%m-%d %H:%M}"


class ScheduledUnpublication(models.Model):
    """When a live article comes off the public site by itself (its expiry date)."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="scheduled_unpublication",
    )
    unpublish_at = models.DateTimeField()
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unpublish_at"]

    def __str__(self):
        return f"{self.article} off at {self.unpublish_at:%Y-%m-%d %H:%M}"
