"""The publication rule: how an article's content moves from draft to the public
site, and who may move it.

Every move is a function here. Each locks the article's row first, then checks
the person's role, the article's state and the publishing policy, then records
the move (a ``Transition``) and its effects in the same transaction. Nothing
else writes the published copy, the workflow state or the review dates.

The state belongs to the article's current content: the state the last move
recorded, as long as the content is still what that move was about (see
``ArticleQuerySet.with_state``). "Approved" is recorded by the approval that
completes the publishing policy.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.models import Revision

from . import display, publication, revisions
from .models import (
    Action,
    Approval,
    Article,
    ArticleRevision,
    Reviewer,
    ScheduledPublication,
    ScheduledUnpublication,
    State,
    Transition,
)

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
    # Publishers' housekeeping: these change no state.
    Action.CORRECT_DATES: (set(State), None, "articles.publish_article"),
    Action.CANCEL_SCHEDULE: (set(State), None, "articles.publish_article"),
    Action.SET_EXPIRY: (set(State), None, "articles.publish_article"),
    Action.CLEAR_EXPIRY: (set(State), None, "articles.publish_article"),
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

KIND_NAMES = {
    Reviewer.Kind.CLINICAL: ("a clinical expert", "clinical experts"),
    Reviewer.Kind.LIVED_EXPERIENCE: (
        "a person with lived experience",
        "people with lived experience",
    ),
    Reviewer.Kind.EDITORIAL: ("the editorial team", "members of the editorial team"),
}

DEFAULT_POLICY = {Reviewer.Kind.CLINICAL: 1, Reviewer.Kind.LIVED_EXPERIENCE: 1}
DEFAULT_GLOSSARY_POLICY = {Reviewer.Kind.CLINICAL: 1}
SCHEDULE_AT_MOST_YEARS = 2
# The comments the moves the clock makes are recorded with.
SCHEDULED_GO_LIVE = "Published as scheduled"
EXPIRED = "Expired"
OVERDUE_MINOR_CORRECTION = (
    "This article is overdue for its full review (next review was due on {due}). "
    "To publish it as a minor correction, tick the box to confirm that a full "
    "review is not needed now; otherwise choose full review."
)
ALREADY_RECORDED = "Your decision was already recorded; nothing more was needed."


class TransitionError(Exception):
    """A workflow move that is not allowed; the message is written for the user."""


# Settings.


def publishing_policy(article=None):
    """Return {reviewer kind: approvals needed} from settings, for ``article``'s
    kind: glossary terms have a policy of their own."""
    if article is not None and article.kind == Article.Kind.TERM:
        return settings.INFOSITE.get("GLOSSARY_POLICY") or DEFAULT_GLOSSARY_POLICY
    return settings.INFOSITE.get("PUBLISHING_POLICY") or DEFAULT_POLICY


def review_interval_years():
    return settings.INFOSITE.get("REVIEW_INTERVAL_YEARS", 3)


def next_review_after(day):
    """Return the date a review on ``day`` falls due again."""
    years = review_interval_years()
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


# Checks.


def require_permission(action, *, by):
    """Raise TransitionError unless ``by`` holds the role this move needs."""
    permission = MOVES[action][2]
    if by is None or not by.has_perm(permission):
        raise TransitionError(
            f"You do not have permission for this: it needs {PERMISSION_NAMES[permission]}."
        )


def is_allowed(article, action, *, state=None):
    """Return True if the move may start from the article's state (roles aside)."""
    state = article.state if state is None else state
    if action == Action.UNPUBLISH:
        return article.is_live
    if action == Action.CONFIRM_REVIEW:
        return state in MOVES[action][0] and article.is_live
    return state in MOVES[action][0]


def may(article, action, *, by):
    """Return True if ``by`` holds the role and the move may start now."""
    return by.has_perm(MOVES[action][2]) and is_allowed(article, action)


def check(article, action, *, by):
    """Raise TransitionError unless ``by`` may make this move now; return the state."""
    require_permission(action, by=by)
    state = article.state
    if not is_allowed(article, action, state=state):
        raise TransitionError(REFUSALS[action].format(state=state.label.lower()))
    return state


