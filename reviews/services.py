"""Review use cases as the review pages call them. The rule itself (roles, states,
the publishing policy) is ``articles.workflow``; this adds what belongs to the
review process, such as which reviewers an article is sent to."""

import reversion
from django.db import transaction

from articles import display, workflow
from articles.models import Article
from articles.models.content import OWNER_NOT_STAFF

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


CHOOSE_OWNER = ("articles.change_article", "articles.publish_article")


def may_choose_owner(user):
    """Return True if ``user`` may choose who owns an article: editors and publishers."""
    return any(user.has_perm(name) for name in CHOOSE_OWNER)


def change_owner(*, article, owner, by):
    """Make ``owner`` (a member of staff, or None for nobody) responsible for the
    article. The owner is not reviewed content: the change is kept in the
    article's history as a save, and its workflow state stays as it is."""
    if not may_choose_owner(by):
        raise workflow.TransitionError(
            "You do not have permission for this: it needs an editor or a publisher."
        )
    if owner is not None and not owner.is_staff:
        raise workflow.TransitionError(
            OWNER_NOT_STAFF.format(name=display.person(owner))
        )
    name = display.person(owner, nobody="nobody")
    with transaction.atomic(), reversion.create_revision():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.owner_id == (owner.pk if owner else None):
            raise workflow.TransitionError(f"The owner is {name} already.")
        reversion.set_user(by)
        reversion.set_comment(f"Owner changed to {name}")
        article.owner = owner
        article.save(update_fields=["owner", "updated_at"])
    return article
