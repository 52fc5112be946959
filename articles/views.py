from django.shortcuts import get_object_or_404, render

from .models import Article, Topic
from .page import ArticlePage


def home(request):
    return render(
        request,
        "articles/home.html",
        {
            "topics": Topic.objects.roots().prefetch_related("children"),
            "featured": Article.objects.public().filter(is_featured=True).for_listing(),
        },
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    topics_by_pk = {t.pk: t for t in Topic.objects.all()}
    return render(
        request,
        "articles/topic_detail.html",
        {
            "topic": topic,
            "breadcrumbs": topic.ancestors(topics_by_pk)[:-1],
            "subtopics": [t for t in topics_by_pk.values() if t.parent_id == topic.pk],
            "articles": topic.articles.public().for_listing(),
        },
    )


def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.public().select_related("topic"), slug=slug
    )
    return render(
        request,
        "articles/article_detail.html",
        {"page": ArticlePage.for_article(article)},
    )
