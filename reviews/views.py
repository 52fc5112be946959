"""The reviewers' and editors' place on the site: what waits for them, each article's
workspace with the moves their role allows, comparisons and the reviews due."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles import compare, display, revisions, workflow
from articles.models import Action, Article, Reference, Reviewer
from articles.models.content import review_notice
from articles.workflow import TransitionError

from . import forms, queries, services
from .workspace import PUBLISH, REVIEW, Workspace, reviewer_of, submit_form

SUBMIT = workflow.MOVES[Action.SUBMIT][2]
VIEW = "articles.view_article"


def _require_any(*permissions):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(request.user.has_perm(name) for name in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@never_cache
@login_required
def dashboard(request):
    user = request.user
    reviewer = reviewer_of(user)
    can_review = reviewer is not None and user.has_perm(REVIEW)
    can_edit = user.has_perm(SUBMIT)
    can_publish = user.has_perm(PUBLISH)
    return render(
        request,
        "reviews/dashboard.html",
        {
            "reviewer": reviewer,
            "can_review": can_review,
            "can_edit": can_edit,
            "can_publish": can_publish,
            "waiting": queries.awaiting_review(reviewer=reviewer) if can_review else [],
            "decisions": queries.decisions_by(reviewer=reviewer).select_related(
                "article"
            )
            if reviewer
            else [],
            "ready": queries.ready_to_publish() if can_publish else [],
            "record_changes": queries.record_changes() if can_publish else [],
            "sent_back": queries.sent_back() if can_edit else [],
            "drafts": queries.drafts() if can_edit else [],
        },
    )


def _article(pk):
    return get_object_or_404(
        Article.objects.select_related(
            "topic",
            "owner",
            "published",
            "latest_revision__user",
            "scheduled_publication__scheduled_by",
            "scheduled_unpublication__scheduled_by",
        ),
        pk=pk,
    )


@never_cache
@login_required
@_require_any(VIEW)
def article_workspace(request, pk):
    return _workspace(request, _article(pk))


def _workspace(request, article, *, bound=None, refusal=None, status=200):
    """Render the article's workspace; ``bound`` holds a form that was refused."""
    page = Workspace.build(article, request.user, bound=bound, refusal=refusal)
    return render(
        request, "reviews/article_workspace.html", page.context(), status=status
    )


def _move(action, name, form_class, perform):
    """Return a POST-only view that checks the role, reads a form and makes a move.

    ``perform(request, article, data)`` returns the message shown on success;
    a refusal from the workflow is shown instead, and nothing changes.
    """

    @never_cache
    @login_required
    @require_POST
    def view(request, pk):
        if not request.user.has_perm(workflow.MOVES[action][2]):
            raise PermissionDenied
        article = _article(pk)
        form = form_class(request.POST, auto_id=f"{name}-%s")
        if not form.is_valid():
            return _workspace(request, article, bound={name: form}, status=400)
        try:
            done = perform(request, article, form.cleaned_data)
        except TransitionError as error:
            if str(error) == workflow.ALREADY_RECORDED:
                messages.info(request, str(error))
                return redirect("reviews:article", pk=article.pk)
            # Shown again with what they typed, so nothing they wrote is lost.
            article = _article(pk)
            return _workspace(
                request,
                article,
                bound={name: _kept(form, article)},
                refusal=str(error),
                status=409,
            )
        messages.success(request, done)
        return redirect("reviews:article", pk=article.pk)

    view.__name__ = name
    return view


def _kept(form, article):
    """Return a refused form to show again: what was typed, on the version the page
    now shows, so that sending it again decides on that version."""
    if "revision" not in form.fields or article.latest_revision_id is None:
        return form
    data = form.data.copy()
    data[form.add_prefix("revision")] = article.latest_revision_id
    return type(form)(data, auto_id=form.auto_id)


