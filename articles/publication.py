"""Writing and reading what readers see: the published copy of an article.

``make_live`` copies one approved revision into the published tables, with the
page's body rendered from it (``articles.rendering``); only the workflow's
moves write them (publishing, refreshing a shared record, taking down), and
links and glossary marks are written again by ``articles.links`` and
``articles.marking``. Public pages read these tables and never an article's
draft rows or revisions.
"""

from django.db.models import Prefetch
from django.urls import reverse

from . import links as article_links
from . import marking, pagecache, rendering, revisions
from .content import WRITTEN_ROLES
from .models import (
    CITATION_FIELDS,
    Article,
    PublishedArticle,
    PublishedPerson,
    PublishedReference,
    PublishedTermUse,
    Reference,
    Reviewer,
    person_fingerprint,
)


class PublicationError(Exception):
    """A revision that cannot be copied to the public site; the message says why."""


def credit_role_for(kind):
    """Return the credit a reviewer's approval earns: clinical experts approve,
    everyone else reviews."""
    return "approved" if kind == Reviewer.Kind.CLINICAL else "reviewed"


def _credit(role, reviewer_id, name, credentials, kind, is_sample):
    return {
        "role": role,
        "reviewer": reviewer_id,
        "name": name,
        "credentials": credentials,
        "kind": kind,
        "is_sample": is_sample,
        "fingerprint": person_fingerprint(name, credentials, kind, is_sample),
    }


def credits_for(written, approvals):
    """Return the credit lines for a page: the people credited with writing it,
    then each approving reviewer as they were when they decided."""
    people = revisions.people_for(written)
    lines = [
        _credit(
            credit.role,
            credit.reviewer_id,
            person.name,
            person.credentials,
            person.kind,
            person.is_sample,
        )
        for credit in written
        if credit.role in WRITTEN_ROLES
        and (person := people.get(credit.reviewer_id)) is not None
    ]
    for approval in sorted(approvals, key=lambda a: (a.created_at, a.pk)):
        lines.append(
            _credit(
                credit_role_for(approval.reviewer_kind),
                approval.reviewer_id,
                approval.reviewer_name,
                approval.reviewer_credentials,
                approval.reviewer_kind,
                approval.reviewer_is_sample,
            )
        )
    return lines


def _index_people(published):
    """Record which reviewers the page names, and as which version of their record."""
    PublishedPerson.objects.filter(published=published).delete()
    PublishedPerson.objects.bulk_create(
        PublishedPerson(published=published, reviewer_id=reviewer, fingerprint=print_)
        for reviewer, print_ in {
            (credit["reviewer"], credit["fingerprint"]) for credit in published.credits
        }
    )


def make_live(article, *, revision, fingerprint, approvals, now):
    """Replace the article's published copy with ``revision``, credited to the
    ``approvals`` that let it go live. The caller holds the article's lock."""
    snap = revisions.snapshot(revision.pk, article.pk)
    links = snap.reference_links()
    references = Reference.objects.in_bulk([link.reference_id for link in links])
    if any(link.reference_id not in references for link in links):
        raise PublicationError(
            "This version cites a reference that has since been deleted. Restore or "
            "replace the reference, and send the article for review again."
        )
    is_term = article.kind == Article.Kind.TERM
    sections = [] if is_term else snap.sections()
    if not sections and not is_term:
        raise PublicationError(
            "An article needs at least one section before it can go on."
        )
    pagecache.public_pages_changed()  # lock first: see articles.links
    # Links to our other articles are pointed at their addresses now (links.py),
    # then glossary terms are marked (marking.py).
    sections, linked, terms_used = marking.readers_text(
        [{"heading": s.heading, "anchor": s.anchor, "body": s.body} for s in sections]
    )
    PublishedArticle.objects.filter(article=article).delete()
    published = PublishedArticle.objects.create(
        article=article,
        revision=revision,
        fingerprint=fingerprint,
        title=snap.fields.get("title", ""),
        summary=snap.fields.get("summary", ""),
        variants=(snap.fields.get("variants") or "") if is_term else "",
        sections=sections,
        glossary=marking.definitions(terms_used),
        credits=credits_for(snap.credits(), approvals),
        published_at=now,
    )
    marking.index_terms(published, terms_used, before=set())  # a new copy
    article_links.index(published, linked)
    article_links.refresh_links_to(article.pk)
    published.related.set(Article.objects.filter(pk__in=snap.related_ids))
    _index_people(published)
    if is_term:
        marking.refresh_for_terms(article)
    cited = PublishedReference.objects.bulk_create(
        PublishedReference(
            published=published,
            reference=references[link.reference_id],
            fingerprint=references[link.reference_id].fingerprint,
            order=order,
            **{
                name: getattr(references[link.reference_id], name)
                for name in CITATION_FIELDS
            },
        )
        for order, link in enumerate(links)
    )
    rendering.render_body(published, references=cited)
    return published


