"""Patient information: topics, articles, their sections and the references behind them."""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, strip_tags
from django.utils.text import slugify
from reversion.models import Revision

from .richtext import RichTextField

SUMMARY_MAX_LENGTH = 400
DUPLICATE_ANCHOR_MESSAGE = (
    "Two sections would have the same anchor (the link after the # in the web "
    "address). Give each section a different heading, or type a different anchor."
)


def validate_plain_text(value):
    """Refuse text that contains HTML tags: summaries are shown exactly as typed."""
    if strip_tags(value) != value:
        raise ValidationError(
            "Remove the HTML tags (text between < and >). The summary is plain text; "
            "write it as you want readers to see it.",
            code="html",
        )


def validate_not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(
            "The accessed date cannot be in the future. Use the day you last opened the source.",
            code="future",
        )


web_url_validator = URLValidator(
    schemes=["http", "https"],
    message="Enter a full web address starting with https:// or http://, "
    "for example https://www.nice.org.uk/guidance/cg81.",
)


class TopicQuerySet(models.QuerySet):
    def roots(self):
        """Return the top-level topics, in their display order."""
        return self.filter(parent__isnull=True)


@reversion.register()
class Topic(models.Model):
    name = models.CharField(max_length=120, help_text='For example "Breast cancer".')
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The last part of the topic's web address: lower-case letters, "
        'numbers and hyphens, for example "breast-cancer".',
        error_messages={"unique": "Another topic already uses this web address."},
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text='Leave empty for a top-level topic. For example "After treatment" '
        'sits under "Breast cancer".',
    )
    intro = models.TextField(
        blank=True,
        validators=[validate_plain_text],
        help_text="One or two plain sentences shown at the top of the topic page.",
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Topics with smaller numbers are listed first."
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {
                        "parent": "A topic cannot sit inside itself or one of its own sub-topics."
                    }
                )
            ancestor = ancestor.parent

    def ancestors(self, topics_by_pk=None):
        """Return this topic's chain from the top-level topic down to itself.

        Pass every topic keyed by primary key to walk the chain without queries.
        """
        if topics_by_pk is None:
            topics_by_pk = {topic.pk: topic for topic in Topic.objects.all()}
        chain, topic = [], topics_by_pk.get(self.pk, self)
        while topic is not None and topic not in chain:
            chain.insert(0, topic)
            topic = topics_by_pk.get(topic.parent_id)
        return chain


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the articles readers can see: those with a live revision."""
        return self.filter(live_revision__isnull=False)

    def for_listing(self):
        """Return articles with what a list of links needs, in title order."""
        return self.select_related("topic").order_by("title")

    def due_for_review(self, *, on=None, within_days=0):
        """Return articles whose next review falls on or before a day (today by default)."""
        day = on or timezone.localdate()
        if within_days:
            day += timezone.timedelta(days=within_days)
        return self.filter(next_review_on__lte=day)


class Article(models.Model):
    title = models.CharField(
        max_length=150,
        help_text='The page heading readers see, for example "Breast cancer recurrence". '
        "At most 150 characters.",
    )
    slug = models.SlugField(
        max_length=150,
        unique=True,
        help_text="The last part of the web address: lower-case letters, numbers and "
        'hyphens, for example "breast-cancer-recurrence". Changing it breaks links '
        "people have saved.",
        error_messages={
            "unique": "Another article already uses this web address. Choose a different one."
        },
    )
    summary = models.TextField(
        max_length=SUMMARY_MAX_LENGTH,
        validators=[validate_plain_text],
        help_text=f"One or two plain sentences under the title, at most {SUMMARY_MAX_LENGTH} "
        "characters. Plain text only: no HTML.",
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Where the article sits on the site; it appears on this topic's page.",
    )
    related_articles = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="related_from",
        help_text='Shown to readers under "Related information" at the end of the page.',
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_articles",
        help_text="The editor responsible for keeping this article up to date. "
        "They are reminded when a review is due.",
    )
    is_featured = models.BooleanField(
        "featured",
        default=False,
        help_text="Featured articles are listed on the home page.",
    )
    reviewed_on = models.DateField(
        "reviewed",
        null=True,
        blank=True,
        help_text='The date of the last full review, shown to readers as "Reviewed".',
    )
    next_review_on = models.DateField(
        "next review",
        null=True,
        blank=True,
        help_text="When the article must next be fully reviewed: at most three years "
        "after the last review, and after the reviewed date.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What readers see is a pointer to one approved revision, never the draft rows.
    live_revision = models.ForeignKey(
        Revision,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    unpublished_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [
            ("submit_article", "Can send articles for review"),
            ("review_article", "Can approve articles or request changes"),
            ("publish_article", "Can publish and unpublish articles"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("reviewed_on"))
                | Q(next_review_on__isnull=True)
                | Q(reviewed_on__isnull=True),
                name="article_next_review_after_review",
                violation_error_message="The next review date must be after the reviewed date.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"slug": self.slug})

    def clean(self):
        if (
            self.reviewed_on
            and self.next_review_on
            and self.next_review_on <= self.reviewed_on
        ):
            raise ValidationError(
                {
                    "next_review_on": "The next review date must be after the reviewed date "
                    f"({format_date(self.reviewed_on, 'j F Y')})."
                }
            )

    @property
    def is_overdue(self):
        return bool(self.next_review_on and self.next_review_on < timezone.localdate())

    @property
    def is_live(self):
        return self.live_revision_id is not None

    @property
    def was_unpublished(self):
        return self.live_revision_id is None and self.unpublished_at is not None


class Section(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="sections"
    )
    heading = models.CharField(
        max_length=120,
        help_text='A short heading readers will see in "On this page", for example '
        '"Symptoms of breast cancer recurrence". At most 120 characters.',
    )
    anchor = models.SlugField(
        max_length=120,
        blank=True,
        help_text="The link to this section within the page (after the #). Leave empty "
        "to make one from the heading; it then stays the same if the heading changes, "
        "so links keep working.",
    )
    body = RichTextField(
        help_text="The section's text. Use sub-headings, lists and links to keep it easy "
        "to scan."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "anchor"],
                name="section_anchor_unique_in_article",
                violation_error_message=DUPLICATE_ANCHOR_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = self.make_anchor()
        super().save(*args, **kwargs)

    def clean(self):
        if not strip_tags(self.body or "").strip():
            raise ValidationError({"body": "Write some text for this section."})

    def make_anchor(self):
        """Return an anchor from the heading that no other section of the article uses."""
        base = slugify(self.heading)[:110] or "section"
        taken = set()
        if self.article_id:
            taken = set(
                Section.objects.filter(article_id=self.article_id)
                .exclude(pk=self.pk)
                .values_list("anchor", flat=True)
            )
        anchor, number = base, 2
        while anchor in taken:
            anchor, number = f"{base}-{number}", number + 1
        return anchor


@reversion.register()
class Reference(models.Model):
    class Kind(models.TextChoices):
        GUIDELINE = "guideline", "Guideline"
        JOURNAL_ARTICLE = "journal_article", "Journal article"
        BOOK = "book", "Book"
        WEB_PAGE = "web_page", "Web page"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.GUIDELINE)
    authors = models.CharField(
        "authors or organisation",
        max_length=300,
        blank=True,
        help_text='For example "National Institute for Health and Care Excellence (NICE)" '
        'or "Smith J, Patel R".',
    )
    title = models.CharField(
        max_length=300,
        help_text='For example "Advanced breast cancer: diagnosis and treatment".',
    )
    source = models.CharField(
        "source or publisher",
        max_length=200,
        blank=True,
        help_text='The journal, book publisher or website, for example "BMJ Best Practice".',
    )
    identifier = models.CharField(
        max_length=60,
        blank=True,
        help_text='A guideline number or other reference code, for example "CG81".',
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year it was first published."
    )
    updated_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The year of the latest update, if it has been updated.",
    )
    url = models.URLField(
        "web address",
        max_length=500,
        blank=True,
        validators=[web_url_validator],
        help_text="A full address starting with https://.",
    )
    accessed_on = models.DateField(
        "accessed",
        null=True,
        blank=True,
        validators=[validate_not_in_future],
        help_text="The day you last checked the web address. Readers see the month and year.",
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(updated_year__gte=F("year"))
                | Q(updated_year__isnull=True)
                | Q(year__isnull=True),
                name="reference_updated_after_published",
                violation_error_message="The updated year cannot be before the year published.",
            ),
        ]

    def __str__(self):
        label = f"{self.authors}. {self.title}" if self.authors else self.title
        return f"{label} [{self.identifier}]" if self.identifier else label

    def clean(self):
        errors = {}
        if self.year and self.updated_year and self.updated_year < self.year:
            errors["updated_year"] = (
                "The updated year cannot be before the year published."
            )
        if self.url and not self.accessed_on:
            errors["accessed_on"] = "Give the date you last checked the web address."
        if errors:
            raise ValidationError(errors)

    def citation(self):
        """Return the reference formatted for readers, with its link."""
        parts = [
            format_html("{}.", part) for part in (self.authors, self.title) if part
        ]
        if self.source:
            parts.append(format_html("{}.", self.source))
        if self.identifier:
            label = "Clinical guideline " if self.kind == self.Kind.GUIDELINE else ""
            parts.append(format_html("{}[{}].", label, self.identifier))
        if self.year and not self.updated_year:
            parts.append(format_html("{}.", self.year))
        if self.updated_year:
            parts.append(format_html("Updated {}.", self.updated_year))
        if self.url:
            link = format_html(
                'Available from: <a href="{}">{}</a>', self.url, self.url
            )
            if self.accessed_on:
                link = format_html(
                    "{} (accessed {}).", link, format_date(self.accessed_on, "F Y")
                )
            parts.append(link)
        return format_html(" ".join(["{}"] * len(parts)), *parts)


class ArticleReference(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="reference_links"
    )
    reference = models.ForeignKey(
        Reference, on_delete=models.PROTECT, related_name="article_links"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "reference"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reference"],
                name="article_reference_once",
                violation_error_message="This reference is already in the article's list.",
            ),
        ]

    def __str__(self):
        return str(self.reference)


# An article's revision holds the article with its own rows: sections, reference
# list and credits. Shared rows (references, reviewers, topics) keep their own
# history, so restoring one article never rewrites what other articles use.
# Publication state and review dates are records of events, not content: they
# stay out of revisions, so restoring an old version never changes them.
UNVERSIONED_ARTICLE_FIELDS = [
    "live_revision",
    "first_published_at",
    "last_published_at",
    "unpublished_at",
    "reviewed_on",
    "next_review_on",
]
# What reviewers approve: a change to any of these makes earlier approvals stale.
CONTENT_ARTICLE_FIELDS = ["title", "summary", "related_articles"]
# Saving any of an article's rows records the whole article.
reversion.register(Section, follow=["article"])
reversion.register(ArticleReference, follow=["article"])
reversion.register(
    Article,
    exclude=UNVERSIONED_ARTICLE_FIELDS,
    follow=["sections", "reference_links", "credits"],
)


class Transition(models.Model):
    """One step of an article's editorial workflow, kept as a permanent record."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="transitions"
    )
    revision = models.ForeignKey(
        Revision, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    is_full_review = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="article_transitions",
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self):
        return f"{self.article}: {self.from_state} → {self.to_state}"


class ScheduledPublication(models.Model):
    """An approved revision waiting to go live at a set time."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="scheduled_publication"
    )
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    go_live_at = models.DateTimeField()
    is_full_review = models.BooleanField(default=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["go_live_at"]

    def __str__(self):
        return f"{self.article} at {self.go_live_at:%Y-%m-%d %H:%M}"
