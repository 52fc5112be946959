"""The editors' home in the admin: their drafts, what reviewers sent back to them,
what is in review and with whom, what is scheduled and which reviews are due.

Built once per request, like ``reviews.workspace.Workspace``, in a fixed number
of queries however many articles there are.
"""

from dataclasses import dataclass, fields

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from articles import workflow
from articles.models import Action, Approval, Article, ScheduledPublication, Transition

from . import queries
from .models import ReviewRequest

PANEL_SIZE = 10
VIEW = "articles.view_article"


def _last_move(field, **filters):
    return Subquery(
        Transition.objects.filter(article=OuterRef("pk"), **filters)
        .order_by("-created_at", "-pk")
        .values(field)[:1]
    )


def with_round(articles):
    """Annotate each article with its current review round: the last time it was
    sent for review (``round_id``, ``sent_at``)."""
    return articles.annotate(
        round_id=_last_move("pk", action=Action.SUBMIT),
        sent_at=_last_move("created_at", action=Action.SUBMIT),
    )


@dataclass
class Round:
    """Who an article was sent to in its current review round and who decided."""

    article: Article
    asked: list  # the reviewers it was sent to; empty when sent to any reviewer
    decisions: list  # each reviewer's latest decision in the round, newest first

    @property
    def current_decisions(self):
        """Return the decisions on the article's content as it is now."""
        fingerprint = self.article.content_fingerprint
        return [d for d in self.decisions if d.fingerprint == fingerprint]

    @property
    def waiting(self):
        """Return the reviewers asked who have not decided on the current content."""
        decided = {d.reviewer_id for d in self.current_decisions}
        return [r for r in self.asked if r.pk not in decided]

    @property
    def missing(self):
        """Return what the publishing policy still needs, in words."""
        return workflow.missing_approvals(
            [
                d
                for d in self.current_decisions
                if d.decision == Approval.Decision.APPROVED
            ],
            article=self.article,
        )

    def to_review_again(self):
        """Return the names of the reviewers who decided on the current content
        or are still asked to: a content change needs their review again."""
        names = {d.reviewer_id: d.reviewer_name for d in self.current_decisions}
        for reviewer in self.asked:
            names.setdefault(reviewer.pk, reviewer.name)
        return sorted(names.values())


def rounds(articles):
    """Return the current review round of each article annotated by
    ``with_round``, by article id, in two queries."""
    ids = [a.round_id for a in articles if a.round_id]
    asked, decided = {}, {}
    requests = (
        ReviewRequest.objects.filter(transition_id__in=ids)
        .select_related("reviewer")
        .order_by("reviewer__name", "pk")
    )
    for request in requests:
        asked.setdefault(request.transition_id, []).append(request.reviewer)
    for approval in Approval.objects.filter(round_id__in=ids).order_by(
        "created_at", "pk"
    ):
        # Later decisions replace earlier ones by the same reviewer.
        decided.setdefault(approval.round_id, {}).pop(approval.reviewer_id, None)
        decided[approval.round_id][approval.reviewer_id] = approval
    return {
        a.pk: Round(
            article=a,
            asked=asked.get(a.round_id, []),
            decisions=list(reversed(decided.get(a.round_id, {}).values())),
        )
        for a in articles
        if a.round_id
    }


def round_of(article):
    """Return the article's current review round, or None if never sent."""
    annotated = with_round(Article.objects.filter(pk=article.pk)).get()
    annotated.content_fingerprint = article.content_fingerprint
    return rounds([annotated]).get(article.pk)


@dataclass(frozen=True)
class Panel:
    """The first few items of a list, and whether there are more."""

    items: list
    has_more: bool

    @classmethod
    def of(cls, rows, size):
        rows = list(rows[: size + 1])
        return cls(rows[:size], len(rows) > size)

    def __bool__(self):
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)


@dataclass
class Home:
    my_drafts: Panel
    sent_back: Panel  # each article with ``change_request``: the decision
    in_review: Panel  # each article with ``round``
    scheduled: Panel  # scheduled publications, with their articles
    overdue: Panel
    due_soon: Panel
    today: object

    @classmethod
    def build(cls, user, *, on=None, size=PANEL_SIZE):
        """Build the panels ``user`` sees, for the day ``on`` (by default today)."""
        day = on or timezone.localdate()
        mine = queries.drafts().filter(owner=user)
        sent_back = Panel.of(
            Article.objects.drafts()
            .filter(owner=user)
            .select_related("topic", "published")
            .annotate(
                last_action=_last_move("action"),
                last_moved_at=_last_move("created_at"),
                change_request_id=Subquery(
                    Approval.objects.filter(
                        article=OuterRef("pk"),
                        decision=Approval.Decision.CHANGES_REQUESTED,
                    )
                    .order_by("-created_at", "-pk")
                    .values("pk")[:1]
                ),
            )
            .filter(last_action=Action.REQUEST_CHANGES)
            .order_by("-last_moved_at", "title"),
            size,
        )
        requests = Approval.objects.in_bulk(
            [a.change_request_id for a in sent_back if a.change_request_id]
        )
        for article in sent_back:
            article.change_request = requests.get(article.change_request_id)
        in_review = Panel.of(
            with_round(Article.objects.in_review())
            .select_related("owner")
            .order_by("sent_at", "title"),
            size,
        )
        found = rounds(in_review.items)
        for article in in_review:
            article.round = found.get(article.pk)
        due = Article.objects.select_related("owner").order_by(
            "next_review_on", "title"
        )
        return cls(
            my_drafts=Panel.of(mine, size),
            sent_back=sent_back,
            in_review=in_review,
            scheduled=Panel.of(
                ScheduledPublication.objects.select_related(
                    "article", "scheduled_by"
                ).order_by("go_live_at", "article__title"),
                size,
            ),
            overdue=Panel.of(due.overdue(on=day), size),
            due_soon=Panel.of(due.due_soon(on=day), size),
            today=day,
        )

    def context(self):
        """Return the template context: each panel by name."""
        return {field.name: getattr(self, field.name) for field in fields(self)}
