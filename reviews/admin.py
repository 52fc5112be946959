"""The article admin, with the way into the review workspace.

Reviewers, credits and decisions are edited with the articles they belong to
(see ``articles.admin``); this subclass adds what the review process needs.
"""

from django.contrib import admin
from django.urls import reverse

from articles.admin import ArticleAdmin
from articles.models import Article


class ReviewedArticleAdmin(ArticleAdmin):
    workflow_help = "Send for review and publish in the review workspace."

    def workflow_links(self, obj):
        workspace = reverse("reviews:article", kwargs={"pk": obj.pk})
        return [
            (workspace, "Open in the review workspace"),
            *super().workflow_links(obj),
        ]


admin.site.unregister(Article)
admin.site.register(Article, ReviewedArticleAdmin)
