"""What readers read of a live page: the approved section bodies made into the
HTML readers get, once, when the page is written (never per request).

One pipeline for every writer of a live page: links to our other articles are
pointed at their addresses (``articles.links``), then the first use of each live
glossary term in the whole article is marked as a link to its definition. The
terms are found by whichever app registered a marker (``plainenglish`` does, on
start-up); without one, pages simply have no marks. Each page keeps the
definitions it shows (``PublishedArticle.glossary``), its body rendered with
them (``articles.rendering``), and ``PublishedTermUse`` records which terms it
uses, so a reader's page needs no query for them.

When a term goes live, changes or comes down, the live articles that mark it or
hold one of its phrases are written again (``refresh_for_terms``) inside the
move's transaction; every live article is locked first, in id order.
"""

from django.db import transaction
from django.db.models import Q

from . import links, pagecache, rendering
from .models import Article, PublishedArticle, PublishedTermUse

_get_marker = None


def register_marker(get_marker):
    """Use ``get_marker()`` to mark glossary terms on live pages: it returns the
    live glossary's marker, whose ``mark(sections_html)`` returns the marked
    sections' HTML and the ids of the terms marked, in order of first use."""
    global _get_marker  # noqa: PLW0603 - one marker for the site, set at start-up
    _get_marker = get_marker


def live_marker():
    """Return the live glossary's marker, or None when no app registered one."""
    return _get_marker() if _get_marker is not None else None


def readers_text(sections, *, marker=None):
    """Return the sections with the HTML readers see (``html`` beside ``body``,
    when it differs), the ids of the articles they link to, and the ids of the
    glossary terms marked, in order of first use."""
    sections, linked = links.public_sections(sections)
    marker = marker or live_marker()
    if marker is None:
        return sections, linked, []
    shown = [section.get("html", section["body"]) for section in sections]
    marked, used = marker.mark(shown)
    written = []
    for section, before, after in zip(sections, shown, marked, strict=True):
        section = dict(section)
        if after != before:
            section["html"] = after
        written.append(section)
    return written, linked, list(used)


def _live_definitions(term_ids=None):
    """Return {term id: what a page shows of it} for the live terms (those of
    ``term_ids``, or all)."""
    copies = PublishedArticle.objects.terms()
    if term_ids is not None:
        copies = copies.filter(article_id__in=term_ids)
    return {
        pk: {"term": title, "slug": slug, "definition": summary}
        for pk, slug, title, summary in copies.values_list(
            "article_id", "article__slug", "title", "summary"
        )
    }


def definitions(term_ids, *, known=None):
    """Return what the page shows of each live term, in the order given."""
    known = _live_definitions(term_ids) if known is None else known
    return [known[pk] for pk in term_ids if pk in known]


def record_uses(pages):
    """Record which glossary terms live pages mark: ``pages`` maps each page's
    id to the term ids it marked before and those it marks now. Only the rows
    that change are written (those gone deleted, the new ones inserted, by page
    then term): a use a page keeps is never written again, so recording a new
    term's use takes no lock on the row of a term the page already marked
    (which an editor may be moving at that moment)."""
    gone, new = Q(), []
    for published_id, (before, now) in sorted(pages.items()):
        now = set(now)
        if removed := before - now:
            gone |= Q(published_id=published_id, term_id__in=sorted(removed))
        new.extend((published_id, pk) for pk in sorted(now - before))
    if gone:
        PublishedTermUse.objects.filter(gone).delete()
    if new:
        PublishedTermUse.objects.bulk_create(
            PublishedTermUse(published_id=published_id, term_id=pk)
            for published_id, pk in new
        )


def index_terms(published, term_ids, *, before=None):
    """Record which glossary terms the live page ``published`` marks; ``before``
    (the term ids recorded until now) saves a query."""
    if before is None:
        before = set(published.term_uses.values_list("term", flat=True))
    record_uses({published.pk: (set(before), term_ids)})


def write(published, *, marker=None, known=None, uses=None, index=True):
    """Write the readers' text of a live page again from its approved bodies,
    its links and the live glossary as they are now; store what changed, with
    the page's body rendered again, in one statement.

    The caller has moved the public version and locked the page. ``marker``,
    ``known`` (the live definitions) and ``uses`` (the term ids the page marked)
    save queries when many pages are written at once; with ``index`` false the
    caller records the terms used (``published.terms_used``).
    """
    sections, _linked, used = readers_text(published.sections, marker=marker)
    glossary = definitions(used, known=known)
    changed = {}
    if sections != published.sections:
        published.sections = changed["sections"] = sections
    if glossary != published.glossary:
        published.glossary = changed["glossary"] = glossary
    if changed or not rendering.is_current(published):
        # Not a versioned row; the public version already moved for the batch.
        fields = {**changed, **rendering.text_fields(published)}
        PublishedArticle.objects.filter(pk=published.pk).update(**fields)
    published.terms_used = used
    if not index:
        return bool(changed)
    if uses is None:
        uses = set(published.term_uses.values_list("term", flat=True))
    if set(used) != set(uses):
        index_terms(published, used, before=uses)
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
        using = set(
            PublishedTermUse.objects.filter(term=term).values_list(
                "published_id", flat=True
            )
        )
        pages = [
            page
            # The copies only, not their articles' rows: a move holding an
            # article's row waits for the public version this move holds.
            for page in PublishedArticle.objects.select_for_update(of=("self",))
            .filter(article__kind=Article.Kind.ARTICLE)
            .defer("body_html", "sources_html")
            .order_by("pk")
            if _may_use(page, phrases) or page.pk in using
        ]
        uses = {}
        for published_id, term_id in PublishedTermUse.objects.filter(
            published__in=[page.pk for page in pages]
        ).values_list("published_id", "term_id"):
            uses.setdefault(published_id, set()).add(term_id)
        marker, known = live_marker(), _live_definitions()
        changed = sum(
            write(page, marker=marker, known=known, index=False) for page in pages
        )
        # Only the uses that changed, for all the pages at once.
        record_uses(
            {
                page.pk: (uses.get(page.pk, set()), page.terms_used)
                for page in pages
                if set(page.terms_used) != uses.get(page.pk, set())
            }
        )
        return changed


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
    marker = live_marker()
    if marker is None:
        return shown, []
    marked, used = marker.mark([section["body"] for section in shown])
    return (
        [
            {**section, "body": body}
            for section, body in zip(shown, marked, strict=True)
        ],
        definitions(used),
    )
