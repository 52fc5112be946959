"""Workflow moves and decisions write their notifications as they are recorded;
the emails go once the move's transaction has committed."""

from django.db.models.signals import post_save

from articles.models import Approval, Transition
from reviews.models import ReviewRequest

from . import events, sending


def transition_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        sending.send_after_commit(events.for_transition(instance))


def review_requested(sender, instance, created, raw=False, **kwargs):
    # A submission names its reviewers just after its move is recorded.
    if created and not raw:
        sending.send_after_commit(events.for_transition(instance.transition))


def decision_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        sending.send_after_commit(events.for_approval(instance))


def connect():
    post_save.connect(
        transition_recorded, sender=Transition, dispatch_uid="notifications.move"
    )
    post_save.connect(
        review_requested, sender=ReviewRequest, dispatch_uid="notifications.request"
    )
    post_save.connect(
        decision_recorded, sender=Approval, dispatch_uid="notifications.decision"
    )