def counting_approvals(
    article, fingerprint, *, decision=Approval.Decision.APPROVED, round=None
):
    """Return the decisions that count for content with ``fingerprint``: each
    reviewer's latest decision on it (in ``round`` if given), when it is ``decision``."""
    decisions = Approval.objects.filter(article=article, fingerprint=fingerprint)
    if round is not None:
        decisions = decisions.filter(round=round)
    return [a for a in decisions.latest_per_reviewer() if a.decision == decision]


def missing_approvals(approvals, *, article=None):
    """Return sentences naming what the policy for ``article`` (an article's by
    default) still needs beyond ``approvals``.

    Each decision counts for the kind of reviewer its author was when deciding.
    """
    missing = []
    for kind, needed in publishing_policy(article).items():
        have = sum(1 for a in approvals if a.reviewer_kind == kind)
        if have < needed:
            one, many = KIND_NAMES[Reviewer.Kind(kind)]
            short = needed - have
            missing.append(
                f"{short} approval from {one}"
                if short == 1
                else f"{short} approvals from {many}"
            )
    return missing


def missing_for(article, *, fingerprint=None):
    """Return what the policy still needs before the article's content can go live."""
    fingerprint = fingerprint or article.content_fingerprint
    return missing_approvals(counting_approvals(article, fingerprint), article=article)


def _require_policy(article, fingerprint, verb):
    approvals = counting_approvals(article, fingerprint)
    missing = missing_approvals(approvals, article=article)
    if missing:
        raise TransitionError(
            f"This version cannot be {verb} yet. It still needs "
            + " and ".join(missing)
            + "."
        )
    return approvals


def _require_saved(article):
    if article.latest_revision_id is None:
        raise TransitionError("This article has no saved version yet.")


def _require_current(article, revision):
    """Refuse a decision on a version other than the article's current content."""
    if revisions.fingerprint_of(article, revision.pk) != article.content_fingerprint:
        raise TransitionError(
            "This article has changed since the version you read. Your comment is "
            "still below: look at what changed, then record your decision again."
        )


def _require_sections(article):
    if article.kind == Article.Kind.ARTICLE and not article.sections.exists():
        raise TransitionError(
            "An article needs at least one section before it can go on."
        )


def _require_reviewed_before(article, *, is_full_review):
    if not is_full_review and not article.reviewed_on:
        raise TransitionError(
            "This article has never had a full review, so it cannot be published "
            "as a minor correction."
        )


def _require_overdue_confirmed(article, *, is_full_review, confirmed, day):
    """Refuse a minor correction of an overdue article unless the publisher
    confirmed that a full review is not needed."""
    overdue = article.next_review_on is not None and article.next_review_on < day
    if not is_full_review and overdue and not confirmed:
        raise TransitionError(
            OVERDUE_MINOR_CORRECTION.format(due=display.day(article.next_review_on))
        )


def _reviewer_for(user):
    reviewer = Reviewer.objects.filter(user=user).first() if user else None
    if reviewer is None:
        raise TransitionError(
            "Your account is not linked to a reviewer. Ask a publisher to link it "
            "under Reviewers before you record a decision."
        )
    return reviewer


def _edited_by(article, user):
    """Return True if ``user`` saved any change under review (since the live page)."""
    saves = ArticleRevision.objects.filter(article=article, revision__user=user)
    live = article.live
    if live is not None:
        saves = saves.filter(revision_id__gt=live.revision_id)
    return saves.exists()


# Recording.


def _locked(article):
    """Return the article's row, locked until the transaction ends.

    A move never changes the row's id, so the lock is PostgreSQL's "no key"
    kind: it still stops every other move and save of the article, but not a
    publish that records, by a foreign key, that its page uses this article
    (a glossary term going live or coming down while such a page is published
    would otherwise wait on each other)."""
    return Article.objects.select_for_update(no_key=True).get(pk=article.pk)


