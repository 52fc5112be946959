"""Patient information and its provenance: the content editors write, the people
and decisions behind it, and the published copies readers see."""

import reversion

from .choices import Action, State
from .content import (
    CITATION_FIELDS,
    DUPLICATE_ANCHOR_MESSAGE,
    SUMMARY_MAX_LENGTH,
    Article,
    ArticleQuerySet,
    ArticleReference,
    CitationFields,
    Reference,
    Section,
    Topic,
    TopicQuerySet,
    register_term_check,
    validate_not_in_future,
    validate_plain_text,
    visible_text,
    web_url_validator,
)
from .editing import PRESENCE_EXPIRES, EditingPresence
from .links import FormerAddress, PublishedLink
from .people import Credit, Reviewer, person_fingerprint
from .published import (
    PublicVersion,
    PublishedArticle,
    PublishedPerson,
    PublishedReference,
    PublishedTermUse,
)
from .records import (
    Approval,
    ApprovalQuerySet,
    ArticleRevision,
    ScheduledPublication,
    ScheduledUnpublication,
    Transition,
)

__all__ = [
    "CITATION_FIELDS",
    "DUPLICATE_ANCHOR_MESSAGE",
    "PRESENCE_EXPIRES",
    "SUMMARY_MAX_LENGTH",
    "Action",
    "Approval",
    "ApprovalQuerySet",
    "Article",
    "ArticleQuerySet",
    "ArticleReference",
    "ArticleRevision",
    "CitationFields",
    "Credit",
    "EditingPresence",
    "FormerAddress",
    "PublicVersion",
    "PublishedArticle",
    "PublishedLink",
    "PublishedPerson",
    "PublishedReference",
    "PublishedTermUse",
    "GlossaryTerm",
    "Reference",
    "Reviewer",
    "ScheduledPublication",
    "ScheduledUnpublication",
    "Section",
    "State",
    "Topic",
    "TopicQuerySet",
    "Transition",
    "UNVERSIONED_ARTICLE_FIELDS",
    "validate_not_in_future",
    "validate_plain_text",
    "visible_text",
    "web_url_validator",
    "person_fingerprint",
    "register_term_check",
]


class GlossaryTerm(Article):
    """A glossary term, for its own page in the admin: an article row of the
    term kind, reviewed and published like any article."""

    class Meta:
        proxy = True
        verbose_name = "glossary term"
        ordering = ["title"]

    def save(self, *args, **kwargs):
        self.kind = Article.Kind.TERM
        super().save(*args, **kwargs)


# An article's revision holds the article with its own rows: sections, reference
# list and credits. Shared rows (references, reviewers, topics) keep their own
# history, so restoring one article never rewrites what other articles use.
# Publication state, review dates and workflow bookkeeping are records of
# events, not content: they stay out of revisions, so restoring an old version
# never changes them.
UNVERSIONED_ARTICLE_FIELDS = [
    "latest_revision",
    "content_fingerprint",
    "workflow_state",
    "workflow_fingerprint",
    "first_published_at",
    "last_published_at",
    "unpublished_at",
    "reviewed_on",
    "next_review_on",
]
# Saving any of an article's rows records the whole article.
reversion.register(Reviewer)
reversion.register(Section, follow=["article"])
reversion.register(ArticleReference, follow=["article"])
reversion.register(Credit, follow=["article"])
reversion.register(
    Article,
    exclude=UNVERSIONED_ARTICLE_FIELDS,
    follow=["sections", "reference_links", "credits"],
)
# A glossary term saved as itself (its admin page) keeps all its fields, in every
# process, whether or not the admin has been loaded there yet.
reversion.register(GlossaryTerm)
