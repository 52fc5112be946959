"""Everything an article page shows, gathered in one place.

The public page is built from the published copy; staff previews of the draft
and of past revisions are built from the article's rows and its revisions. All
three hand an ``ArticlePage`` to one template, so an article reads the same
wherever it is rendered.
"""

from dataclasses import dataclass, field

from . import marking, publication, revisions, workflow
from .models import Article, Reference, Reviewer

ROLE_LABELS = {
    "wrote": "Written by",
    "reviewed": "Reviewed by",
    "approved": "Approved by",
}


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class CreditLine:
    """One person credited on the page, as they were when credited."""

    role: str
    name: str
    credentials: str
    kind: str
    is_sample: bool

    @property
    def description(self):
        """Return their credentials, or else what kind of reviewer they are."""
        if self.credentials:
            return self.credentials
        try:
            return Reviewer.Kind(self.kind).label
        except ValueError:
            return ""


@dataclass
class ArticlePage:
    article: Article  # placement and review dates: address, topic, owner
    title: str
    summary: str
    sections: list  # each with heading, anchor and body
    references: list  # each with citation()
    credits: list  # CreditLine
    related: list  # Link
    breadcrumbs: list = field(default_factory=list)
    glossary: list = field(default_factory=list)  # each with term, slug, definition

    @classmethod
    def live(cls, published):
        """Build the page readers see from an article's published copy."""
        article = published.article
        return cls(
            article=article,
            title=published.title,
            summary=published.summary,
            sections=[_as_shown(section) for section in published.sections],
            references=publication.page_references(published),
            credits=_credit_lines(published.credits),
            related=[
                Link(other.published.title, other.get_absolute_url())
                for other in publication.related_articles(published)
            ],
            breadcrumbs=article.topic.ancestors(),
            glossary=published.glossary,
        )

    @classmethod
    def for_draft(cls, article):
        """Build the page from the article's rows as they are stored now."""
        approvals = workflow.counting_approvals(article, article.content_fingerprint)
        sections, glossary = marking.preview(article.sections.all())
        return cls(
            article=article,
            title=article.title,
            summary=article.summary,
            sections=sections,
            references=[
                link.reference
                for link in article.reference_links.select_related("reference")
            ],
            credits=_credit_lines(
                publication.credits_for(list(article.credits.all()), approvals)
            ),
            related=_live_links(article.related_articles.values_list("pk", flat=True)),
            breadcrumbs=_breadcrumbs(article),
            glossary=glossary,
        )

    @classmethod
    def for_revision(cls, article, revision_id):
        """Build the page exactly as one saved revision holds it."""
        snapshot = revisions.snapshot(revision_id, article.pk)
        links = snapshot.reference_links()
        references = Reference.objects.in_bulk([link.reference_id for link in links])
        fingerprint = revisions.fingerprint_of(article, revision_id)
        approvals = workflow.counting_approvals(article, fingerprint)
        sections, glossary = marking.preview(snapshot.sections())
        return cls(
            article=article,
            title=snapshot.fields.get("title", article.title),
            summary=snapshot.fields.get("summary", article.summary),
            sections=sections,
            references=[
                references[link.reference_id]
                for link in links
                if link.reference_id in references
            ],
            credits=_credit_lines(
                publication.credits_for(snapshot.credits(), approvals)
            ),
            related=_live_links(snapshot.related_ids),
            breadcrumbs=_breadcrumbs(article),
            glossary=glossary,
        )

    @property
    def has_sample_people(self):
        return any(credit.is_sample for credit in self.credits)

    def credits_by_role(self):
        """Return (role label, credits) pairs in the order readers expect."""
        groups = {}
        for credit in self.credits:
            groups.setdefault(credit.role, []).append(credit)
        return [
            (label, groups[role])
            for role, label in ROLE_LABELS.items()
            if role in groups
        ]


def _as_shown(section):
    """Return a published section with the text readers see: its links to our
    other articles as they were last written (``articles.links``)."""
    if "html" not in section:
        return section
    return {**section, "body": section["html"]}


def _breadcrumbs(article):
    # A glossary term sits under no topic.
    return article.topic.ancestors() if article.topic_id else []


def _credit_lines(credits):
    return [
        CreditLine(
            role=credit["role"],
            name=credit["name"],
            credentials=credit["credentials"],
            kind=credit["kind"],
            is_sample=credit["is_sample"],
        )
        for credit in credits
    ]


def _live_links(article_ids):
    """Return links to those of the articles that are live, by their live titles."""
    return [
        Link(other.published.title, other.get_absolute_url())
        for other in Article.objects.published()
        .filter(pk__in=list(article_ids))
        .select_related("published")
        .order_by("published__title")
    ]


@dataclass(frozen=True)
class Entry:
    """One term of the A–Z glossary, as approved and published."""

    term: str
    slug: str
    definition: str
    used_in: list  # Link, to the live articles that mark it
    related: list  # Link


@dataclass
class Glossary:
    letters: list  # (letter, [Entry]) in A–Z order; other first characters last

    @classmethod
    def live(cls):
        """Build the glossary readers see from the live terms' published copies."""
        groups = {}
        for copy in publication.live_terms():
            entry = Entry(
                term=copy.title,
                slug=copy.article.slug,
                definition=copy.summary,
                used_in=[
                    Link(use.published.title, use.published.get_absolute_url())
                    for use in copy.article.term_uses.all()
                ],
                related=[
                    Link(other.published.title, other.get_absolute_url())
                    for other in copy.related.all()
                ],
            )
            groups.setdefault(_letter(copy.title), []).append(entry)
        return cls(
            letters=[
                (letter, sorted(groups[letter], key=lambda e: e.term.casefold()))
                for letter in sorted(groups, key=lambda letter: (letter == "#", letter))
            ]
        )


def _letter(title):
    first = title.strip()[:1].upper()
    return first if "A" <= first <= "Z" else "#"
