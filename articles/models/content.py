"""Patient information: topics, articles, their sections and the references behind them."""

import hashlib
import json

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.text import slugify

from .. import display
from ..richtext import RichTextField
from .choices import Action, State

SUMMARY_MAX_LENGTH = 400
OWNER_NOT_STAFF = (
    "{name} cannot own articles: only staff who sign in to the admin can. Choose "
    "an editor or a publisher."
)
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


def visible_text(value):
    """Return the text without invisible characters (zero-width spaces and the like)."""
    return "".join(ch for ch in value if ch.isprintable()).strip()


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

        Pass every topic keyed by primary key to walk the chain without queries;
        otherwise each parent not already loaded (``select_related``) is read.
        """
        chain, topic = [], self
        while topic is not None and topic not in chain:
            chain.insert(0, topic)
            if topics_by_pk is not None:
                topic = topics_by_pk.get(topic.parent_id)
            else:
                topic = topic.parent
        return chain


# Rules about a glossary term's words that need more than this app knows (which
# words are everyday words, how phrases are matched): each is a function
# (term) -> {field: message}, registered by the app that knows (plainenglish).
TERM_CHECKS = []


def register_term_check(check):
    """Have ``check`` run in every glossary term's ``clean()``."""
    if check not in TERM_CHECKS:
        TERM_CHECKS.append(check)


def variant_lines(value):
    """Return one variant per line of ``value``, trimmed, without blank lines."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def review_notice():
    """Return how long before its next review date an article counts as due soon."""
    return timezone.timedelta(days=settings.INFOSITE.get("REVIEW_NOTICE_DAYS", 90))


def _state_is_recorded():
    """The rule behind every article's workflow state, as a database condition.

    The state is the one the last workflow move recorded, as long as the content
    is still what that move was about; any change since puts it back to draft.
    """
    return Q(workflow_fingerprint=F("content_fingerprint"))


class ArticleQuerySet(models.QuerySet):
    def articles(self):
        """Return the articles proper, without the glossary's terms."""
        return self.filter(kind=Article.Kind.ARTICLE)

    def terms(self):
        """Return the glossary's terms."""
        return self.filter(kind=Article.Kind.TERM)

    def published(self):
        """Return the articles readers can see: those with a published copy."""
        return self.filter(published__isnull=False)

    def for_listing(self):
        """Return articles with what a list of links needs, in title order."""
        return self.select_related("topic").order_by("title")

    def with_state(self):
        """Annotate each article with its workflow state, as ``current_state``."""
        return self.annotate(
            current_state=Case(
                When(_state_is_recorded(), then=F("workflow_state")),
                default=Value(State.DRAFT),
                output_field=models.CharField(),
            )
        )

    def in_state(self, state):
        """Return the articles whose workflow state is ``state``."""
        if state == State.DRAFT:
            return self.exclude(_state_is_recorded() & ~Q(workflow_state=State.DRAFT))
        return self.filter(_state_is_recorded(), workflow_state=state)

    def drafts(self):
        return self.in_state(State.DRAFT)

    def in_review(self):
        return self.in_state(State.IN_REVIEW)

    def approved(self):
        return self.in_state(State.APPROVED)

    def with_unpublished_changes(self):
        """Return the articles whose content, or a reference or person they cite,
        is not what readers see."""
        from .published import PublishedPerson, PublishedReference

        def stale(model):
            return Exists(
                model.objects.stale().filter(published__article=OuterRef("pk"))
            )

        return self.filter(
            ~Q(published__fingerprint=F("content_fingerprint"))
            | Q(published__isnull=True)
            | stale(PublishedReference)
            | stale(PublishedPerson)
        )

    def titled_like(self, title):
        """Return the articles with the same title, ignoring case and spaces at
        either end."""
        return self.annotate(_plain_title=Lower(Trim("title"))).filter(
            _plain_title=title.strip().lower()
        )

    def overdue(self, *, on=None):
        """Return the articles whose next review date has passed (before ``on``)."""
        return self.filter(next_review_on__lt=on or timezone.localdate())

    def due_soon(self, *, on=None):
        """Return the articles due for review within the notice period, not overdue."""
        day = on or timezone.localdate()
        return self.filter(
            next_review_on__gte=day, next_review_on__lte=day + review_notice()
        )

    def due_for_review(self, *, on=None, within_days=None):
        """Return the articles overdue or due within ``within_days`` of ``on`` (by
        default today and the notice period)."""
        day = on or timezone.localdate()
        notice = (
            review_notice()
            if within_days is None
            else timezone.timedelta(days=within_days)
        )
        return self.filter(next_review_on__lte=day + notice)


