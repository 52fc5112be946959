"""Review use cases as the review pages call them. The rule itself (roles, states,
the publishing policy) is ``articles.workflow``; this adds what belongs to the
review process, such as which reviewers an article is sent to."""

from django.db import transaction

from articles import workflow

from .models import ReviewRequest


def submit(*, article, by, reviewers=(), comment=""):
    """Send the current draft for review to the chosen reviewers."""
    with transaction.atomic():
        transition = workflow.submit_for_review(article, by=by, comment=comment)
        for reviewer in reviewers:
            ReviewRequest.objects.create(
                article=article, reviewer=reviewer, transition=transition
            )
    return transition


def approve(*, article, revision, by, comment=""):
    """Record an approval of one exact revision."""
    return workflow.approve(article, by=by, revision=revision, comment=comment)


def request_changes(*, article, revision, by, comment):
    """Record a request for changes and send the article back to draft."""
    return workflow.request_changes(article, by=by, revision=revision, comment=comment)


def confirm_still_accurate(*, article, by, comment=""):
    """Record a reviewer's confirmation that the live page needs no change."""
    return workflow.confirm_review(article, by=by, comment=comment)


def publish(
    *, article, by, is_full_review=True, full_review_not_needed=False, comment=""
):
    """Publish the current version, if the approvals the policy names are in place."""
    return workflow.publish(
        article,
        by=by,
        is_full_review=is_full_review,
        full_review_not_needed=full_review_not_needed,
        comment=comment,
    )


def schedule(
    *,
    article,
    by,
    go_live_at,
    is_full_review=True,
    full_review_not_needed=False,
    comment="",
):
    """Schedule the current approved version to go live later."""
    return workflow.schedule(
        article,
        by=by,
        go_live_at=go_live_at,
        is_full_review=is_full_review,
        full_review_not_needed=full_review_not_needed,
        comment=comment,
    )


def unpublish(*, article, by, comment):
    """Take the article off the public site."""
    return workflow.unpublish(article, by=by, comment=comment)
