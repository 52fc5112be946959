from django import template
from django.urls import reverse
from django.utils.http import urlencode

from articles.models import State
from articles.models.content import review_notice

from ..home import VIEW, Home

register = template.Library()


@register.inclusion_tag("admin/_home_panels.html", takes_context=True)
def home_panels(context):
    """Show the signed-in editor's panels: drafts, sent back, in review,
    scheduled and reviews due. Nothing for someone who cannot see articles."""
    user = context["request"].user
    if not user.has_perm(VIEW):
        return {"show": False}
    changelist = reverse("admin:articles_article_changelist")
    dashboard = reverse("reviews:dashboard")
    return {
        "show": True,
        "notice_days": review_notice().days,
        # Where each panel's whole list is, when it holds more than it shows.
        "more": {
            "my_drafts": changelist
            + "?"
            + urlencode({"state": State.DRAFT, "owner__id__exact": user.pk}),
            "sent_back": dashboard + "#sent-back",
            "in_review": changelist + "?" + urlencode({"state": State.IN_REVIEW}),
            "scheduled": dashboard + "#ready",
        },
        **Home.build(user).context(),
    }
