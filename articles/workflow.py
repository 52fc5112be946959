"""The editorial workflow: the states an article's draft moves through, and the moves.

The state belongs to the article's current content. Each move is recorded as a
``Transition`` pointing at the revision it concerned; when the content changes
after that, the draft is back to draft, whatever the last move was.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from . import revisions
from .models import Article, ScheduledPublication, Transition


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


# The allowed moves: action -> (states it may start from, state it leads to,
# permission needed). ``None`` as the target keeps the state as it is.
MOVES = {
    Action.SUBMIT: ({State.DRAFT}, State.IN_REVIEW, "articles.submit_article"),
    Action.APPROVE: ({State.IN_REVIEW}, State.APPROVED, "articles.review_article"),
    Action.REQUEST_CHANGES: (
        {State.IN_REVIEW, State.APPROVED},
        State.DRAFT,
        "articles.review_article",
    ),
    Action.PUBLISH: ({State.APPROVED}, State.PUBLISHED, "articles.publish_article"),
    Action.SCHEDULE: ({State.APPROVED}, None, "articles.publish_article"),
    Action.UNPUBLISH: (set(State), None, "articles.publish_article"),
    Action.CONFIRM_REVIEW: ({State.PUBLISHED}, None, "articles.review_article"),
}

# Why a move is refused, in words for the person who tried it.
REFUSALS = {
    Action.SUBMIT: "Only a draft can be sent for review; this article is {state}.",
    Action.APPROVE: "Only an article in review can be approved; this article is {state}.",
    Action.REQUEST_CHANGES: "Changes can only be requested on an article in review; "
    "this article is {state}.",
    Action.PUBLISH: "Only an approved article can be published; this article is {state}.",
    Action.SCHEDULE: "Only an approved article can be scheduled; this article is {state}.",
    Action.UNPUBLISH: "This article is not on the public site.",
    Action.CONFIRM_REVIEW: "Only a published article with no unpublished changes can be "
    "confirmed as still accurate; this article is {state}.",
}

PERMISSION_NAMES = {
    "articles.submit_article": "an editor",
    "articles.review_article": "a reviewer",
    "articles.publish_article": "a publisher",
}


class TransitionError(Exception):
    """A workflow move that is not allowed; the message is written for the user."""


def review_interval_years():
    return settings.INFOSITE.get("REVIEW_INTERVAL_YEARS", 3)


def next_review_after(day):
    """Return the date a review on ``day`` falls due again."""
    years = review_interval_years()
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _content_key(revision_id, article):
    return revisions.snapshot(revision_id, article.pk).content_key


def last_transition(article):
    return article.transitions.order_by("-created_at", "-pk").first()


def state_after(article, *, last_state, last_revision_id, current_revision_id):
    """Return the state an article's last move left it in, unless its content has
    changed since, which puts it back to draft."""
    if last_state is None or last_revision_id is None or current_revision_id is None:
        return State.DRAFT
    if not same_content(article, last_revision_id, current_revision_id):
        return State.DRAFT
    return State(last_state)


def state_of(article, *, current=None):
    """Return the workflow state of the article's current content."""
    current = current or revisions.current_revision(article)
    last = last_transition(article)
    return state_after(
        article,
        last_state=last and last.to_state,
        last_revision_id=last and last.revision_id,
        current_revision_id=current and current.pk,
    )


def has_unpublished_changes(article, *, current=None):
    current = current or revisions.current_revision(article)
    if not article.live_revision_id or current is None:
        return current is not None
    return current.pk != article.live_revision_id and _content_key(
        current.pk, article
    ) != _content_key(article.live_revision_id, article)


def same_content(article, revision_a, revision_b):
    """Return True when two revisions hold the same content for the article."""
    return revision_a == revision_b or _content_key(
        revision_a, article
    ) == _content_key(revision_b, article)


def require_permission(action, *, by):
    """Raise TransitionError unless ``by`` holds the role this move needs."""
    permission = MOVES[action][2]
    if by is None or not by.has_perm(permission):
        raise TransitionError(
            f"You do not have permission for this: it needs {PERMISSION_NAMES[permission]}."
        )


