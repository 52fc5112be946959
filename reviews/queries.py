"""The lists the review pages show. Each is a QuerySet over the stored workflow
state (``ArticleQuerySet.with_state`` and friends): no list reads a revision."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import (
    Action,
    Approval,
    Article,
    ArticleRevision,
    PublishedPerson,
    PublishedReference,
    Reviewer,
    Transition,
)

from .models import ReviewRequest


def _last_move(**filters):
    return Transition.objects.filter(article=OuterRef("pk"), **filters).order_by(
        "-created_at", "-pk"
    )


def _listing(articles):
    return articles.with_state().select_related("topic", "owner", "published")


def awaiting_review(*, reviewer):
    """Return the articles in review that wait for this reviewer's decision.

    An article waits for the reviewers it was sent to, or for every reviewer when
    it was sent to nobody in particular, until the reviewer decides in that round.
    """
    last_submit = Subquery(_last_move(action=Action.SUBMIT).values("pk")[:1])
    requests = ReviewRequest.objects.filter(transition_id=OuterRef("last_submit_id"))
    return (
        _listing(Article.objects.in_review())
        .annotate(
            last_submit_id=last_submit,
            last_submitted_at=Subquery(
                _last_move(action=Action.SUBMIT).values("created_at")[:1]
            ),
            sent_to_anyone=Exists(requests),
            sent_to_reviewer=Exists(requests.filter(reviewer=reviewer)),
            decided=Exists(
                Approval.objects.filter(
                    round_id=OuterRef("last_submit_id"), reviewer=reviewer
                )
            ),
        )
        .filter(Q(sent_to_reviewer=True) | Q(sent_to_anyone=False), decided=False)
        .order_by("last_submitted_at", "title")
    )


def decisions_by(*, reviewer, limit=20):
    """Return the reviewer's latest decisions, newest first, with their articles."""
    return (
        Approval.objects.filter(reviewer=reviewer)
        .select_related("article")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class Baseline:
    """The version a reviewer's comparison starts from."""

    revision_id: int
    approval: Approval | None = None  # None: the live version


def comparison_baseline(*, article, decisions):
    """Return what to compare the current content with: the version the reviewer
    last approved or sent back (``decisions`` are theirs, newest first), else the
    live version, else None for an article never decided on nor published."""
    for approval in decisions:
        if approval.decision in {
            Approval.Decision.APPROVED,
            Approval.Decision.CHANGES_REQUESTED,
        }:
            return Baseline(approval.revision_id, approval)
    if article.is_live:
        return Baseline(article.live.revision_id)
    return None


def ready_to_publish():
    """Return the approved articles, soonest scheduled first, then by title."""
    return (
        _listing(Article.objects.approved())
        .select_related("scheduled_publication")
        .order_by(F("scheduled_publication__go_live_at").asc(nulls_last=True), "title")
    )


def _with_last_move(articles):
    return articles.annotate(
        last_action=Subquery(_last_move().values("action")[:1]),
        last_transition_id=Subquery(_last_move().values("pk")[:1]),
    )


def sent_back():
    """Return the drafts a reviewer sent back, with the request, newest first."""
    articles = list(
        _with_last_move(_listing(Article.objects.drafts()))
        .filter(last_action=Action.REQUEST_CHANGES)
        .order_by("-last_transition_id")
    )
    requests = Transition.objects.select_related("user").in_bulk(
        [article.last_transition_id for article in articles]
    )
    for article in articles:
        article.change_request = requests[article.last_transition_id]
    return articles


def drafts():
    """Return the drafts not sent back by a reviewer, including live articles
    edited since they were published, by title."""
    return (
        _with_last_move(_listing(Article.objects.drafts()))
        .filter(Q(last_action__isnull=True) | ~Q(last_action=Action.REQUEST_CHANGES))
        .order_by("title")
    )


def reviewers_with_accounts():
    """Return the reviewers who sign in to the site, who can be sent an article."""
    return Reviewer.objects.filter(user__isnull=False).order_by("kind", "name")


def history(*, article):
    """Return the article's workflow moves, oldest first, each with the
    ``version_number`` of the version it was about."""
    number = ArticleRevision.objects.filter(
        article=OuterRef("article"), revision=OuterRef("revision")
    ).values("number")[:1]
    return (
        article.transitions.select_related("user")
        .annotate(version_number=Subquery(number))
        .order_by("created_at", "pk")
    )


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


def reviews_due(*, on=None, within_days=None):
    """Return overdue articles and those due within ``within_days`` (by default the
    notice period), soonest first."""
    day = on or timezone.localdate()
    articles = (
        Article.objects.due_for_review(on=day, within_days=within_days)
        .select_related("owner")
        .order_by("next_review_on", "title")
    )
    return [Due(article, (article.next_review_on - day).days) for article in articles]


@dataclass(frozen=True)
class RecordChange:
    """A shared record (a reference or a reviewer) whose current version some live
    pages do not show yet: what they show, what it says now, how many pages."""

    record: object
    kind: str  # "reference" or "reviewer"
    shown: str
    now: str
    pages: int


def _describe(copy_or_record, kind):
    if kind == "reference":
        return strip_tags(copy_or_record.citation())
    name, credentials = copy_or_record
    return f"{name}, {credentials}" if credentials else name


def record_changes(*, article=None):
    """Return the shared records with changes readers do not see yet on some live
    page (on the article's, if given), each with how many live pages show them."""
    references = PublishedReference.objects.stale().select_related("reference")
    people = PublishedPerson.objects.stale().select_related("reviewer", "published")
    if article is not None:
        # Only the records this article's page shows old, counted over every page.
        references = references.filter(
            reference__in=references.filter(published__article=article).values(
                "reference"
            )
        )
        people = people.filter(
            reviewer__in=people.filter(published__article=article).values("reviewer")
        )
    found = []
    for kind, copies in (("reference", references), ("reviewer", people)):
        by_record = {}
        for copy in copies.order_by("pk"):
            by_record.setdefault(getattr(copy, kind + "_id"), []).append(copy)
        for copies_of_one in by_record.values():
            first = copies_of_one[0]
            record = getattr(first, kind)
            if kind == "reference":
                shown, now = _describe(first, kind), _describe(record, kind)
            else:
                credit = next(
                    (
                        c
                        for c in first.published.credits
                        if c["reviewer"] == record.pk
                        and c["fingerprint"] == first.fingerprint
                    ),
                    {"name": "", "credentials": ""},
                )
                shown = _describe((credit["name"], credit["credentials"]), kind)
                now = _describe((record.name, record.credentials), kind)
            pages = len({copy.published_id for copy in copies_of_one})
            found.append(RecordChange(record, kind, shown, now, pages))
    return found