def showing_old(record):
    """Return the articles whose live page shows an older version of ``record``
    (a reference or a reviewer), in a stable order for locking."""
    copies = record.published_copies.exclude(fingerprint=record.fingerprint)
    return Article.objects.filter(
        pk__in=copies.values("published__article_id")
    ).order_by("pk")


def refresh_record(article, record):
    """Show the current version of ``record`` on the article's live page. The
    caller holds the article's lock. Return a sentence saying what changed."""
    pagecache.public_pages_changed()  # lock first: see articles.links
    published = PublishedArticle.objects.select_for_update().get(article=article)
    if isinstance(record, Reference):
        values = {name: getattr(record, name) for name in CITATION_FIELDS}
        published.references.filter(reference=record).update(
            fingerprint=record.fingerprint, **values
        )
        rendering.render_body(published)
        return f"Reference updated on the live page: {record}"
    for credit in published.credits:
        if credit["reviewer"] == record.pk:
            credit.update(
                _credit(
                    credit["role"],
                    record.pk,
                    record.name,
                    record.credentials,
                    record.kind,
                    record.is_sample,
                )
            )
    _index_people(published)
    rendering.render_body(published, changed=["credits"])  # one UPDATE for both
    return f"Credit updated on the live page: {record}"


def take_down(article):
    """Remove the article's published copy. The caller holds the article's lock."""
    pagecache.public_pages_changed()  # lock first: see articles.links
    PublishedArticle.objects.filter(article=article).delete()
    article_links.refresh_links_to(article.pk)  # pages linking here keep the words only
    if article.kind == Article.Kind.TERM:
        marking.refresh_for_terms(article)  # its marks and definitions go


# What an article page shows of its copy, its article and the topics above it
# (three levels, for the breadcrumbs): reading only these columns spares the
# database and Python the copy's other fields and every draft field.
_TOPIC_COLUMNS = ("name", "slug", "parent")
PAGE_COLUMNS = (
    "title",
    "summary",
    "body_html",
    "sources_html",
    "has_glossary",
    "rendered_with",
    "article__slug",
    "article__topic",
    "article__reviewed_on",
    "article__next_review_on",
    *(
        f"article__topic__{level}{column}"
        for level in ("", "parent__", "parent__parent__")
        for column in _TOPIC_COLUMNS
    ),
)


def live_pages():
    """Return the published articles' copies with what their pages show, in one
    query: each copy's stored body, its article and its topics;
    ``related_articles`` reads the rest."""
    return (
        PublishedArticle.objects.articles()
        .select_related("article__topic__parent__parent")
        .only(*PAGE_COLUMNS)
    )


def live_page(slug):
    """Return the published copy at ``slug`` with what its page shows, or None.

    At most one copy has a given address, so the query asks for no order: the
    database sorts nothing and Django compiles no ORDER BY.
    """
    try:
        return live_pages().get(article__slug=slug)
    except PublishedArticle.DoesNotExist:
        return None


def related_articles(published):
    """Return the title and address of each live article a page names as
    related, in title order (one query, reading two columns)."""
    named = PublishedArticle.related.through.objects.filter(publishedarticle=published)
    return [
        (title, reverse("articles:article", kwargs={"slug": slug}))
        for slug, title in PublishedArticle.objects.articles()
        .filter(article__in=named.values("article"))
        .order_by("title")
        .values_list("article__slug", "title")
    ]


def live_listing():
    """Return the published articles (not glossary terms) for a list of links,
    in title order."""
    return (
        PublishedArticle.objects.articles()
        .select_related("article__topic")
        .order_by("title")
    )


def live_terms():
    """Return the glossary's live terms, in A–Z order, with the live articles
    that use each (a prefetch) and their related articles (another)."""
    return (
        PublishedArticle.objects.terms()
        .select_related("article")
        .prefetch_related(
            Prefetch(
                "article__term_uses",
                queryset=PublishedTermUse.objects.select_related("published__article")
                .filter(published__article__kind=Article.Kind.ARTICLE)
                .order_by("published__title"),
            ),
            Prefetch(
                "related",
                queryset=Article.objects.articles()
                .filter(published__isnull=False)
                .select_related("published")
                .order_by("published__title"),
            ),
        )
        .order_by("title", "pk")
    )
