from django.contrib import admin
from django.urls import reverse

from articles.admin import (
    REVIEW_DATE_FIELDS,
    ArticleAdmin,
    BoundedSearch,
    OnPublicSiteFilter,
    ReviewDueFilter,
    StateFilter,
)
from articles.forms import ArticleForm
from articles.models import SUMMARY_MAX_LENGTH, Article, GlossaryTerm

from .models import HouseWord


@admin.register(HouseWord)
class HouseWordAdmin(BoundedSearch, admin.ModelAdmin):
    list_display = ["phrase", "alternative", "includes_plurals", "note"]
    search_fields = ["phrase", "alternative"]
    fields = ["phrase", "alternative", "includes_plurals", "note"]


class GlossaryTermForm(ArticleForm):
    """A glossary term: the term, its plain-English definition, its variants and
    the articles that say more. It is an article row of the term kind."""

    class Meta(ArticleForm.Meta):
        model = Article
        fields = ["title", "slug", "summary", "variants", "owner", "related_articles"]
        labels = {
            "title": "Term",
            "slug": "Address in the glossary",
            "summary": "Definition",
            "related_articles": "Related articles",
        }
        help_texts = {
            "title": "The medical word or phrase as readers meet it, for example "
            "“Secondary breast cancer”. Not one everyday word such as “back”: it "
            "would be marked everywhere. At most 150 characters.",
            "slug": "The term's place on the glossary page (after the #), for example "
            "“secondary-breast-cancer”. Lower-case letters, numbers and hyphens.",
            "summary": "What the term means, in one or two plain sentences a reader "
            "understands without other medical words, for example “Cancer that has "
            "spread from the breast to other parts of the body.” Plain text only: no "
            f"HTML. At most {SUMMARY_MAX_LENGTH} characters. A clinical reviewer "
            "must approve it before readers see it.",
            "related_articles": "Articles that say more about it, linked from its "
            "glossary entry.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules for terms (no topic, the words checked) apply from the start.
        self.instance.kind = Article.Kind.TERM


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ArticleAdmin):
    """Glossary terms, reviewed and published like articles (the same workflow
    panel, history and review workspace), with only the fields a term has."""

    kind = Article.Kind.TERM
    form = GlossaryTermForm
    list_display = [
        "title",
        "status",
        "owner",
        "is_on_public_site",
        "reviewed_on",
        "next_review_on",
    ]
    list_filter = [StateFilter, ReviewDueFilter, OnPublicSiteFilter, "owner"]
    list_select_related = ["owner", "published"]
    search_fields = ["title", "summary", "variants", "slug"]
    autocomplete_fields = ["related_articles", "owner"]
    inlines = []
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "variants", "owner"]}),
        (
            "Review dates",
            {
                "fields": [tuple(REVIEW_DATE_FIELDS)],
                "description": "Set when a publisher publishes the term after a "
                "full review, or when reviewers confirm it is still accurate.",
            },
        ),
        ("Related information", {"fields": ["related_articles"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        # The form edits the article row itself, so saves are recorded in the
        # article's history exactly as an article's are.
        class Meta(form.Meta):
            model = Article

        return type(form)(form.__name__, (form,), {"Meta": Meta})

    def workflow_links(self, obj):
        """Return (address, label) pairs for the places the term is seen."""
        links = [(reverse("articles:preview", args=[obj.pk]), "Preview the draft")]
        if obj.is_live:
            links.append(
                (
                    f"{reverse('articles:glossary')}#{obj.slug}",
                    "View it in the glossary",
                )
            )
        return links

    def save_model(self, request, obj, form, change):
        obj.kind = Article.Kind.TERM
        super().save_model(request, obj, form, change)