def _submit(request, article, data):
    chosen = list(data["reviewers"])
    services.submit(
        article=article, by=request.user, reviewers=chosen, comment=data["comment"]
    )
    people = " and ".join(r.name for r in chosen) if chosen else "every reviewer"
    return f"Sent for review to {people}."


def _revision(article, data):
    revision = revisions.revisions_of(article).filter(pk=data["revision"]).first()
    if revision is None:
        raise TransitionError(
            "That version is not one of this article's versions. Reload the page "
            "and try again."
        )
    return revision


def _approve(request, article, data):
    services.approve(
        article=article,
        revision=_revision(article, data),
        by=request.user,
        comment=data["comment"],
    )
    return "Your approval is recorded."


def _request_changes(request, article, data):
    services.request_changes(
        article=article,
        revision=_revision(article, data),
        by=request.user,
        comment=data["comment"],
    )
    return "Your request for changes is recorded. The article is back with the editors."


def _confirm(request, article, data):
    services.confirm_still_accurate(
        article=article, by=request.user, comment=data["comment"]
    )
    return "Your confirmation that the page is still accurate is recorded."


def _publish(request, article, data):
    services.publish(
        article=article,
        by=request.user,
        is_full_review=data["review"],
        full_review_not_needed=data.get("full_review_not_needed", False),
        comment=data["comment"],
    )
    if data["review"]:
        return (
            "Published. Readers now see this version, and the review dates start again."
        )
    return "Published. Readers now see this version; the review dates are unchanged."


def _schedule(request, article, data):
    services.schedule(
        article=article,
        by=request.user,
        go_live_at=data["go_live_at"],
        is_full_review=data["review"],
        full_review_not_needed=data.get("full_review_not_needed", False),
        comment=data["comment"],
    )
    when = display.moment(data["go_live_at"])
    return f"Scheduled to go live on {when}."


@never_cache
@login_required
@require_POST
def change_owner(request, pk):
    """Choose who owns the article: editors and publishers."""
    if not services.may_choose_owner(request.user):
        raise PermissionDenied
    article = _article(pk)
    form = forms.OwnerForm(request.POST, auto_id="owner-%s")
    if not form.is_valid():
        return _workspace(request, article, bound={"owner": form}, status=400)
    owner = form.cleaned_data["owner"]
    try:
        services.change_owner(article=article, owner=owner, by=request.user)
    except TransitionError as error:
        return _workspace(
            request, _article(pk), bound={"owner": form}, refusal=str(error), status=409
        )
    messages.success(
        request,
        f"{display.person(owner, nobody='Nobody')} now owns this article."
        if owner
        else "This article has no owner now.",
    )
    return redirect("reviews:article", pk=article.pk)


def _cancel_schedule(request, article, data):
    workflow.cancel_schedule(article, by=request.user, comment=data["comment"])
    return "The scheduled publication is cancelled. The approvals still stand."


def _set_expiry(request, article, data):
    workflow.set_expiry(article, by=request.user, unpublish_at=data["unpublish_at"])
    when = display.moment(data["unpublish_at"])
    return f"The page will come off the public site on {when}."


def _clear_expiry(request, article, data):
    workflow.clear_expiry(article, by=request.user)
    return "The unpublish date is cleared: the page stays on the public site."


def _correct_dates(request, article, data):
    workflow.correct_review_dates(
        article,
        by=request.user,
        reviewed_on=data["reviewed_on"],
        next_review_on=data["next_review_on"],
        reason=data["reason"],
    )
    return (
        f"Review dates corrected: reviewed {display.day(data['reviewed_on'])}, "
        f"next review {display.day(data['next_review_on'])}. The reason is in the "
        "history."
    )


def _unpublish(request, article, data):
    services.unpublish(article=article, by=request.user, comment=data["comment"])
    return "Taken off the public site. Its history and approvals are kept."


