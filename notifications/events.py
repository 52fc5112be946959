"""Who is told about each workflow move and decision.

The rows are written in the move's own transaction: a move that is refused or
rolled back leaves none, and so sends nothing.
"""

from articles.models import Action, Approval, Reviewer, Transition
from reviews.models import ReviewRequest

from .models import Kind, Notification, OptOut

KIND_OF_MOVE = {
    Action.SUBMIT: Kind.REVIEW_REQUESTED,
    Action.REQUEST_CHANGES: Kind.CHANGES_REQUESTED,
    Action.APPROVE: Kind.APPROVED,
    Action.PUBLISH: Kind.PUBLISHED,
    Action.UNPUBLISH: Kind.UNPUBLISHED,
}
# Kinds told to the article's reviewers as well as its owner.
TO_REVIEWERS_TOO = {Kind.PUBLISHED, Kind.WENT_LIVE, Kind.UNPUBLISHED}


def kind_of(transition):
    """Return the kind of email a move sends, or None for moves that send none."""
    kind = KIND_OF_MOVE.get(transition.action)
    if kind == Kind.PUBLISHED and transition.is_by_the_clock:
        return Kind.WENT_LIVE
    return kind


def for_transition(transition):
    """Write the notifications a workflow move sends; return the new ones."""
    kind = kind_of(transition)
    # Trusted imports record their moves without a person: nobody is told.
    if kind is None or transition.user_id is None:
        return []
    article = transition.article
    if kind == Kind.REVIEW_REQUESTED:
        people = reviewers_asked(transition)
    else:
        people = [article.owner]
        if kind in TO_REVIEWERS_TOO:
            people += round_reviewers(transition)
    # A move the clock made (a scheduled publication, an unpublish date) is news
    # to the publisher who set it up, too. The workflow marks such moves, so a
    # person's own move is never taken for one by its comment.
    by_the_clock = transition.is_by_the_clock
    if by_the_clock:
        people.append(transition.user)
    actor = None if by_the_clock else transition.user
    wanted = recipients(people, kind=kind, actor=actor)
    if kind == Kind.REVIEW_REQUESTED:
        # The reviewers named after the move was recorded replace "everyone".
        Notification.objects.filter(
            transition=transition, kind=kind, sent_at__isnull=True
        ).exclude(recipient__in=wanted).delete()
    return _write(wanted, kind=kind, article=article, transition=transition)


def for_approval(approval):
    """Write the notification of a reviewer's approval to the article's owner."""
    if approval.decision != Approval.Decision.APPROVED:
        return []  # changes requested are told through the move they make
    if approval.round.user_id is None:
        return []  # recorded by a trusted import
    wanted = recipients(
        [approval.article.owner], kind=Kind.APPROVAL, actor=approval.reviewer.user
    )
    return _write(
        wanted, kind=Kind.APPROVAL, article=approval.article, approval=approval
    )


def reviewers_asked(transition):
    """Return the accounts of the reviewers a submission was sent to: those
    named, or every reviewer who signs in when it was sent to nobody in
    particular."""
    reviewers = Reviewer.objects.filter(user__isnull=False).select_related("user")
    named = ReviewRequest.objects.filter(transition=transition)
    if named.exists():
        reviewers = reviewers.filter(review_requests__transition=transition)
    return [reviewer.user for reviewer in reviewers]


def round_reviewers(transition):
    """Return the accounts of the reviewers in the article's current round: those
    it was last sent to, and those who decided on it."""
    round = (
        Transition.objects.filter(
            article_id=transition.article_id, action=Action.SUBMIT
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if round is None:
        return []
    asked = Reviewer.objects.filter(review_requests__transition=round)
    decided = Reviewer.objects.filter(approvals__round=round)
    reviewers = (asked | decided).filter(user__isnull=False).select_related("user")
    return [reviewer.user for reviewer in reviewers.distinct()]


def can_be_emailed(user):
    """Return True if ``user`` is an active account with an email address."""
    return bool(user is not None and user.is_active and user.email)


def why_not_now(notification):
    """Return why a notification waiting to be sent should no longer go (its
    recipient turned this kind off, or cannot be emailed now), or None."""
    user = notification.recipient
    if not can_be_emailed(user):
        return "their account has no email address now, or is inactive"
    if OptOut.objects.filter(user=user, kind=notification.kind).exists():
        return "they have turned this kind of email off"
    return None


def recipients(people, *, kind, actor=None):
    """Return the people to tell, each once: those who can be emailed, have not
    turned this kind off, and did not make the move themselves."""
    found = {}
    for user in people:
        if can_be_emailed(user) and (actor is None or user.pk != actor.pk):
            found[user.pk] = user
    opted_out = set(
        OptOut.objects.filter(user__in=list(found), kind=kind).values_list(
            "user_id", flat=True
        )
    )
    return [user for pk, user in found.items() if pk not in opted_out]


def _write(people, *, kind, article, transition=None, approval=None):
    event = {"transition": transition} if transition else {"approval": approval}
    already = set(
        Notification.objects.filter(kind=kind, **event).values_list(
            "recipient_id", flat=True
        )
    )
    return [
        Notification.objects.create(kind=kind, article=article, recipient=user, **event)
        for user in people
        if user.pk not in already
    ]