def is_allowed(article, action, *, state):
    """Return True if the move may start from this state (roles aside)."""
    if action == Action.UNPUBLISH:
        return article.is_live
    if action == Action.CONFIRM_REVIEW:
        return state in MOVES[action][0] and article.is_live
    return state in MOVES[action][0]


def may(article, action, *, by, state):
    """Return True if ``by`` holds the role and the move may start from ``state``."""
    return by.has_perm(MOVES[action][2]) and is_allowed(article, action, state=state)


def check(article, action, *, by, current=None):
    """Raise TransitionError unless ``by`` may make this move now; return the state."""
    require_permission(action, by=by)
    state = state_of(article, current=current)
    if not is_allowed(article, action, state=state):
        raise TransitionError(REFUSALS[action].format(state=state.label.lower()))
    return state


def record(
    article,
    action,
    *,
    by,
    revision,
    from_state,
    to_state=None,
    comment="",
    is_full_review=False,
):
    """Write the move to the article's workflow history."""
    return Transition.objects.create(
        article=article,
        revision=revision,
        action=action,
        from_state=from_state,
        to_state=to_state or MOVES[action][1] or from_state,
        is_full_review=is_full_review,
        user=by,
        comment=comment,
    )


def _locked(article):
    """Return the article's row, locked until the transaction ends."""
    return Article.objects.select_for_update().get(pk=article.pk)


def submit_for_review(article, *, by, comment=""):
    """Send the current draft to reviewers."""
    with transaction.atomic():
        article = _locked(article)
        current = revisions.current_revision(article)
        state = check(article, Action.SUBMIT, by=by, current=current)
        _require_sections(article, current)
        return record(
            article,
            Action.SUBMIT,
            by=by,
            revision=current,
            from_state=state,
            comment=comment,
        )


def _require_sections(article, revision):
    if revision is None or not revisions.snapshot(revision.pk, article.pk).sections():
        raise TransitionError(
            "An article needs at least one section before it can go on."
        )


def publish(article, *, by, comment="", is_full_review=True, revision=None, now=None):
    """Make a revision the live page. Callers check the approval policy first."""
    now = now or timezone.now()
    with transaction.atomic():
        article = _locked(article)
        current = revisions.current_revision(article)
        revision = revision or current
        state = check(article, Action.PUBLISH, by=by, current=revision)
        _require_sections(article, revision)
        _require_reviewed_before(article, is_full_review=is_full_review)
        fields = _go_live(article, revision, now=now)
        if is_full_review:
            _set_review_dates(article, timezone.localdate(now))
            fields += ["reviewed_on", "next_review_on"]
        article.save(update_fields=fields)
        ScheduledPublication.objects.filter(article=article).delete()
        return record(
            article,
            Action.PUBLISH,
            by=by,
            revision=revision,
            from_state=state,
            comment=comment,
            is_full_review=is_full_review,
        )


def publish_imported(article, *, comment):
    """Put the current revision live as content approved before it reached infosite.

    For trusted imports only (such as the demo content), never for web requests:
    it records the moves without a user and keeps the article's review dates.
    """
    with transaction.atomic():
        article = _locked(article)
        current = revisions.current_revision(article)
        _require_sections(article, current)
        article.save(update_fields=_go_live(article, current, now=timezone.now()))
        ScheduledPublication.objects.filter(article=article).delete()
        return record(
            article,
            Action.PUBLISH,
            by=None,
            revision=current,
            from_state=state_of(article, current=current),
            comment=comment,
        )


def _require_reviewed_before(article, *, is_full_review):
    if not is_full_review and not article.reviewed_on:
        raise TransitionError(
            "This article has never had a full review, so it cannot be published "
            "as a minor correction."
        )


def _go_live(article, revision, *, now):
    """Point the live page at ``revision``; return the fields to save."""
    article.live_revision = revision
    article.first_published_at = article.first_published_at or now
    article.last_published_at = now
    article.unpublished_at = None
    return [
        "live_revision",
        "first_published_at",
        "last_published_at",
        "unpublished_at",
    ]


