"""What readers see: a copy of each published article, written once when it is
published and removed when it is unpublished.

Public pages, the sitemap and listings read only these tables, so a draft can
never reach them. Sections and credits are kept in order on the copy itself (as
Wagtail keeps a page body), references as rows so that each cited record can be
found. The page's body is also stored rendered, written with the copy, so a
reader's page is read in two queries (three with related articles).
"""

from django.db import models

from .content import CitationFields


class PublishedQuerySet(models.QuerySet):
    def articles(self):
        """Return the live articles, without the glossary's terms."""
        return self.filter(article__kind="article")

    def terms(self):
        """Return the glossary's live terms."""
        return self.filter(article__kind="term")


class PublishedArticle(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="published",
    )
    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.PROTECT, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    title = models.CharField(max_length=150)
    summary = models.TextField()
    # [{"heading", "anchor", "body"}, ...] in reading order.
    sections = models.JSONField(default=list)
    # [{"role", "reviewer", "name", "credentials", "kind", "is_sample"}, ...]
    credits = models.JSONField(default=list)
    # A glossary term's variants as approved, one per line.
    variants = models.TextField(blank=True)
    # The glossary terms marked on the page, in order of first use, as their
    # live copies defined them: [{"term", "slug", "definition"}, ...].
    glossary = models.JSONField(default=list, blank=True)
    related = models.ManyToManyField("articles.Article", blank=True, related_name="+")
    published_at = models.DateTimeField()
    # The page's body rendered from the fields above and the references, by
    # every writer of the copy (``articles.rendering``): the "On this page"
    # list, sections and "Medical words explained", then the references and
    # credits. ``rendered_with`` is the mark of the fragments and settings that
    # rendered it; empty, or another mark, and readers get it rendered afresh.
    body_html = models.TextField(blank=True, editable=False)
    sources_html = models.TextField(blank=True, editable=False)
    has_glossary = models.BooleanField(default=False, editable=False)
    rendered_with = models.CharField(max_length=16, blank=True, editable=False)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.article.get_absolute_url()

    @property
    def topic(self):
        return self.article.topic


class PublishedTermUse(models.Model):
    """A glossary term marked on a live page, for the A–Z glossary's "used in"
    links and for writing the pages again when the term changes."""

    published = models.ForeignKey(
        PublishedArticle, on_delete=models.CASCADE, related_name="term_uses"
    )
    term = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="term_uses"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["published", "term"], name="published_term_use_once"
            ),
        ]

    def __str__(self):
        return f"{self.term_id} on {self.published_id}"


class StaleCopies(models.QuerySet):
    def stale(self):
        """Return the copies older than the record they were copied from."""
        return self.filter(**{f"{self.model.record_field}__isnull": False}).exclude(
            fingerprint=models.F(f"{self.model.record_field}__fingerprint")
        )


class PublishedReference(CitationFields):
    """A reference as it was cited when the article was published."""

    record_field = "reference"

    published = models.ForeignKey(
        PublishedArticle, on_delete=models.CASCADE, related_name="references"
    )
    reference = models.ForeignKey(
        "articles.Reference",
        null=True,
        on_delete=models.SET_NULL,
        related_name="published_copies",
    )
    fingerprint = models.CharField(max_length=64)
    order = models.PositiveIntegerField(default=0)

    objects = StaleCopies.as_manager()

    class Meta:
        ordering = ["order", "pk"]


class PublishedPerson(models.Model):
    """A reviewer credited on a live page, with the version of their record shown."""

    record_field = "reviewer"

    published = models.ForeignKey(
        PublishedArticle, on_delete=models.CASCADE, related_name="person_copies"
    )
    reviewer = models.ForeignKey(
        "articles.Reviewer", on_delete=models.CASCADE, related_name="published_copies"
    )
    fingerprint = models.CharField(max_length=64)

    objects = StaleCopies.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["published", "reviewer", "fingerprint"],
                name="published_person_once",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer_id} on {self.published_id}"


class PublicVersion(models.Model):
    """One number that changes, in the same transaction, whenever anything the
    public site shows changes: a publish, an unpublish, a review confirmation,
    a topic. Whole pages kept in the page cache belong to the number they were
    made under, so a changed number retires every one of them at once."""

    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1), name="public_version_single_row"
            )
        ]

    def __str__(self):
        return str(self.value)
