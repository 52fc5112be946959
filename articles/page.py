"""Everything an article page shows, gathered in one place.

The public page, staff previews of drafts and of past revisions all build an
``ArticlePage`` and hand it to one template, so an article reads the same
wherever it is rendered.
"""

from dataclasses import dataclass, field

from . import revisions
from .models import Article, Reference


@dataclass
class ArticlePage:
    article: Article
    sections: list
    references: list
    credits: list
    related: list
    breadcrumbs: list = field(default_factory=list)

    @classmethod
    def for_draft(cls, article):
        """Build the page from the article's rows as they are stored now."""
        return cls(
            article=article,
            sections=list(article.sections.all()),
            references=[
                link.reference
                for link in article.reference_links.select_related("reference")
            ],
            credits=list(article.credits.select_related("reviewer")),
            related=list(article.related_articles.for_listing()),
            breadcrumbs=_breadcrumbs(article),
        )

    @classmethod
    def for_revision(cls, article, revision_id):
        """Build the page exactly as one saved revision holds it."""
        snapshot = revisions.snapshot(revision_id, article.pk)
        links = snapshot.reference_links()
        references = Reference.objects.in_bulk([link.reference_id for link in links])
        credits = snapshot.credits()
        people = revisions.people_for(credits)
        credits = [c for c in credits if c.reviewer_id in people]
        for credit in credits:
            credit.reviewer = people[credit.reviewer_id]
        related = Article.objects.published().filter(pk__in=snapshot.related_ids)
        return cls(
            article=snapshot.applied_to(article),
            sections=snapshot.sections(),
            references=[
                references[link.reference_id]
                for link in links
                if link.reference_id in references
            ],
            credits=credits,
            related=sorted(revisions.live_copies(related), key=lambda a: a.title),
            breadcrumbs=_breadcrumbs(article),
        )

    @classmethod
    def live(cls, article):
        """Build the page readers see: the article's published revision."""
        return cls.for_revision(article, article.live_revision_id)

    @property
    def has_sample_people(self):
        return any(credit.reviewer.is_sample for credit in self.credits)

    def credits_by_role(self):
        """Return (role label, credits) pairs in the order readers expect."""
        if not self.credits:
            return []
        groups = {}
        for credit in self.credits:
            groups.setdefault(credit.role, []).append(credit)
        roles = type(self.credits[0]).Role
        return [(role.label, groups[role]) for role in roles if role in groups]


def _breadcrumbs(article):
    return article.topic.ancestors()
