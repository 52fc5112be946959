"""The review process people see: who an article was sent to, and the reminders sent
about reviews that are due. Reviewers, credits and decisions are provenance and
belong to ``articles``."""

from django.db import models
from django.utils import timezone

from articles.models import Article, Reviewer, Transition


class ReviewRequest(models.Model):
    """An article sent to one reviewer when an editor submits it for review."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="review_requests"
    )
    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.CASCADE, related_name="review_requests"
    )
    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="review_requests"
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
