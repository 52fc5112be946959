from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.urls import path


def article(request, slug):
    """The article's title and one query, in a template with a static file."""
    return render(
        request,
        "article.html",
        {"title": "Breast cancer recurrence", "types": ContentType.objects.count()},
    )


urlpatterns = [path("articles/<slug:slug>/", article)]
