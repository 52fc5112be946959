"""Writing and reading what readers see: the published copy of an article.

``make_live`` copies one approved revision into the published tables; nothing
else writes them, and only the workflow's publish move calls it. Public pages
read these tables and never an article's draft rows or revisions.
"""

from django.db.models import Prefetch

from . import revisions
from .content import WRITTEN_ROLES
from .models import (
    CITATION_FIELDS,
    Article,
    PublishedArticle,
    PublishedReference,
    Reference,
    Reviewer,
)


class PublicationError(Exception):
    """A revision that cannot be copied to the public site; the message says why."""


def credit_role_for(kind):
    """Return the credit a reviewer's approval earns: clinical experts approve,
    everyone else reviews."""
    return "approved" if kind == Reviewer.Kind.CLINICAL else "reviewed"


def credits_for(written, approvals):
    """Return the credit lines for a page: the people credited with writing it,
    then each approving reviewer as they were when they decided."""
    people = revisions.people_for(written)
    lines = [
        {
            "role": credit.role,
            "reviewer": credit.reviewer_id,
            "name": people[credit.reviewer_id].name,
            "credentials": people[credit.reviewer_id].credentials,
            "kind": people[credit.reviewer_id].kind,
            "is_sample": people[credit.reviewer_id].is_sample,
        }
        for credit in written
        if credit.role in WRITTEN_ROLES and credit.reviewer_id in people
    ]
    for approval in sorted(approvals, key=lambda a: (a.created_at, a.pk)):
        lines.append(
            {
                "role": credit_role_for(approval.reviewer_kind),
                "reviewer": approval.reviewer_id,
                "name": approval.reviewer_name,
                "credentials": approval.reviewer_credentials,
                "kind": approval.reviewer_kind,
                "is_sample": approval.reviewer_is_sample,
            }
        )
    return lines


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
    sections = snap.sections()
    if not sections:
        raise PublicationError(
            "An article needs at least one section before it can go on."
        )
    PublishedArticle.objects.filter(article=article).delete()
    published = PublishedArticle.objects.create(
        article=article,
        revision=revision,
        fingerprint=fingerprint,
        title=snap.fields.get("title", ""),
        summary=snap.fields.get("summary", ""),
        sections=[
            {"heading": s.heading, "anchor": s.anchor, "body": s.body} for s in sections
        ],
        credits=credits_for(snap.credits(), approvals),
        published_at=now,
    )
    published.related.set(Article.objects.filter(pk__in=snap.related_ids))
    PublishedReference.objects.bulk_create(
        PublishedReference(
            published=published,
            reference=references[link.reference_id],
            fingerprint=references[link.reference_id].content_fingerprint(),
            order=order,
            **{
                name: getattr(references[link.reference_id], name)
                for name in CITATION_FIELDS
            },
        )
        for order, link in enumerate(links)
    )
    return published


def take_down(article):
    """Remove the article's published copy. The caller holds the article's lock."""
    PublishedArticle.objects.filter(article=article).delete()


def live_pages():
    """Return the published copies with what a public page needs, in two prefetches."""
    return PublishedArticle.objects.select_related(
        "article__topic__parent__parent"
    ).prefetch_related(
        "references",
        Prefetch(
            "related",
            queryset=Article.objects.filter(published__isnull=False)
            .select_related("published")
            .order_by("published__title"),
        ),
    )


def live_listing():
    """Return the published copies for a list of links, in title order."""
    return PublishedArticle.objects.select_related("article__topic").order_by("title")
