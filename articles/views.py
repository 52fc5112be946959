from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from . import revisions
from .models import Article, Topic
from .page import ArticlePage


def _by_title(articles):
    return sorted(revisions.live_copies(articles), key=lambda article: article.title)


def home(request):
    return render(
        request,
        "articles/home.html",
        {
            "topics": Topic.objects.roots().prefetch_related("children"),
            "featured": _by_title(
                Article.objects.published()
                .filter(is_featured=True)
                .select_related("topic")
            ),
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
            "articles": _by_title(topic.articles.published()),
        },
    )


def article_detail(request, slug):
    article = Article.objects.filter(slug=slug).select_related("topic").first()
    if article is None or not article.is_live:
        if article is not None and article.was_unpublished:
            return render(request, "410.html", {"title": article.title}, status=410)
        raise Http404("No published article at this address.")
    return render(
        request, "articles/article_detail.html", {"page": ArticlePage.live(article)}
    )


def _preview(request, article, page, label):
    response = render(
        request,
        "articles/article_detail.html",
        {"page": page, "preview_label": label, "preview_article": article},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@login_required
@permission_required("articles.view_article", raise_exception=True)
def preview_draft(request, pk):
    article = get_object_or_404(Article.objects.select_related("topic"), pk=pk)
    return _preview(
        request, article, ArticlePage.for_draft(article), "the current draft"
    )


@never_cache
@login_required
@permission_required("articles.view_article", raise_exception=True)
def preview_revision(request, pk, revision_id):
    article = get_object_or_404(Article.objects.select_related("topic"), pk=pk)
    revision = revisions.revisions_of(article).filter(pk=revision_id).first()
    if revision is None:
        raise Http404("This article has no such revision.")
    return _preview(
        request,
        article,
        ArticlePage.for_revision(article, revision.pk),
        f"the version saved on {revision.date_created:%d %B %Y at %H:%M}",
    )
