"""The review workspace of one article, for one person: where the article stands,
what changed since they last looked, the decisions on record and the moves their
role allows now. Built once per request, like ``articles.page.ArticlePage``."""

from dataclasses import dataclass, fields

from articles import compare, links, workflow
from articles.models import Action, Approval, Reviewer

from . import forms, queries, services

REVIEW = workflow.MOVES[Action.APPROVE][2]
PUBLISH = workflow.MOVES[Action.PUBLISH][2]


def reviewer_of(user):
    """Return the reviewer an account signs in as, or None."""
    if not user.is_authenticated:
        return None
    return Reviewer.objects.filter(user=user).first()


def submit_form(data, **kwargs):
    return forms.SubmitForm(data, reviewers=queries.reviewers_with_accounts(), **kwargs)


@dataclass
class Workspace:
    article: object
    state: str
    current: object  # the latest revision, or None
    reviewer: object
    approvals: list  # every decision on record, newest first
    my_current: object  # the reviewer's decision on the current content, if any
    baseline: object  # where "what changed" starts, or None
    comparison: object
    has_unpublished_changes: bool
    content_changed: bool
    record_changes: list
    scheduled: object
    expiry: object  # when the live page comes off by itself, or None
    missing: list
    missing_confirmations: list
    history: object
    forms: dict
    linking_pages: list  # other live pages linking here, named before unpublishing
    can_review: bool
    can_publish: bool
    errors: list

    @classmethod
    def build(cls, article, user, *, bound=None, refusal=None):
        """Build the workspace; ``bound`` holds forms refused, ``refusal`` why."""
        reviewer = reviewer_of(user)
        current = article.latest_revision
        decisions = list(
            article.approvals.select_related("article").order_by("-created_at", "-pk")
        )
        mine = [a for a in decisions if reviewer and a.reviewer_id == reviewer.pk]
        my_current = next((a for a in mine if a.is_current), None)
        baseline = queries.comparison_baseline(article=article, decisions=mine)
        action_forms = _action_forms(user, reviewer, article, my_current)
        action_forms.update(bound or {})
        errors = [e for form in (bound or {}).values() for e in _errors_of(form)]
        if refusal:
            errors.append(("", refusal))
        return cls(
            article=article,
            state=article.state,
            current=current,
            reviewer=reviewer,
            approvals=decisions,
            my_current=my_current,
            baseline=baseline,
            comparison=compare.compare(article, baseline.revision_id, current.pk)
            if baseline and current
            else None,
            has_unpublished_changes=article.has_unpublished_changes,
            content_changed=article.is_live
            and article.live.fingerprint != article.content_fingerprint,
            record_changes=queries.record_changes(article=article)
            if article.is_live
            else [],
            scheduled=getattr(article, "scheduled_publication", None),
            expiry=getattr(article, "scheduled_unpublication", None),
            missing=workflow.missing_for(article) if current else [],
            missing_confirmations=workflow.missing_confirmations(article)
            if "confirm" in action_forms
            else [],
            history=queries.history(article=article),
            forms=action_forms,
            linking_pages=links.linking_pages(article)
            if "unpublish" in action_forms
            else [],
            can_review=user.has_perm(REVIEW),
            can_publish=user.has_perm(PUBLISH),
            errors=errors,
        )

    def context(self):
        """Return the template context: each part by name."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def _errors_of(form):
    """Yield (id of the field to jump to, or "", message) for each error."""
    for name, errors in form.errors.items():
        field = form[name] if name in form.fields else None
        target = field.id_for_label if field and not field.is_hidden else ""
        for error in errors:
            yield target, error


def _housekeeping_forms(user, article):
    """Return the publisher's forms for schedules, unpublish dates and review dates."""
    if not user.has_perm(PUBLISH):
        return {}
    found = {}
    scheduled = getattr(article, "scheduled_publication", None)
    expiry = getattr(article, "scheduled_unpublication", None)
    if scheduled is not None:
        found["cancel_schedule"] = forms.CancelScheduleForm()
    if article.is_live or scheduled is not None:
        initial = {"unpublish_at": expiry.unpublish_at} if expiry else {}
        found["expiry"] = forms.ExpiryForm(initial=initial)
    if expiry is not None:
        found["clear_expiry"] = forms.ClearExpiryForm()
    found["correct_dates"] = forms.ReviewDatesForm(
        initial={
            "reviewed_on": article.reviewed_on,
            "next_review_on": article.next_review_on,
        }
    )
    return found


def _action_forms(user, reviewer, article, my_current):
    """Return the blank forms for the moves this user may make now, by name."""
    current = article.latest_revision
    if current is None:
        return {}
    found = {}
    revision = {"revision": current.pk}
    if workflow.may(article, Action.SUBMIT, by=user):
        # Those who reviewed it before are asked again, as they know it best.
        before = Approval.objects.filter(
            article=article, reviewer__user__isnull=False
        ).values_list("reviewer_id", flat=True)
        found["submit"] = submit_form(None, initial={"reviewers": sorted(set(before))})
    # Decisions are recorded in a reviewer's name, so an account needs one.
    if reviewer is not None:
        already_approved = (
            my_current is not None and my_current.decision == Approval.Decision.APPROVED
        )
        if workflow.may(article, Action.APPROVE, by=user) and not already_approved:
            found["approve"] = forms.ApproveForm(initial=revision)
        if workflow.may(article, Action.REQUEST_CHANGES, by=user):
            found["request_changes"] = forms.RequestChangesForm(initial=revision)
        if workflow.may(article, Action.CONFIRM_REVIEW, by=user):
            found["confirm"] = forms.ConfirmForm()
    overdue = article.is_overdue
    if workflow.may(article, Action.PUBLISH, by=user):
        found["publish"] = forms.PublishForm(overdue=overdue)
    if workflow.may(article, Action.SCHEDULE, by=user):
        found["schedule"] = forms.ScheduleForm(overdue=overdue)
    if workflow.may(article, Action.UNPUBLISH, by=user):
        found["unpublish"] = forms.UnpublishForm()
    found.update(_housekeeping_forms(user, article))
    if services.may_choose_owner(user):
        found["owner"] = forms.OwnerForm(initial={"owner": article.owner_id})
    # Several forms share a page, so each gets its own element ids.
    for name, form in found.items():
        form.auto_id = f"{name}-%s"
    return found
