from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from . import links, publication, revisions
from .models import Article, Topic
from .page import ArticlePage, Glossary


def home(request):
    return render(
        request,
        "articles/home.html",
        {
            "topics": Topic.objects.roots().prefetch_related("children"),
            "featured": publication.live_listing().filter(article__is_featured=True),
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
            "articles": publication.live_listing().filter(article__topic=topic),
        },
    )


def article_detail(request, slug):
    published = publication.live_page(slug)
    if published is None:
        # A glossary term has no page of its own: its entry is in the glossary.
        if Article.objects.terms().published().filter(slug=slug).exists():
            return HttpResponseRedirect(reverse("articles:glossary") + f"#{slug}")
        gone = Article.objects.filter(slug=slug, unpublished_at__isnull=False).first()
        if gone is not None:
            return render(request, "410.html", {"title": gone.title}, status=410)
        # An address the article had before leads to the one it has now.
        if (address := links.moved_to(slug)) is not None:
            return HttpResponsePermanentRedirect(address)
        raise Http404("No published article at this address.")
    return render(
        request, "articles/article_detail.html", {"page": ArticlePage.live(published)}
    )


def glossary(request):
    """The A–Z glossary: every live term with its definition, the live articles
    that use it and its related articles."""
    return render(request, "articles/glossary.html", {"glossary": Glossary.live()})


def _preview(request, article, page, label):
    response = render(
        request,
        "articles/article_detail.html",
        {"page": page, "preview_label": label, "preview_article": article},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _article(pk):
    return get_object_or_404(
        Article.objects.select_related("topic", "published"), pk=pk
    )


@never_cache
@login_required
@permission_required("articles.view_article", raise_exception=True)
def preview_draft(request, pk):
    article = _article(pk)
    return _preview(
        request, article, ArticlePage.for_draft(article), "the current draft"
    )


@never_cache
@login_required
@permission_required("articles.view_article", raise_exception=True)
def preview_revision(request, pk, revision_id):
    article = _article(pk)
    revision = revisions.revisions_of(article).filter(pk=revision_id).first()
    if revision is None:
        raise Http404("This article has no such revision.")
    return _preview(
        request,
        article,
        ArticlePage.for_revision(article, revision.pk),
        revisions.label(revision),
    )
