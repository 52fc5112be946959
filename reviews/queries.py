"""The lists the review pages show: each asks the database once, then checks little.

An article's workflow state belongs to its current content (see
``articles.workflow``): it is the state its last move led to, unless the content
has changed since, which puts it back to draft. The lists below first narrow
the articles with one query on their last move and current revision, and only
compare the content of revisions for those saved again since their last move.
"""

from dataclasses import dataclass

from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from reversion.models import Version

from articles import workflow
from articles.models import Article, Transition
from articles.workflow import Action, State

from .models import Approval, Reviewer, ReviewRequest
from .services import ApprovalStatus


def _current_revision_id(article_ref):
    """Return a subquery: the id of the latest revision that holds the article."""
    return Subquery(
        Version.objects.get_for_model(Article)
        .filter(object_id=Cast(article_ref, output_field=CharField()))
        .order_by("-revision_id")
        .values("revision_id")[:1]
    )


def with_workflow_position(*, articles=None):
    """Return articles annotated with their last move, last submission and current
    revision id, from which the lists below read each state."""
    articles = Article.objects.all() if articles is None else articles
    moves = Transition.objects.filter(article=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    submissions = moves.filter(action=Action.SUBMIT)
    return articles.annotate(
        last_to_state=Subquery(moves.values("to_state")[:1]),
        last_action=Subquery(moves.values("action")[:1]),
        last_revision_id=Subquery(moves.values("revision_id")[:1]),
        last_transition_id=Subquery(moves.values("pk")[:1]),
        last_submit_id=Subquery(submissions.values("pk")[:1]),
        last_submitted_at=Subquery(submissions.values("created_at")[:1]),
        current_revision_id=_current_revision_id(OuterRef("pk")),
    )


def _state_of_listed(article):
    """Return the workflow state of an article from ``with_workflow_position``."""
    return workflow.state_after(
        article,
        last_state=article.last_to_state,
        last_revision_id=article.last_revision_id,
        current_revision_id=article.current_revision_id,
    )


def _in_state(articles, state):
    listed = []
    for article in articles:
        article.state = _state_of_listed(article)
        if article.state == state:
            listed.append(article)
    return listed


def _listing(articles):
    return with_workflow_position(articles=articles).select_related("topic", "owner")


def awaiting_review(*, reviewer):
    """Return the articles in review that wait for this reviewer's decision.

    An article waits for the reviewers it was sent to, or for every reviewer when
    it was sent to nobody in particular. It stops waiting once the reviewer has
    approved its current content, or decided on it since it was last sent.
    """
    requests = ReviewRequest.objects.filter(transition_id=OuterRef("last_submit_id"))
    candidates = (
        _listing(Article.objects.all())
        .filter(last_to_state=State.IN_REVIEW)
        .annotate(
            sent_to_anyone=Exists(requests),
            sent_to_reviewer=Exists(requests.filter(reviewer=reviewer)),
        )
        .filter(Q(sent_to_reviewer=True) | Q(sent_to_anyone=False))
        .order_by("last_submitted_at", "title")
    )
    articles = _in_state(candidates, State.IN_REVIEW)
    decisions = {}
    for approval in Approval.objects.filter(
        reviewer=reviewer, article__in=[article.pk for article in articles]
    ).order_by("created_at", "pk"):
        decisions.setdefault(approval.article_id, []).append(approval)
    return [
        article
        for article in articles
        if not _has_decided(article, decisions.get(article.pk, []))
    ]


def _has_decided(article, decisions):
    on_current = [
        approval
        for approval in decisions
        if workflow.same_content(
            article, approval.revision_id, article.current_revision_id
        )
    ]
    if not on_current:
        return False
    latest = on_current[-1]
    return latest.decision == Approval.Decision.APPROVED or (
        article.last_submitted_at is not None
        and latest.created_at > article.last_submitted_at
    )


def decisions_by(*, reviewer, limit=20):
    """Return the reviewer's latest decisions, newest first, marked current or stale."""
    approvals = (
        Approval.objects.filter(reviewer=reviewer)
        .select_related("article")
        .annotate(current_revision_id=_current_revision_id(OuterRef("article_id")))
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        ApprovalStatus(
            approval,
            is_current=approval.current_revision_id is not None
            and workflow.same_content(
                approval.article,
                approval.revision_id,
                approval.current_revision_id,
            ),
            current_revision_id=approval.current_revision_id,
        )
        for approval in approvals
    ]


@dataclass(frozen=True)
class Baseline:
    """The version a reviewer's comparison starts from."""

    revision_id: int
    approval: Approval | None = None  # None: the live version


def comparison_baseline(*, article, decisions):
    """Return what to compare the current content with: the version the reviewer
    last approved (``decisions`` are theirs, newest first), else the live version,
    else None for an article never approved nor published."""
    for status in decisions:
        if status.approval.decision == Approval.Decision.APPROVED:
            return Baseline(status.approval.revision_id, status.approval)
    if article.live_revision_id:
        return Baseline(article.live_revision_id)
    return None


def ready_to_publish():
    """Return the approved articles, soonest scheduled first, then by title."""
    candidates = (
        _listing(Article.objects.all())
        .filter(last_to_state=State.APPROVED)
        .select_related("scheduled_publication")
        .order_by(F("scheduled_publication__go_live_at").asc(nulls_last=True), "title")
    )
    return _in_state(candidates, State.APPROVED)


def sent_back():
    """Return the drafts a reviewer sent back, with the request, newest first."""
    articles = list(
        _listing(Article.objects.all())
        .filter(last_action=Action.REQUEST_CHANGES)
        .order_by("-last_transition_id")
    )
    requests = Transition.objects.select_related("user").in_bulk(
        [article.last_transition_id for article in articles]
    )
    for article in articles:
        article.state = State.DRAFT
        article.change_request = requests[article.last_transition_id]
    return articles


def drafts():
    """Return the drafts not sent back by a reviewer, including live articles
    edited since they were published, by title."""
    never_moved = Q(last_transition_id__isnull=True)
    candidates = (
        _listing(Article.objects.all())
        .filter(
            never_moved
            | Q(last_to_state=State.DRAFT)
            | Q(last_revision_id__isnull=True)
            | ~Q(current_revision_id=F("last_revision_id"))
        )
        # Comparisons with NULL are never true, so articles never moved are kept
        # explicitly.
        .filter(never_moved | ~Q(last_action=Action.REQUEST_CHANGES))
        .order_by("title")
    )
    return _in_state(candidates, State.DRAFT)


def reviewers_with_accounts():
    """Return the reviewers who sign in to the site, who can be sent an article."""
    return Reviewer.objects.filter(user__isnull=False).order_by("kind", "name")


def history(*, article):
    """Return the article's workflow moves, oldest first, with their labels."""
    moves = list(
        article.transitions.select_related("user").order_by("created_at", "pk")
    )
    for move in moves:
        move.action_label = _label(Action, move.action)
        move.from_label = _label(State, move.from_state)
        move.to_label = _label(State, move.to_state)
    return moves


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


@dataclass(frozen=True)
class Due:
    article: Article
    days_left: int

    @property
    def days_overdue(self):
        return -self.days_left

    @property
    def is_overdue(self):
        return self.days_left < 0


def reviews_due(*, on=None, within_days=90):
    """Return overdue articles and those due within ``within_days``, soonest first."""
    day = on or timezone.localdate()
    articles = (
        Article.objects.due_for_review(on=day, within_days=within_days)
        .select_related("owner")
        .order_by("next_review_on", "title")
    )
    return [Due(article, (article.next_review_on - day).days) for article in articles]