def _record(
    article,
    action,
    *,
    by,
    revision_id,
    fingerprint,
    from_state,
    to_state=None,
    comment="",
    is_full_review=False,
    by_the_clock=False,
):
    """Write the move to the article's history and the state it leads to.

    ``by_the_clock`` marks a move made at the time a publisher chose, for those
    told of it as it is recorded."""
    to_state = to_state or MOVES[action][1] or from_state
    transition = Transition(
        article=article,
        revision_id=revision_id,
        fingerprint=fingerprint,
        action=action,
        from_state=from_state,
        to_state=to_state,
        is_full_review=is_full_review,
        user=by,
        comment=comment,
    )
    transition.is_by_the_clock = by_the_clock
    transition.save(force_insert=True)
    article.workflow_state = to_state
    article.workflow_fingerprint = fingerprint
    article.save(update_fields=["workflow_state", "workflow_fingerprint"])
    if to_state != State.APPROVED:
        # Only an approved version may wait to go live.
        ScheduledPublication.objects.filter(article=article).delete()
    return transition


def _current_round(article, actions):
    return (
        Transition.objects.filter(article=article, action__in=actions)
        .order_by("-created_at", "-pk")
        .first()
    )


def _decide(article, *, reviewer, revision, fingerprint, round, decision, comment):
    """Record one decision; refuse the same decision twice in one round."""
    try:
        with transaction.atomic():
            return Approval.objects.create(
                article=article,
                revision=revision,
                fingerprint=fingerprint,
                round=round,
                reviewer=reviewer,
                reviewer_name=reviewer.name,
                reviewer_credentials=reviewer.credentials,
                reviewer_kind=reviewer.kind,
                reviewer_is_sample=reviewer.is_sample,
                decision=decision,
                comment=comment,
            )
    except IntegrityError:
        raise TransitionError(ALREADY_RECORDED) from None


# The moves.


def submit_for_review(article, *, by, comment=""):
    """Send the current draft to reviewers."""
    with transaction.atomic():
        article = _locked(article)
        state = check(article, Action.SUBMIT, by=by)
        _require_saved(article)
        _require_sections(article)
        return _record(
            article,
            Action.SUBMIT,
            by=by,
            revision_id=article.latest_revision_id,
            fingerprint=article.content_fingerprint,
            from_state=state,
            comment=comment,
        )


def approve(article, *, by, revision, comment=""):
    """Record a reviewer's approval of one exact revision; the approval that
    completes the publishing policy makes the article approved."""
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.APPROVE, by=by)
        reviewer = _reviewer_for(by)
        _require_current(article, revision)
        fingerprint = article.content_fingerprint
        # A repeated click, even one after the article became approved.
        if any(
            a.reviewer_id == reviewer.pk
            for a in counting_approvals(article, fingerprint)
        ):
            raise TransitionError(ALREADY_RECORDED)
        state = check(article, Action.APPROVE, by=by)
        if _edited_by(article, by):
            raise TransitionError(
                "You made some of the changes under review, so you cannot approve them. "
                "Ask another reviewer."
            )
        approval = _decide(
            article,
            reviewer=reviewer,
            revision=revision,
            fingerprint=fingerprint,
            round=_current_round(article, [Action.SUBMIT]),
            decision=Approval.Decision.APPROVED,
            comment=comment,
        )
        if not missing_for(article):
            _record(
                article,
                Action.APPROVE,
                by=by,
                revision_id=revision.pk,
                fingerprint=fingerprint,
                from_state=state,
                comment=comment,
            )
        return approval


def request_changes(article, *, by, revision, comment):
    """Record a request for changes and send the article back to draft."""
    if not comment.strip():
        raise TransitionError(
            "Say what needs to change, so the editor knows what to do."
        )
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.REQUEST_CHANGES, by=by)
        reviewer = _reviewer_for(by)
        _require_current(article, revision)
        state = check(article, Action.REQUEST_CHANGES, by=by)
        approval = _decide(
            article,
            reviewer=reviewer,
            revision=revision,
            fingerprint=article.content_fingerprint,
            round=_current_round(article, [Action.SUBMIT]),
            decision=Approval.Decision.CHANGES_REQUESTED,
            comment=comment,
        )
        _record(
            article,
            Action.REQUEST_CHANGES,
            by=by,
            revision_id=revision.pk,
            fingerprint=article.content_fingerprint,
            from_state=state,
            comment=comment,
        )
        return approval


