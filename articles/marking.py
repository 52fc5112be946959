"""What readers read of a live page: the approved section bodies made into the
HTML readers get, once, when the page is written (never per request).

One pipeline for every writer of a live page: links to our other articles are
pointed at their addresses (``articles.links``), then the first use of each live
glossary term in the whole article is marked as a link to its definition. The
terms are found by whichever app registered a marker (``plainenglish`` does, on
start-up); without one, pages simply have no marks. Each page keeps the
definitions it shows (``PublishedArticle.glossary``) and ``PublishedTermUse``
records which terms it uses, so the page is still read in three queries.

When a term goes live, changes or comes down, the live articles that mark it or
hold one of its phrases are written again (``refresh_for_terms``) inside the
move's transaction; every live article is locked first, in id order.
"""

from django.db import transaction

from . import links, pagecache
from .models import Article, PublishedArticle, PublishedTermUse

_marker = None


def register_marker(mark):
    """Use ``mark(sections_html) -> (marked sections_html, term ids used, in
    order)`` to mark glossary terms on live pages."""
    global _marker  # noqa: PLW0603 - one marker for the site, set at start-up
    _marker = mark


def readers_text(sections):
    """Return the sections with the HTML readers see (``html`` beside ``body``,
    when it differs), the ids of the articles they link to, and the ids of the
    glossary terms marked, in order of first use."""
    sections, linked = links.public_sections(sections)
    if _marker is None:
        return sections, linked, []
    shown = [section.get("html", section["body"]) for section in sections]
    marked, used = _marker(shown)
    written = []
    for section, before, after in zip(sections, shown, marked, strict=True):
        section = dict(section)
        if after != before:
            section["html"] = after
        written.append(section)
    return written, linked, list(used)


def definitions(term_ids):
    """Return what the page shows of each live term, in the order given."""
    found = {
        pk: {"term": title, "slug": slug, "definition": summary}
        for pk, slug, title, summary in PublishedArticle.objects.filter(
            article_id__in=term_ids
        ).values_list("article_id", "article__slug", "title", "summary")
    }
    return [found[pk] for pk in term_ids if pk in found]


def index_terms(published, term_ids):
    """Record which glossary terms the live page ``published`` marks."""
    PublishedTermUse.objects.filter(published=published).delete()
    PublishedTermUse.objects.bulk_create(
        PublishedTermUse(published=published, term_id=pk)
        for pk in dict.fromkeys(term_ids)
    )


def write(published):
    """Write the readers' text of a live page again from its approved bodies,
    its links and the live glossary as they are now; save what changed."""
    sections, linked, used = readers_text(published.sections)
    glossary = definitions(used)
    changed = []
    if sections != published.sections:
        published.sections = sections
        changed.append("sections")
    if glossary != published.glossary:
        published.glossary = glossary
        changed.append("glossary")
    if changed:
        published.save(update_fields=changed)
    if changed or set(used) != set(published.term_uses.values_list("term", flat=True)):
        index_terms(published, used)
    return bool(changed)


def _folded(text):
    """Return text in lower case with its runs of spaces (and non-breaking
    spaces) made one, and curly apostrophes straight, as terms are matched."""
    text = text.replace("&nbsp;", " ").replace("\u2019", "'").casefold()
    return " ".join(text.split())


def _may_use(page, phrases):
    text = _folded(" ".join(section["body"] for section in page.sections))
    return any(phrase in text for phrase in phrases)


def refresh_for_terms(term):
    """Write the live articles again that ``term`` (which went live, changed or
    came down) may now mark or no longer mark: those marking it, and those whose
    text holds one of its live phrases. The caller holds the term's lock; return
    how many pages changed."""
    live = PublishedArticle.objects.filter(article=term).first()
    phrases = (
        {_folded(p) for p in [live.title, *live.variants.splitlines()] if p.strip()}
        if live
        else set()
    )
    with transaction.atomic():
        pagecache.public_pages_changed()  # lock first: see articles.links
        pages = (
            PublishedArticle.objects.select_for_update()
            .filter(article__kind=Article.Kind.ARTICLE)
            .order_by("pk")
        )
        using = set(
            PublishedTermUse.objects.filter(term=term).values_list(
                "published_id", flat=True
            )
        )
        return sum(
            write(page) for page in pages if page.pk in using or _may_use(page, phrases)
        )


def preview(sections):
    """Return sections (rows or a revision's) as readers would see them if
    published now, with the definitions the page would show; writes nothing."""
    shown = [
        section
        if isinstance(section, dict)
        else {
            "heading": section.heading,
            "anchor": section.anchor,
            "body": section.body,
        }
        for section in links.as_readers_would_see(sections)
    ]
    if _marker is None:
        return shown, []
    marked, used = _marker([section["body"] for section in shown])
    return (
        [
            {**section, "body": body}
            for section, body in zip(shown, marked, strict=True)
        ],
        definitions(used),
    )
