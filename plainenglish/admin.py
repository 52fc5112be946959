from django.contrib import admin

from articles.admin import BoundedSearch

from .models import HouseWord


@admin.register(HouseWord)
class HouseWordAdmin(BoundedSearch, admin.ModelAdmin):
    list_display = ["phrase", "alternative", "includes_plurals", "note"]
    search_fields = ["phrase", "alternative"]
    fields = ["phrase", "alternative", "includes_plurals", "note"]