def publish(
    article,
    *,
    by,
    comment="",
    is_full_review=True,
    full_review_not_needed=False,
    now=None,
):
    """Put the current approved version live.

    A minor correction of an overdue article needs ``full_review_not_needed``:
    the publisher's confirmation that it needs no full review now.
    """
    now = now or timezone.now()
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.PUBLISH, by=by)
        _require_saved(article)
        # What is missing says more than the state, so it is named first.
        approvals = _require_policy(article, article.content_fingerprint, "published")
        state = check(article, Action.PUBLISH, by=by)
        _require_overdue_confirmed(
            article,
            is_full_review=is_full_review,
            confirmed=full_review_not_needed,
            day=timezone.localdate(now),
        )
        if not is_full_review and full_review_not_needed and article.is_overdue:
            comment = _joined(comment, "Confirmed that a full review is not needed.")
        return _go_live(
            article,
            by=by,
            revision_id=article.latest_revision_id,
            fingerprint=article.content_fingerprint,
            approvals=approvals,
            from_state=state,
            is_full_review=is_full_review,
            comment=comment,
            now=now,
        )


def _go_live(
    article,
    *,
    by,
    revision_id,
    fingerprint,
    approvals,
    from_state,
    is_full_review,
    comment,
    now,
    by_the_clock=False,
):
    _require_reviewed_before(article, is_full_review=is_full_review)
    try:
        publication.make_live(
            article,
            revision=Revision.objects.get(pk=revision_id),
            fingerprint=fingerprint,
            approvals=approvals,
            now=now,
        )
    except publication.PublicationError as error:
        raise TransitionError(str(error)) from None
    article.first_published_at = article.first_published_at or now
    article.last_published_at = now
    article.unpublished_at = None
    fields = ["first_published_at", "last_published_at", "unpublished_at"]
    if is_full_review:
        _set_review_dates(article, timezone.localdate(now))
        fields += ["reviewed_on", "next_review_on"]
    article.save(update_fields=fields)
    ScheduledPublication.objects.filter(article=article).delete()
    return _record(
        article,
        Action.PUBLISH,
        by=by,
        revision_id=revision_id,
        fingerprint=fingerprint,
        from_state=from_state,
        comment=comment,
        is_full_review=is_full_review,
        by_the_clock=by_the_clock,
    )


def publish_imported(article, *, reviewers, comment, approval_comment):
    """Put the current version live as content that ``reviewers`` approved before it
    reached infosite, recording their decisions as this site records any.

    For trusted imports only (such as the demo content), never for web requests:
    it records the moves without a user and keeps the article's review dates.
    """
    with transaction.atomic():
        article = _locked(article)
        _require_saved(article)
        _require_sections(article)
        fingerprint = article.content_fingerprint
        state = article.state
        if state != State.IN_REVIEW:
            state = State.IN_REVIEW
            _record(
                article,
                Action.SUBMIT,
                by=None,
                revision_id=article.latest_revision_id,
                fingerprint=fingerprint,
                from_state=article.state,
                comment=comment,
            )
        round = _current_round(article, [Action.SUBMIT])
        decided = {a.reviewer_id for a in counting_approvals(article, fingerprint)}
        for reviewer in reviewers:
            if reviewer.pk not in decided:
                _decide(
                    article,
                    reviewer=reviewer,
                    revision=article.latest_revision,
                    fingerprint=fingerprint,
                    round=round,
                    decision=Approval.Decision.APPROVED,
                    comment=approval_comment,
                )
        approvals = _require_policy(article, fingerprint, "published")
        _record(
            article,
            Action.APPROVE,
            by=None,
            revision_id=article.latest_revision_id,
            fingerprint=fingerprint,
            from_state=state,
            comment=comment,
        )
        return _go_live(
            article,
            by=None,
            revision_id=article.latest_revision_id,
            fingerprint=fingerprint,
            approvals=approvals,
            from_state=State.APPROVED,
            is_full_review=False,
            comment=comment,
            now=timezone.now(),
        )


def _set_review_dates(article, day):
    article.reviewed_on = day
    article.next_review_on = next_review_after(day)


