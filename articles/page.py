"""Everything an article page shows, gathered in one place.

The public page is built from the published copy, its body as stored when the
copy was written (``articles.rendering``); staff previews of the draft and of
past revisions render the same body fragments from the article's rows and its
revisions. All three hand an ``ArticlePage`` to one template, so an article
reads the same wherever it is rendered.
"""

from dataclasses import dataclass, field

from . import marking, publication, rendering, revisions, workflow
from .models import Article, Reference
from .rendering import Body, Content


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass
class ArticlePage:
    article: Article  # placement and review dates: address, topic, owner
    title: str
    summary: str
    body: Body  # contents, sections, medical words, references, credits
    related: list  # Link
    breadcrumbs: list = field(default_factory=list)
    # What the body was rendered from; None when it was stored rendered.
    content: Content | None = None

    @classmethod
    def live(cls, published):
        """Build the page readers see from an article's published copy: its
        stored body, or, when that was rendered otherwise than this process
        renders (or never), the body rendered from the copy now."""
        article = published.article
        content = None
        body = rendering.stored_body(published)
        if body is None:
            # The title and summary are read again with the fields, so the
            # whole page is one version of the copy.
            published.refresh_from_db(fields=rendering.COPY_FIELDS)
            content = Content.of_copy(published)
            body = content.render()
        return cls(
            article=article,
            title=published.title,
            summary=published.summary,
            body=body,
            related=[
                Link(title, url)
                for title, url in publication.related_articles(published)
            ],
            breadcrumbs=article.topic.ancestors(),
            content=content,
        )

    @classmethod
    def _rendered(cls, article, *, title, summary, content, related):
        return cls(
            article=article,
            title=title,
            summary=summary,
            body=content.render(),
            related=related,
            breadcrumbs=_breadcrumbs(article),
            content=content,
        )

    @classmethod
    def for_draft(cls, article):
        """Build the page from the article's rows as they are stored now."""
        approvals = workflow.counting_approvals(article, article.content_fingerprint)
        sections, glossary = marking.preview(article.sections.all())
        content = Content(
            sections=sections,
            glossary=glossary,
            references=[
                link.reference
                for link in article.reference_links.select_related("reference")
            ],
            credits=rendering.credit_lines(
                publication.credits_for(list(article.credits.all()), approvals)
            ),
        )
        return cls._rendered(
            article,
            title=article.title,
            summary=article.summary,
            content=content,
            related=_live_links(article.related_articles.values_list("pk", flat=True)),
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
        content = Content(
            sections=sections,
            glossary=glossary,
            references=[
                references[link.reference_id]
                for link in links
                if link.reference_id in references
            ],
            credits=rendering.credit_lines(
                publication.credits_for(snapshot.credits(), approvals)
            ),
        )
        return cls._rendered(
            article,
            title=snapshot.fields.get("title", article.title),
            summary=snapshot.fields.get("summary", article.summary),
            content=content,
            related=_live_links(snapshot.related_ids),
        )


def _breadcrumbs(article):
    # A glossary term sits under no topic.
    return article.topic.ancestors() if article.topic_id else []


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