submit = _move(Action.SUBMIT, "submit", submit_form, _submit)
approve = _move(Action.APPROVE, "approve", forms.ApproveForm, _approve)
request_changes = _move(
    Action.REQUEST_CHANGES,
    "request_changes",
    forms.RequestChangesForm,
    _request_changes,
)
confirm = _move(Action.CONFIRM_REVIEW, "confirm", forms.ConfirmForm, _confirm)
publish = _move(Action.PUBLISH, "publish", forms.PublishForm, _publish)
schedule = _move(Action.SCHEDULE, "schedule", forms.ScheduleForm, _schedule)
unpublish = _move(Action.UNPUBLISH, "unpublish", forms.UnpublishForm, _unpublish)
cancel_schedule = _move(
    Action.CANCEL_SCHEDULE,
    "cancel_schedule",
    forms.CancelScheduleForm,
    _cancel_schedule,
)
set_expiry = _move(Action.SET_EXPIRY, "expiry", forms.ExpiryForm, _set_expiry)
clear_expiry = _move(
    Action.CLEAR_EXPIRY, "clear_expiry", forms.ClearExpiryForm, _clear_expiry
)
correct_dates = _move(
    Action.CORRECT_DATES, "correct_dates", forms.ReviewDatesForm, _correct_dates
)


def _revision_label(revision, *, live_id, current_id):
    parts = [revisions.label(revision), Truncator(revision.comment).chars(60)]
    if revision.pk == current_id:
        parts.append("(current)")
    if revision.pk == live_id:
        parts.append("(live)")
    return " — ".join(part for part in parts if part)


@never_cache
@login_required
@_require_any(VIEW)
def compare_revisions(request, pk):
    """Compare two versions. The lists offer the newest versions, the live one and
    the two compared, so a long history does not make a long page."""
    article = _article(pk)
    newest = list(revisions.revisions_of(article)[: revisions.HISTORY_PAGE_SIZE])
    if not newest:
        raise Http404("This article has no saved versions.")
    current_id = newest[0].pk
    live_id = article.live.revision_id if article.is_live else None
    chosen_from = request.GET.get("from")
    if chosen_from is None:
        chosen_from = live_id or revisions.revisions_of(article).last().pk
    chosen_to = request.GET.get("to", current_id)
    offered = revisions.to_choose_from(
        article, newest, also=[live_id, chosen_from, chosen_to]
    )
    by_id = {revision.pk: revision for revision in offered}
    live_id = live_id if live_id in by_id else None
    choices = [
        (r.pk, _revision_label(r, live_id=live_id, current_id=current_id))
        for r in offered
    ]
    form = forms.CompareForm({"from": chosen_from, "to": chosen_to}, choices=choices)
    if not form.is_valid():
        raise Http404("This article has no such version.")
    old, new = form.cleaned_data["from"], form.cleaned_data["to"]
    return render(
        request,
        "reviews/article_compare.html",
        {
            "article": article,
            "form": form,
            "old": by_id[old],
            "new": by_id[new],
            "comparison": compare.compare(article, old, new),
        },
    )


@never_cache
@login_required
@_require_any(VIEW, SUBMIT, REVIEW, PUBLISH)
def reviews_due(request):
    today = timezone.localdate()
    return render(
        request,
        "reviews/reviews_due.html",
        {
            "due": queries.reviews_due(on=today),
            "today": today,
            "notice_days": review_notice().days,
        },
    )


RECORDS = {"reference": Reference, "reviewer": Reviewer}


@never_cache
@login_required
@require_POST
def approve_record(request, kind, pk):
    """Approve the current version of a reference or reviewer on every live page."""
    if kind not in RECORDS:
        raise Http404("No such kind of record.")
    if not request.user.has_perm(PUBLISH):
        raise PermissionDenied
    record = get_object_or_404(RECORDS[kind], pk=pk)
    form = forms.ConfirmForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        articles = workflow.approve_record_change(
            record, by=request.user, comment=comment
        )
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        count = "1 live page" if len(articles) == 1 else f"{len(articles)} live pages"
        messages.success(request, f"Approved. {count} now show the current “{record}”.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "reviews:dashboard"
    return redirect(back)
