"""The article admin, with the way into the review workspace.

Reviewers, credits and decisions are edited with the articles they belong to
(see ``articles.admin``); this subclass adds what the review process needs.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.urls import reverse
from django.utils.html import format_html

from articles import display
from articles.admin import ArticleAdmin
from articles.models import Article, ScheduledPublication, State

from . import home

# A save can undo these: any content change sends the article back to draft.
UNDONE_BY_A_SAVE = {State.IN_REVIEW, State.APPROVED}


def names_in_words(names):
    """Return names as a sentence: "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def who_reviews_again(article):
    """Return the sentence naming who will need to review the article again."""
    review_round = home.round_of(article)
    names = review_round.to_review_again() if review_round else []
    if not names:
        return "It will need to be sent for review again."
    return f"{names_in_words(names)} will need to review it again."


class ReviewedArticleAdmin(ArticleAdmin):
    workflow_help = "Send for review and publish in the review workspace."

    def workflow_links(self, obj):
        workspace = reverse("reviews:article", kwargs={"pk": obj.pk})
        return [
            (workspace, "Open in the review workspace"),
            *super().workflow_links(obj),
        ]

    def back_to_draft_warning(self, article):
        """Return the warning shown before saving an article in review or
        approved, or "" when a save sends nothing back."""
        if article.state not in UNDONE_BY_A_SAVE:
            return ""
        warning = "Saving will send this article back to draft. " + who_reviews_again(
            article
        )
        scheduled = ScheduledPublication.objects.filter(article=article).first()
        if scheduled is not None:
            warning += (
                f" It stays scheduled to go live on {display.moment(scheduled.go_live_at)}"
                " with the version the reviewers approved: your changes will not be"
                " in it."
            )
        return warning

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and change and self.has_change_permission(request, obj):
            context["back_to_draft"] = self.back_to_draft_warning(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The save's revision, and so the article's new state, is recorded when
        # the admin's change view returns.
        before = None
        if request.method == "POST":
            before = Article.objects.filter(pk__in=_ids(unquote(object_id))).first()
            if before is not None and before.state not in UNDONE_BY_A_SAVE:
                before = None
        if before is not None:
            # Named before saving: the save may end the round they belong to.
            again = who_reviews_again(before)
        response = super().change_view(request, object_id, form_url, extra_context)
        if before is not None and response.status_code == 302:
            after = Article.objects.get(pk=before.pk)
            saved = after.latest_revision_id != before.latest_revision_id
            if saved and after.state == State.DRAFT:
                messages.warning(
                    request,
                    format_html(
                        'Your changes sent “{}” back to draft. {} <a href="{}">Send '
                        "it for review</a> when it is ready.",
                        after.title,
                        again,
                        reverse("reviews:article", kwargs={"pk": after.pk}),
                    ),
                )
        return response


def _ids(value):
    return [int(value)] if str(value).isdigit() else []


admin.site.unregister(Article)
admin.site.register(Article, ReviewedArticleAdmin)
