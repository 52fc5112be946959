"""Everything an article page shows, gathered in one place.

Views, previews and exports build an ``ArticlePage`` and hand it to the
template, so an article reads the same wherever it is rendered.
"""

from dataclasses import dataclass, field

from .models import Article, Topic


@dataclass
class ArticlePage:
    article: Article
    sections: list
    references: list
    credits: list
    related: list
    breadcrumbs: list = field(default_factory=list)

    @classmethod
    def for_article(cls, article):
        """Build the page from the article as it is stored now."""
        topics_by_pk = {topic.pk: topic for topic in Topic.objects.all()}
        return cls(
            article=article,
            sections=list(article.sections.all()),
            references=[
                link.reference
                for link in article.reference_links.select_related("reference")
            ],
            credits=list(article.credits.select_related("reviewer")),
            related=list(article.related_articles.public().for_listing()),
            breadcrumbs=article.topic.ancestors(topics_by_pk),
        )

    @property
    def has_sample_people(self):
        return any(credit.reviewer.is_sample for credit in self.credits)

    def credits_by_role(self):
        """Return (role label, credits) pairs in the order readers expect."""
        groups = {}
        for credit in self.credits:
            groups.setdefault(credit.role, []).append(credit)
        if not self.credits:
            return []
        roles = type(self.credits[0]).Role
        return [(role.label, groups[role]) for role in roles if role in groups]