def unpublish(article, *, by, comment="", by_the_clock=False):
    """Take the article off the public site; its history and approvals stay.

    ``by_the_clock`` is for the unpublish date coming (``unpublish_expired``)."""
    if not comment.strip():
        raise TransitionError("Say why the page is coming off the site.")
    with transaction.atomic():
        article = _locked(article)
        state = check(article, Action.UNPUBLISH, by=by)
        publication.take_down(article)
        ScheduledPublication.objects.filter(article=article).delete()
        ScheduledUnpublication.objects.filter(article=article).delete()
        article.unpublished_at = timezone.now()
        article.save(update_fields=["unpublished_at"])
        # The approvals still stand, so a page taken down can go back up as it was.
        return _record(
            article,
            Action.UNPUBLISH,
            by=by,
            revision_id=article.latest_revision_id,
            fingerprint=article.content_fingerprint,
            from_state=state,
            to_state=State.APPROVED if state == State.PUBLISHED else state,
            comment=comment,
            by_the_clock=by_the_clock,
        )


def schedule(
    article,
    *,
    by,
    go_live_at,
    is_full_review=True,
    full_review_not_needed=False,
    comment="",
    now=None,
):
    """Set the current approved version to go live at ``go_live_at``; a minor
    correction of an overdue article needs ``full_review_not_needed``, as for
    ``publish``."""
    now = now or timezone.now()
    if go_live_at <= now:
        raise TransitionError(
            "Choose a time in the future. To publish now, use Publish instead."
        )
    if go_live_at > now + datetime.timedelta(days=365 * SCHEDULE_AT_MOST_YEARS + 1):
        raise TransitionError(
            f"Choose a time within {SCHEDULE_AT_MOST_YEARS} years. The article will be "
            "due for review again long before a later date."
        )
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.SCHEDULE, by=by)
        _require_saved(article)
        _require_policy(article, article.content_fingerprint, "scheduled")
        state = check(article, Action.SCHEDULE, by=by)
        _require_sections(article)
        _require_reviewed_before(article, is_full_review=is_full_review)
        _require_overdue_confirmed(
            article,
            is_full_review=is_full_review,
            confirmed=full_review_not_needed,
            day=timezone.localdate(now),
        )
        ScheduledPublication.objects.update_or_create(
            article=article,
            defaults={
                "revision_id": article.latest_revision_id,
                "fingerprint": article.content_fingerprint,
                "go_live_at": go_live_at,
                "is_full_review": is_full_review,
                "scheduled_by": by,
            },
        )
        when = display.moment(go_live_at)
        comment = comment or f"To go live on {when}"
        if not is_full_review and full_review_not_needed and article.is_overdue:
            comment = _joined(comment, "Confirmed that a full review is not needed.")
        return _record(
            article,
            Action.SCHEDULE,
            by=by,
            revision_id=article.latest_revision_id,
            fingerprint=article.content_fingerprint,
            from_state=state,
            comment=comment,
            is_full_review=is_full_review,
        )


def publish_scheduled(article, *, now):
    """Put live the article's scheduled version if its time has come and it may
    still go live: the scheduler is still a publisher and the approvals the
    policy needs still stand for that exact version."""
    with transaction.atomic():
        article = _locked(article)
        scheduled = ScheduledPublication.objects.filter(
            article=article, go_live_at__lte=now
        ).first()
        if scheduled is None:
            return None  # published, cancelled or moved by someone else meanwhile
        require_permission(Action.PUBLISH, by=scheduled.scheduled_by)
        approvals = _require_policy(article, scheduled.fingerprint, "published")
        return _go_live(
            article,
            by=scheduled.scheduled_by,
            revision_id=scheduled.revision_id,
            fingerprint=scheduled.fingerprint,
            approvals=approvals,
            from_state=article.state,
            is_full_review=scheduled.is_full_review,
            comment=SCHEDULED_GO_LIVE,
            now=now,
            by_the_clock=True,
        )


def publish_due(*, now=None):
    """Publish every scheduled version whose time has come; return what happened.

    Each is published once: the schedule is removed in the same transaction.
    """
    now = now or timezone.now()
    due = ScheduledPublication.objects.filter(go_live_at__lte=now)
    return _carry_out(due, publish_scheduled, now)


def _carry_out(due, move, now):
    """Make ``move`` for each article with a record ``due``; return (article,
    refusal or None) for each one moved or refused."""
    results = []
    for record in due.select_related("article"):
        try:
            done = move(record.article, now=now)
        except TransitionError as error:
            results.append((record.article, str(error)))
        else:
            if done is not None:
                results.append((record.article, None))
    return results


