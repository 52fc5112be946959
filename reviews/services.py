"""Review and publishing use cases: they join reviewers' decisions to the workflow."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from articles import revisions, workflow
from articles.workflow import TransitionError

from .models import Approval, Reviewer, ReviewRequest

DEFAULT_POLICY = {Reviewer.Kind.CLINICAL: 1, Reviewer.Kind.LIVED_EXPERIENCE: 1}

KIND_NAMES = {
    Reviewer.Kind.CLINICAL: ("a clinical expert", "clinical experts"),
    Reviewer.Kind.LIVED_EXPERIENCE: (
        "a person with lived experience",
        "people with lived experience",
    ),
    Reviewer.Kind.EDITORIAL: ("the editorial team", "members of the editorial team"),
}


def publishing_policy():
    """Return {reviewer kind: approvals needed} from settings."""
    return settings.INFOSITE.get("PUBLISHING_POLICY") or DEFAULT_POLICY


@dataclass(frozen=True)
class ApprovalStatus:
    """A reviewer's decision, and whether the article's content is still what
    they decided on."""

    approval: Approval
    is_current: bool
    current_revision_id: int | None = None

    @property
    def is_stale(self):
        return not self.is_current


def approvals_with_status(article, *, current=None):
    """Return every decision on the article, newest first, marked current or stale."""
    current = current or revisions.current_revision(article)
    decisions = article.approvals.select_related("reviewer", "revision")
    return [
        ApprovalStatus(
            approval,
            current is not None
            and workflow.same_content(article, approval.revision_id, current.pk),
        )
        for approval in decisions
    ]


def counting_approvals(
    article, revision, *, decision=Approval.Decision.APPROVED, since=None
):
    """Return the approvals that count for ``revision``: each reviewer's latest
    decision on the same content, when that decision is ``decision``."""
    latest = {}
    decisions = article.approvals.select_related("reviewer").order_by(
        "created_at", "pk"
    )
    if since is not None:
        decisions = decisions.filter(created_at__gt=since)
    for approval in decisions:
        if workflow.same_content(article, approval.revision_id, revision.pk):
            latest[approval.reviewer_id] = approval
    return [a for a in latest.values() if a.decision == decision]


def missing_approvals(article, revision, **kwargs):
    """Return sentences naming the approvals the policy still needs, if any."""
    approvals = counting_approvals(article, revision, **kwargs)
    missing = []
    for kind, needed in publishing_policy().items():
        have = sum(1 for a in approvals if a.reviewer.kind == kind)
        if have < needed:
            one, many = KIND_NAMES[Reviewer.Kind(kind)]
            short = needed - have
            missing.append(
                f"{short} approval from {one}"
                if short == 1
                else f"{short} approvals from {many}"
            )
    return missing


def _missing_message(missing, verb="publish"):
    return (
        f"This revision cannot {verb} yet. It still needs "
        + " and ".join(missing)
        + "."
    )


def _reviewer_for(user):
    reviewer = getattr(user, "reviewer_profile", None)
    if reviewer is None:
        raise TransitionError(
            "Your account is not linked to a reviewer. Ask an editor to link it under "
            "Reviewers before you record a decision."
        )
    return reviewer


def _require_current(article, revision):
    current = revisions.current_revision(article)
    if current is None or not workflow.same_content(article, revision.pk, current.pk):
        raise TransitionError(
            "This article has changed since that version. Open the latest version, "
            "check what changed, and record your decision on it."
        )
    return current


def _edited_by(article, user):
    """Return True if ``user`` saved any change under review (since the live page)."""
    under_review = revisions.revisions_of(article)
    if article.live_revision_id:
        under_review = under_review.filter(pk__gt=article.live_revision_id)
    return under_review.filter(user=user).exists()


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
    """Record an approval of one exact revision; mark the article approved when
    the publishing policy is met."""
    with transaction.atomic():
        workflow.require_permission(workflow.Action.APPROVE, by=by)
        reviewer = _reviewer_for(by)
        _require_current(article, revision)
        workflow.check(article, workflow.Action.APPROVE, by=by, current=revision)
        if _edited_by(article, by):
            raise TransitionError(
                "You made some of the changes under review, so you cannot approve them. "
                "Ask another reviewer."
            )
        if any(
            a.reviewer_id == reviewer.pk for a in counting_approvals(article, revision)
        ):
            raise TransitionError("You have already approved this version.")
        approval = Approval.objects.create(
            article=article,
            revision=revision,
            reviewer=reviewer,
            decision=Approval.Decision.APPROVED,
            comment=comment,
        )
        if not missing_approvals(article, revision):
            workflow.approve(article, by=by, revision=revision, comment=comment)
    return approval


def request_changes(*, article, revision, by, comment):
    """Record a request for changes and send the article back to draft."""
    if not comment.strip():
        raise TransitionError(
            "Say what needs to change, so the editor knows what to do."
        )
    with transaction.atomic():
        workflow.require_permission(workflow.Action.REQUEST_CHANGES, by=by)
        reviewer = _reviewer_for(by)
        _require_current(article, revision)
        workflow.check(
            article, workflow.Action.REQUEST_CHANGES, by=by, current=revision
        )
        approval = Approval.objects.create(
            article=article,
            revision=revision,
            reviewer=reviewer,
            decision=Approval.Decision.CHANGES_REQUESTED,
            comment=comment,
        )
        workflow.request_changes(article, by=by, revision=revision, comment=comment)
    return approval


def confirm_still_accurate(*, article, by, comment=""):
    """Record a reviewer's confirmation that the live page needs no change; when the
    policy's reviewers have all confirmed, the review dates start again."""
    with transaction.atomic():
        workflow.require_permission(workflow.Action.CONFIRM_REVIEW, by=by)
        reviewer = _reviewer_for(by)
        current = revisions.current_revision(article)
        workflow.check(article, workflow.Action.CONFIRM_REVIEW, by=by, current=current)
        approval = Approval.objects.create(
            article=article,
            revision=article.live_revision,
            reviewer=reviewer,
            decision=Approval.Decision.CONFIRMED,
            comment=comment,
        )
        since = workflow.last_full_review_at(article)
        if not missing_approvals(
            article,
            article.live_revision,
            decision=Approval.Decision.CONFIRMED,
            since=since,
        ):
            workflow.confirm_review(article, by=by, comment="All reviewers confirmed")
    return approval


