"""Links between our articles, decided when a page is written, not when it is read.

In a draft, a link to one of our articles carries the article's id
(``<a href="/articles/<slug>/" data-article="<id>">``, from the editor's "Our
articles" button). When a page goes live, each such link is pointed at the
article's current address if that article is on the site, and otherwise removed,
keeping its words. The result is stored on the published copy beside the
approved text (``html`` beside ``body`` in each section), and ``PublishedLink``
records which articles each live page links to. Whenever one of those articles
moves, goes live, comes down or is deleted, the pages linking to it are written
again (``refresh_links_to``). Readers' pages therefore cost no extra query.

Every function that reads whether articles are live and then writes pages first
moves the public version (``pagecache.public_pages_changed``): that row is locked
until the transaction ends, so a page going live and an article it links to
coming down at the same moment are written one after the other, never crossed.
"""

import html
import re

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from . import pagecache
from .models import Article, FormerAddress, PublishedArticle, PublishedLink
from .prose import ARTICLE_ATTRIBUTE

# Sanitised bodies are serialised by the sanitiser: double-quoted attributes,
# and no link inside another, so the first </a> ends the link.
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_ARTICLE_ID = re.compile(rf'\b{ARTICLE_ATTRIBUTE}="(\d+)"')
# A link stays a link to an article only while it points at an article address:
# an editor who types another address over it made it an ordinary link.
_ARTICLE_ADDRESS = re.compile(r"^/articles/[-\w]+/(?:#[-\w]*)?$")


def linked_ids(body):
    """Return the ids of the articles a body links to."""
    return {int(found) for found in _ARTICLE_ID.findall(body or "")}


def _article_link(attributes):
    values = dict(_ATTRIBUTE.findall(attributes))
    target = values.get(ARTICLE_ATTRIBUTE)
    href = html.unescape(values.get("href", ""))
    if not (target and target.isdigit() and _ARTICLE_ADDRESS.match(href)):
        return None, values
    return int(target), values


def resolve(body, addresses):
    """Return ``body`` with each link to one of our articles pointed at its
    address in ``addresses`` (id: address), or removed, keeping its words, when
    the article is not there (not on the site)."""

    def rewrite(match):
        target, values = _article_link(match.group(1))
        if target is None:
            return match.group(0)
        address = addresses.get(target)
        if address is None:
            return match.group(2)
        values["href"] = html.escape(address, quote=True)
        written = " ".join(f'{name}="{value}"' for name, value in values.items())
        return f"<a {written}>{match.group(2)}</a>"

    return _LINK.sub(rewrite, body)


def live_addresses(ids):
    """Return the current address of each of the articles that is live, by id."""
    if not ids:
        return {}
    return {
        pk: reverse("articles:article", kwargs={"slug": slug})
        for pk, slug in Article.objects.filter(
            pk__in=ids, published__isnull=False
        ).values_list("pk", "slug")
    }


def public_sections(sections):
    """Return the sections with the text readers see (``html``) beside each
    linking body, and the ids of the articles they link to."""
    ids = set().union(*(linked_ids(section["body"]) for section in sections))
    if not ids:
        return [_without_html(section) for section in sections], ids
    pagecache.public_pages_changed()  # lock first: see the module's docstring
    addresses = live_addresses(ids)
    written = []
    for section in sections:
        section = _without_html(section)
        if linked_ids(section["body"]):
            section["html"] = resolve(section["body"], addresses)
        written.append(section)
    return written, ids


def as_readers_would_see(sections):
    """Return sections (rows or a revision's) for a staff preview, their links
    to our articles as readers would see them if published now. Reads the
    articles' addresses in one query; writes nothing."""
    sections = list(sections)
    ids = set().union(*(linked_ids(section.body) for section in sections))
    if not ids:
        return sections
    addresses = live_addresses(ids)
    return [
        {
            "heading": section.heading,
            "anchor": section.anchor,
            "body": resolve(section.body, addresses),
        }
        for section in sections
    ]


def _without_html(section):
    return {name: value for name, value in section.items() if name != "html"}


def index(published, ids):
    """Record which articles the live page ``published`` links to."""
    PublishedLink.objects.filter(published=published).delete()
    PublishedLink.objects.bulk_create(
        PublishedLink(published=published, target_id=pk) for pk in sorted(ids)
    )


def refresh_links_to(article_id):
    """Write again every live page that links to the article ``article_id``, after
    it moved, went live, came down or was deleted."""
    linking = PublishedLink.objects.filter(target_id=article_id)
    if not linking.exists():
        return
    with transaction.atomic():
        pagecache.public_pages_changed()  # lock first: see the module's docstring
        pages = (
            PublishedArticle.objects.select_for_update()
            .filter(pk__in=linking.values("published_id"))
            .defer("body_html", "sources_html")
            .order_by("pk")
        )
        # The whole pipeline, so marked terms stay marked and the page's body
        # is rendered again with its links.
        from . import marking

        for page in pages:
            marking.write(page)


PICKER_RESULTS = 20


def choices(query):
    """Return the articles an editor may link to whose title holds ``query``,
    as the editor's link button shows them."""
    query = query.strip()[:150]
    if not query:
        return []
    found = (
        Article.objects.articles()
        .filter(title__icontains=query)
        .select_related("published")
        .order_by("title", "pk")[:PICKER_RESULTS]
    )
    return [
        {
            "id": article.pk,
            "title": article.title,
            "url": article.get_absolute_url(),
            "live": article.is_live,
        }
        for article in found
    ]


def linking_pages(article):
    """Return the other live pages whose text links to ``article``, by title."""
    return list(
        PublishedArticle.objects.filter(links_out__target=article)
        .exclude(article=article)
        .select_related("article")
        .order_by("title")
    )


# Addresses.


def address_taken(slug):
    """An article now has ``slug``: it no longer leads anywhere else."""
    FormerAddress.objects.filter(slug=slug).delete()


def address_changed(article, old_slug):
    """Keep ``old_slug`` as a former address of ``article`` (redirecting to its
    current one), and point the live pages linking to it (or, for a glossary
    term, marking it) at its new address."""
    with transaction.atomic():
        # The current address always wins: an article moved back to an address
        # it had before (A to B, then B to A) never redirects from it.
        address_taken(article.slug)
        if not Article.objects.filter(slug=old_slug).exists():  # not taken meanwhile
            FormerAddress.objects.update_or_create(
                slug=old_slug,
                defaults={"article": article, "changed_at": timezone.now()},
            )
        refresh_links_to(article.pk)
        if article.kind == Article.Kind.TERM and article.is_live:
            from . import marking

            # Its address is in the marks, the definitions and the glossary
            # links of the pages marking it.
            marking.refresh_for_terms(article)


def moved_to(slug):
    """Return the current address of the article that used to be at ``slug``, or
    None."""
    # An article that has the address now always wins over one that had it.
    former = (
        FormerAddress.objects.filter(slug=slug)
        .exclude(Exists(Article.objects.filter(slug=OuterRef("slug"))))
        .select_related("article")
        .first()
    )
    return former.article.get_absolute_url() if former else None
