"""The workflow's vocabulary: the states an article's content is in and the moves."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class Action(models.TextChoices):
    SUBMIT = "submit", "Sent for review"
    APPROVE = "approve", "Approved"
    REQUEST_CHANGES = "request_changes", "Changes requested"
    PUBLISH = "publish", "Published"
    SCHEDULE = "schedule", "Scheduled"
    UNPUBLISH = "unpublish", "Unpublished"
    CONFIRM_REVIEW = "confirm_review", "Review confirmed, no changes"
    APPROVE_RECORD = "approve_record", "Change to a shared record approved"
    CORRECT_DATES = "correct_dates", "Review dates corrected"
    CANCEL_SCHEDULE = "cancel_schedule", "Schedule cancelled"
    SET_EXPIRY = "set_expiry", "Unpublish date set"
    CLEAR_EXPIRY = "clear_expiry", "Unpublish date cleared"