def _set_review_dates(article, day):
    article.reviewed_on = day
    article.next_review_on = next_review_after(day)


def unpublish(article, *, by, comment=""):
    """Take the article off the public site; its history and approvals stay."""
    with transaction.atomic():
        article = _locked(article)
        current = revisions.current_revision(article)
        state = check(article, Action.UNPUBLISH, by=by, current=current)
        article.live_revision = None
        article.unpublished_at = timezone.now()
        article.save(update_fields=["live_revision", "unpublished_at"])
        ScheduledPublication.objects.filter(article=article).delete()
        # The approvals still stand, so a page taken down can go back up as it was.
        return record(
            article,
            Action.UNPUBLISH,
            by=by,
            revision=current,
            from_state=state,
            to_state=State.APPROVED if state == State.PUBLISHED else state,
            comment=comment,
        )


def schedule(article, *, by, go_live_at, is_full_review=True, comment=""):
    """Set the current approved revision to go live at ``go_live_at``."""
    if go_live_at <= timezone.now():
        raise TransitionError(
            "Choose a time in the future. To publish now, use Publish instead."
        )
    with transaction.atomic():
        article = _locked(article)
        current = revisions.current_revision(article)
        state = check(article, Action.SCHEDULE, by=by, current=current)
        _require_sections(article, current)
        _require_reviewed_before(article, is_full_review=is_full_review)
        ScheduledPublication.objects.update_or_create(
            article=article,
            defaults={
                "revision": current,
                "go_live_at": go_live_at,
                "is_full_review": is_full_review,
                "scheduled_by": by,
            },
        )
        when = format_date(timezone.localtime(go_live_at), "j F Y, H:i")
        return record(
            article,
            Action.SCHEDULE,
            by=by,
            revision=current,
            from_state=state,
            comment=comment or f"To go live on {when}",
            is_full_review=is_full_review,
        )


def publish_due(*, now=None):
    """Publish every scheduled revision whose time has come; return what happened.

    Each is published once: the schedule is removed in the same transaction.
    """
    now = now or timezone.now()
    results = []
    for scheduled in ScheduledPublication.objects.filter(
        go_live_at__lte=now
    ).select_related("article", "scheduled_by"):
        try:
            publish(
                scheduled.article,
                by=scheduled.scheduled_by,
                revision=scheduled.revision,
                is_full_review=scheduled.is_full_review,
                comment="Published as scheduled",
                now=now,
            )
        except TransitionError as error:
            results.append((scheduled.article, str(error)))
        else:
            results.append((scheduled.article, None))
    return results


def confirm_review(article, *, by, comment="", day=None):
    """Record a full review that found the live page still accurate."""
    day = day or timezone.localdate()
    with transaction.atomic():
        article = _locked(article)
        current = revisions.current_revision(article)
        state = check(article, Action.CONFIRM_REVIEW, by=by, current=current)
        _set_review_dates(article, day)
        article.save(update_fields=["reviewed_on", "next_review_on"])
        return record(
            article,
            Action.CONFIRM_REVIEW,
            by=by,
            revision=article.live_revision,
            from_state=state,
            comment=comment,
            is_full_review=True,
        )


def last_full_review_at(article):
    """Return when the last full review was recorded, or None."""
    last = (
        article.transitions.filter(is_full_review=True)
        .exclude(action=Action.SCHEDULE)
        .order_by("-created_at", "-pk")
        .first()
    )
    return last.created_at if last else None


def approve(article, *, by, revision, comment=""):
    """Record that the approval policy is met for ``revision``."""
    return _review_move(
        article, Action.APPROVE, by=by, revision=revision, comment=comment
    )


def request_changes(article, *, by, revision, comment=""):
    """Send the article back to draft because a reviewer asked for changes."""
    return _review_move(
        article, Action.REQUEST_CHANGES, by=by, revision=revision, comment=comment
    )


def _review_move(article, action, *, by, revision, comment):
    state = check(article, action, by=by, current=revision)
    return record(
        article, action, by=by, revision=revision, from_state=state, comment=comment
    )