def confirm_review(article, *, by, comment="", day=None):
    """Record a reviewer's confirmation that the live page needs no change; once the
    policy's reviewers have all confirmed, the review dates start again."""
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise TransitionError("A review cannot be confirmed for a day in the future.")
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.CONFIRM_REVIEW, by=by)
        reviewer = _reviewer_for(by)
        state = check(article, Action.CONFIRM_REVIEW, by=by)
        live = article.live
        round = _current_round(article, [Action.PUBLISH, Action.CONFIRM_REVIEW])
        approval = _decide(
            article,
            reviewer=reviewer,
            revision=live.revision,
            fingerprint=live.fingerprint,
            round=round,
            decision=Approval.Decision.CONFIRMED,
            comment=comment,
        )
        confirmed = counting_approvals(
            article, live.fingerprint, decision=Approval.Decision.CONFIRMED, round=round
        )
        if not missing_approvals(confirmed, article=article):
            _set_review_dates(article, day)
            article.save(update_fields=["reviewed_on", "next_review_on"])
            _record(
                article,
                Action.CONFIRM_REVIEW,
                by=by,
                revision_id=live.revision_id,
                fingerprint=live.fingerprint,
                from_state=state,
                comment="All reviewers confirmed",
                is_full_review=True,
            )
        return approval


def missing_confirmations(article):
    """Return what the policy still needs before the live page's review is confirmed."""
    live = article.live
    if live is None:
        return []
    round = _current_round(article, [Action.PUBLISH, Action.CONFIRM_REVIEW])
    return missing_approvals(
        counting_approvals(
            article, live.fingerprint, decision=Approval.Decision.CONFIRMED, round=round
        ),
        article=article,
    )


def approve_record_change(record, *, by, comment=""):
    """Approve the current version of a shared record (a reference or a reviewer)
    on every live page that shows an older one, recorded in each article's history.

    A corrected citation or a reviewer's new job title then needs no re-approval
    of each article citing it. Return the articles updated.
    """
    require_permission(Action.PUBLISH, by=by)
    with transaction.atomic():
        record = type(record).objects.select_for_update().get(pk=record.pk)
        # Locked in id order, as every move locks its article first.
        articles = list(publication.showing_old(record).select_for_update())
        if not articles:
            raise TransitionError(
                "No live page shows an older version of this record: there is "
                "nothing to approve."
            )
        for article in articles:
            done = publication.refresh_record(article, record)
            Transition.objects.create(
                article=article,
                revision_id=article.live.revision_id,
                fingerprint=article.workflow_fingerprint,
                action=Action.APPROVE_RECORD,
                from_state=article.state,
                to_state=article.state,
                user=by,
                comment=f"{done}. {comment}".strip(),
            )
        return articles


# Publishers' housekeeping: moves that change no workflow state, recorded in the
# history all the same.


def _joined(*parts):
    return " ".join(part.strip() for part in parts if part and part.strip())


def _note(article, action, *, by, comment):
    """Record a move that leaves the workflow state as it is."""
    live = article.live
    state = article.state
    return Transition.objects.create(
        article=article,
        revision_id=live.revision_id if live else article.latest_revision_id,
        fingerprint=article.workflow_fingerprint,
        action=action,
        from_state=state,
        to_state=state,
        user=by,
        comment=comment,
    )


def review_date_problems(reviewed_on, next_review_on, *, today=None):
    """Return what is wrong with a pair of review dates, as sentences (none if
    they may stand)."""
    today = today or timezone.localdate()
    problems = []
    if reviewed_on > today:
        problems.append("The reviewed date cannot be in the future.")
    if next_review_on <= reviewed_on:
        problems.append(
            "The next review must come after the reviewed date "
            f"({display.day(reviewed_on)})."
        )
    elif next_review_on > next_review_after(reviewed_on):
        years = review_interval_years()
        problems.append(
            f"The next review can be at most {years} years after the reviewed "
            f"date, so no later than {display.day(next_review_after(reviewed_on))}."
        )
    return problems


