from django.contrib import admin
from reversion.admin import VersionAdmin

from articles.admin import ArticleAdmin

from .models import Credit, Reviewer


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ["reviewer"]
    fields = ["role", "reviewer", "order"]
    verbose_name_plural = "credits (who wrote, reviewed and approved this article)"


# Credits belong to the reviews app, so they join the article form from here.
ArticleAdmin.inlines = [*ArticleAdmin.inlines, CreditInline]


@admin.register(Reviewer)
class ReviewerAdmin(VersionAdmin):
    list_display = ["name", "credentials", "kind", "user", "is_sample"]
    list_filter = ["kind", "is_sample"]
    search_fields = ["name", "credentials"]
    autocomplete_fields = ["user"]
