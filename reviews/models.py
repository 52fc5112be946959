"""The people who write, review and approve articles, and the credits shown to readers."""

import reversion
from django.conf import settings
from django.db import models
from django.utils import timezone
from reversion.models import Revision

from articles.models import Article


@reversion.register()
class Reviewer(models.Model):
    class Kind(models.TextChoices):
        CLINICAL = "clinical", "Clinical expert"
        LIVED_EXPERIENCE = "lived_experience", "Person with lived experience"
        EDITORIAL = "editorial", "Editorial team"

    name = models.CharField(
        max_length=150,
        help_text='As readers should see it, for example "Dr Amina Shah".',
    )
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text='Their role or qualifications, for example "Consultant Medical Oncologist". '
        "For people with lived experience, leave empty or describe their experience as "
        "they agreed.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        help_text="Publishing needs approval from the kinds of reviewer the policy names.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewer_profile",
        help_text="The sign-in account this reviewer uses, if they review on the site.",
    )
    is_sample = models.BooleanField(
        "sample person",
        default=False,
        help_text="Tick for invented people used in demonstration content. Readers see "
        '"(sample reviewer)" after their name.',
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Credit(models.Model):
    class Role(models.TextChoices):
        WROTE = "wrote", "Written by"
        REVIEWED = "reviewed", "Reviewed by"
        APPROVED = "approved", "Approved by"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="credits"
    )
    reviewer = models.ForeignKey(
        Reviewer,
        on_delete=models.PROTECT,
        related_name="credits",
        help_text="Add the person first under Reviewers if they are not in the list.",
    )
    role = models.CharField(max_length=10, choices=Role)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reviewer", "role"],
                name="credit_once_per_role",
                violation_error_message="This person is already credited in this role.",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.reviewer}"


reversion.register(Credit, follow=["article"])


class ReviewRequest(models.Model):
    """An article sent to one reviewer when an editor submits it for review."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="review_requests"
    )
    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.CASCADE, related_name="review_requests"
    )
    transition = models.ForeignKey(
        "articles.Transition", on_delete=models.CASCADE, related_name="review_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transition", "reviewer"], name="review_request_once"
            ),
        ]

    def __str__(self):
        return f"{self.article} sent to {self.reviewer.name}"


class Approval(models.Model):
    """A reviewer's decision on one exact revision of an article."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        CONFIRMED = "confirmed", "Confirmed still accurate"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="approvals"
    )
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.PROTECT, related_name="approvals"
    )
    decision = models.CharField(max_length=20, choices=Decision)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_decision_display()} by {self.reviewer.name}"


class ReviewReminder(models.Model):
    """A reminder that an article's review is due, recorded once it has been sent."""

    class Stage(models.TextChoices):
        NINETY_DAYS = "90", "90 days before"
        THIRTY_DAYS = "30", "30 days before"
        SEVEN_DAYS = "7", "7 days before"
        OVERDUE = "overdue", "Overdue"
        ESCALATED = "escalated", "Overdue by more than 30 days, sent to publishers"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="review_reminders"
    )
    due_on = models.DateField(
        help_text="The next review date the reminder was about. A new review date "
        "starts a new series of reminders."
    )
    stage = models.CharField(max_length=10, choices=Stage)
    sent_to = models.TextField(
        help_text="The addresses the reminder went to, separated by commas."
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "due_on", "stage"],
                name="review_reminder_once",
                violation_error_message="This reminder has already been sent.",
            ),
        ]

    def __str__(self):
        return f"{self.article}: {self.get_stage_display()} ({self.due_on})"