def correct_review_dates(
    article, *, by, reviewed_on, next_review_on, reason, today=None
):
    """Correct the article's review dates, recording both the old and the new
    dates with the publisher's reason."""
    if not reason.strip():
        raise TransitionError("Say why the review dates need correcting.")
    problems = review_date_problems(reviewed_on, next_review_on, today=today)
    if problems:
        raise TransitionError(" ".join(problems))
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.CORRECT_DATES, by=by)
        before = (article.reviewed_on, article.next_review_on)
        if before == (reviewed_on, next_review_on):
            raise TransitionError(
                "These are the review dates the article has already: nothing to "
                "correct."
            )
        article.reviewed_on, article.next_review_on = reviewed_on, next_review_on
        article.save(update_fields=["reviewed_on", "next_review_on"])

        def shown(day):
            return display.day(day) or "not set"

        return _note(
            article,
            Action.CORRECT_DATES,
            by=by,
            comment=(
                f"Reviewed: {shown(before[0])} → {shown(reviewed_on)}. "
                f"Next review: {shown(before[1])} → {shown(next_review_on)}. "
                f"Reason: {reason.strip()}"
            ),
        )


def cancel_schedule(article, *, by, comment=""):
    """Cancel the article's scheduled publication; the approvals stay."""
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.CANCEL_SCHEDULE, by=by)
        scheduled = ScheduledPublication.objects.filter(article=article).first()
        if scheduled is None:
            raise TransitionError(
                "This article is not scheduled to go live, so there is nothing to "
                "cancel."
            )
        scheduled.delete()
        when = display.moment(scheduled.go_live_at)
        return _note(
            article,
            Action.CANCEL_SCHEDULE,
            by=by,
            comment=_joined(f"Was to go live on {when}.", comment),
        )


def set_expiry(article, *, by, unpublish_at, now=None):
    """Set when the article comes off the public site by itself; ``publish_due``
    then unpublishes it, with the reason "Expired"."""
    now = now or timezone.now()
    if unpublish_at <= now:
        raise TransitionError(
            "Choose a time in the future. To take the page down now, use Unpublish."
        )
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.SET_EXPIRY, by=by)
        scheduled = ScheduledPublication.objects.filter(article=article).first()
        if not article.is_live and scheduled is None:
            raise TransitionError(
                "This article is not on the public site or scheduled to go live, "
                "so it cannot be given an unpublish date."
            )
        if scheduled is not None and unpublish_at <= scheduled.go_live_at:
            raise TransitionError(
                "Choose a time after the scheduled publication "
                f"({display.moment(scheduled.go_live_at)})."
            )
        ScheduledUnpublication.objects.update_or_create(
            article=article,
            defaults={"unpublish_at": unpublish_at, "scheduled_by": by},
        )
        return _note(
            article,
            Action.SET_EXPIRY,
            by=by,
            comment=f"To come off the public site on {display.moment(unpublish_at)}",
        )


def clear_expiry(article, *, by):
    """Remove the article's unpublish date: it stays on the public site."""
    with transaction.atomic():
        article = _locked(article)
        require_permission(Action.CLEAR_EXPIRY, by=by)
        expiry = ScheduledUnpublication.objects.filter(article=article).first()
        if expiry is None:
            raise TransitionError(
                "This article has no unpublish date, so there is nothing to clear."
            )
        expiry.delete()
        return _note(
            article,
            Action.CLEAR_EXPIRY,
            by=by,
            comment=f"Was to come off on {display.moment(expiry.unpublish_at)}",
        )


def unpublish_expired(article, *, now):
    """Take the article off the public site if its unpublish date has come; return
    the move, or None when there was nothing to do (cleared meanwhile, or the page
    is no longer live)."""
    with transaction.atomic():
        article = _locked(article)
        expiry = ScheduledUnpublication.objects.filter(
            article=article, unpublish_at__lte=now
        ).first()
        if expiry is None:
            return None
        if not article.is_live:
            expiry.delete()
            return None
        require_permission(Action.UNPUBLISH, by=expiry.scheduled_by)
        return unpublish(
            article, by=expiry.scheduled_by, comment=EXPIRED, by_the_clock=True
        )


def unpublish_due(*, now=None):
    """Unpublish every live article whose unpublish date has come; return
    (article, refusal or None) for each one taken down or refused."""
    now = now or timezone.now()
    due = ScheduledUnpublication.objects.filter(unpublish_at__lte=now)
    return _carry_out(due, unpublish_expired, now)