def missing_confirmations(article):
    if not article.live_revision_id:
        return []
    return missing_approvals(
        article,
        article.live_revision,
        decision=Approval.Decision.CONFIRMED,
        since=workflow.last_full_review_at(article),
    )


def _approved_current(article, action, *, by, verb, done):
    """Return the current revision once ``by`` holds the role and the policy is met."""
    workflow.require_permission(action, by=by)
    current = revisions.current_revision(article)
    if current is None:
        raise TransitionError(f"This article has no saved version to {verb}.")
    missing = missing_approvals(article, current)
    if missing:
        raise TransitionError(_missing_message(missing, f"be {done}"))
    return current


def publish(*, article, by, is_full_review=True, comment=""):
    """Publish the current revision, if the approvals the policy names are in place."""
    with transaction.atomic():
        current = _approved_current(
            article, workflow.Action.PUBLISH, by=by, verb="publish", done="published"
        )
        return workflow.publish(
            article,
            by=by,
            revision=current,
            is_full_review=is_full_review,
            comment=comment,
        )


def schedule(*, article, by, go_live_at, is_full_review=True, comment=""):
    """Schedule the current approved revision to go live later."""
    with transaction.atomic():
        _approved_current(
            article, workflow.Action.SCHEDULE, by=by, verb="schedule", done="scheduled"
        )
        return workflow.schedule(
            article,
            by=by,
            go_live_at=go_live_at,
            is_full_review=is_full_review,
            comment=comment,
        )