class Article(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        TERM = "term", "Glossary term"

    # A glossary term is published health information too: it goes through the
    # same review and publication as an article (title: the term, summary: its
    # definition, variants: other forms of it).
    kind = models.CharField(
        max_length=10,
        choices=Kind,
        default=Kind.ARTICLE,
        db_index=True,
        editable=False,
    )
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
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Where the article sits on the site; it appears on this topic's page.",
    )
    variants = models.TextField(
        "variants and plurals",
        blank=True,
        validators=[validate_plain_text],
        help_text="Glossary terms only: other forms of the term that readers may "
        'meet, one per line, for example "lymph node" under "lymph nodes". Each is '
        "marked and explained like the term itself.",
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
        limit_choices_to={"is_staff": True},
        help_text="The editor responsible for keeping this article up to date. "
        "They are reminded when a review is due. Type part of their name or "
        "username to find them; only staff who sign in to the admin can own articles.",
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

    # Bookkeeping written by each save and each workflow move, never by a form:
    # the latest saved revision and a fingerprint of its approved content
    # (``articles.content``), and the state the last move recorded for which
    # content. What readers see is the published copy (``PublishedArticle``).
    latest_revision = models.ForeignKey(
        "reversion.Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    workflow_state = models.CharField(
        max_length=20, choices=State, default=State.DRAFT, editable=False
    )
    workflow_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
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
            models.CheckConstraint(
                condition=Q(kind="term") | Q(topic__isnull=False),
                name="article_has_topic",
                violation_error_message="Choose the topic the article sits under.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.title and not visible_text(self.title):
            errors["title"] = (
                "Write a title readers can see: this one has no visible letters."
            )
        if self.owner_id and not self.owner.is_staff:
            errors["owner"] = OWNER_NOT_STAFF.format(name=display.person(self.owner))
        if self.is_term:
            self.variants = "\n".join(self.variant_list)
        else:
            if self.topic_id is None:
                errors["topic"] = "Choose the topic the article sits under."
            if self.variants:
                errors["variants"] = "Only glossary terms have variants."
        for check in TERM_CHECKS if self.is_term else ():
            for name, message in check(self).items():
                errors.setdefault(name, message)
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            errors["reviewed_on"] = "The reviewed date cannot be in the future."
        if (
            self.reviewed_on
            and self.next_review_on
            and self.next_review_on <= self.reviewed_on
        ):
            errors["next_review_on"] = (
                "The next review date must be after the reviewed date "
                f"({display.day(self.reviewed_on)})."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_term(self):
        return self.kind == self.Kind.TERM

    @property
    def variant_list(self):
        """Return the term's variants, one per line as typed, without blank lines."""
        return variant_lines(self.variants)

    @property
    def is_overdue(self):
        """Return True once the next review date has passed (as ``overdue()``)."""
        return bool(self.next_review_on and self.next_review_on < timezone.localdate())

    @property
    def state(self):
        """Return the workflow state (see ``ArticleQuerySet.with_state``)."""
        if self.workflow_fingerprint == self.content_fingerprint:
            return State(self.workflow_state)
        return State.DRAFT

    @property
    def live(self):
        """Return the published copy readers see, or None."""
        try:
            return self.published
        except models.ObjectDoesNotExist:
            return None

    @property
    def is_live(self):
        return self.live is not None

    @property
    def has_unpublished_changes(self):
        """Return True if readers do not see the current content, or see an older
        version of a reference or person the page cites."""
        live = self.live
        if live is None or live.fingerprint != self.content_fingerprint:
            return True
        return bool(self.unpublished_record_changes())

    def unpublished_record_changes(self):
        """Return the references and people the live page shows as an older
        version than their record holds now."""
        from .published import PublishedPerson, PublishedReference

        if self.live is None:
            return []
        found = []
        for model in (PublishedReference, PublishedPerson):
            stale = model.objects.stale().filter(published=self.live)
            found += [
                getattr(copy, model.record_field)
                for copy in stale.select_related(model.record_field)
            ]
        return list(dict.fromkeys(found))

    @property
    def was_unpublished(self):
        return not self.is_live and self.unpublished_at is not None

    @property
    def was_ever_published(self):
        """Return True if readers have ever seen this article: it is live, or a
        publication of it is on record."""
        return (
            self.is_live
            or self.first_published_at is not None
            or self.transitions.filter(action=Action.PUBLISH).exists()
        )

    def same_title(self):
        """Return the other articles with this article's title (see ``titled_like``)."""
        return Article.objects.titled_like(self.title or "").exclude(pk=self.pk)


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


class CitationFields(models.Model):
    """What a citation says: kept on a reference, and copied as cited to live pages."""

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
        abstract = True

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
                    "{} (accessed {}).", link, display.month(self.accessed_on)
                )
            parts.append(link)
        return format_html(" ".join(["{}"] * len(parts)), *parts)

    def content_fingerprint(self):
        """Return a fingerprint of what the citation says."""
        values = [str(getattr(self, name) or "") for name in CITATION_FIELDS]
        return hashlib.sha256(json.dumps(values).encode()).hexdigest()


CITATION_FIELDS = [
    "kind",
    "authors",
    "title",
    "source",
    "identifier",
    "year",
    "updated_year",
    "url",
    "accessed_on",
]


@reversion.register()
class Reference(CitationFields):
    # Stored on each save, so that live pages citing an older version are found.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

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

    def save(self, *args, **kwargs):
        self.fingerprint = self.content_fingerprint()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "fingerprint"}
        super().save(*args, **kwargs)

    def duplicates(self):
        """Return the other references with this one's identifier or web address,
        ignoring case, spaces at either end and a final slash."""
        same = Q()
        identifier = (self.identifier or "").strip()
        if identifier:
            same |= Q(identifier__iexact=identifier)
        url = (self.url or "").strip().rstrip("/")
        if url:
            same |= Q(url__iexact=url) | Q(url__iexact=url + "/")
        if not same:
            return Reference.objects.none()
        return Reference.objects.filter(same).exclude(pk=self.pk)

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
