from django.contrib import admin
from django.utils import timezone
from reversion.admin import VersionAdmin

from .forms import ReferenceForm, SectionForm, SectionFormSet
from .models import Article, ArticleReference, Reference, Section, Topic


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review due"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("90", "Due within 90 days"),
            ("later", "Not due for 90 days or more"),
            ("none", "No review date"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "overdue":
                return queryset.due_for_review(on=today - timezone.timedelta(days=1))
            case "90":
                return queryset.due_for_review(on=today, within_days=90).filter(
                    next_review_on__gte=today
                )
            case "later":
                return queryset.exclude(
                    pk__in=queryset.due_for_review(on=today, within_days=90)
                ).filter(next_review_on__isnull=False)
            case "none":
                return queryset.filter(next_review_on__isnull=True)
        return queryset


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    formset = SectionFormSet
    extra = 0
    min_num = 1
    fields = ["heading", "body", ("anchor", "order")]
    classes = ["sections"]
    verbose_name_plural = (
        "sections (shown in this order; change the order numbers to move one)"
    )


class ArticleReferenceInline(admin.TabularInline):
    model = ArticleReference
    extra = 0
    autocomplete_fields = ["reference"]
    fields = ["reference", "order"]
    verbose_name_plural = (
        "references (search by title, organisation or code such as CG81)"
    )


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    list_display = [
        "title",
        "topic",
        "owner",
        "reviewed_on",
        "next_review_on",
        "is_featured",
    ]
    list_filter = [ReviewDueFilter, "topic", "owner", "is_featured"]
    list_select_related = ["topic", "owner"]
    search_fields = ["title", "summary", "slug", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topic", "related_articles", "owner"]
    date_hierarchy = "next_review_on"
    inlines = [SectionInline, ArticleReferenceInline]
    history_latest_first = True
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "topic", "owner", "is_featured"]},
        ),
        ("Review dates", {"fields": [("reviewed_on", "next_review_on")]}),
        ("Related information", {"fields": ["related_articles"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        return queryset, True if search_term else may_have_duplicates


@admin.register(Topic)
class TopicAdmin(VersionAdmin):
    list_display = ["name", "parent", "order"]
    list_editable = ["order"]
    list_filter = ["parent"]
    search_fields = ["name", "intro"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Reference)
class ReferenceAdmin(VersionAdmin):
    form = ReferenceForm
    list_display = [
        "title",
        "authors",
        "identifier",
        "kind",
        "updated_year",
        "accessed_on",
    ]
    list_filter = ["kind"]
    search_fields = ["title", "authors", "source", "identifier"]
    fieldsets = [
        (None, {"fields": ["kind", "authors", "title", "source", "identifier"]}),
        ("Dates", {"fields": [("year", "updated_year")]}),
        ("Online", {"fields": ["url", "accessed_on"]}),
    ]
