"""What plain English needs stored: each saved version's scores and checks, and
the house word list."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from articles.models import ArticleRevision

from . import text

SUMMARY_FIELDS = [
    "words",
    "sentences",
    "average_sentence_words",
    "longest_sentence_words",
    "grade",
    "reading_age",
    "reading_ease",
    "long_word_share",
    "is_reliable",
    "note",
]


class RevisionReadability(models.Model):
    """The readability and content checks of one saved version of an article.

    Written once, in the same transaction as the version, from the content it
    saved; never recomputed when someone looks at it.
    """

    article_revision = models.OneToOneField(
        ArticleRevision, on_delete=models.CASCADE, related_name="readability"
    )
    # The whole article's scores (see plainenglish.readability.Scores).
    words = models.PositiveIntegerField(default=0)
    sentences = models.PositiveIntegerField(default=0)
    average_sentence_words = models.FloatField(null=True, blank=True)
    longest_sentence_words = models.PositiveIntegerField(default=0)
    grade = models.FloatField(null=True, blank=True)
    reading_age = models.FloatField(null=True, blank=True)
    reading_ease = models.FloatField(null=True, blank=True)
    long_word_share = models.FloatField(null=True, blank=True)
    is_reliable = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    # [{"heading", "anchor", "scores": {...}, "findings": [...]}, ...] in reading order
    sections = models.JSONField(default=list, blank=True)
    # Findings about the whole article (its references), as in each section.
    findings = models.JSONField(default=list, blank=True)
    method = models.CharField(max_length=200, blank=True)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "readability of a version"
        verbose_name_plural = "readability of versions"

    def __str__(self):
        return f"Readability of {self.article_revision}"

    @property
    def summary(self):
        """Return the whole article's scores, as ``readability.Scores`` names them."""
        return {name: getattr(self, name) for name in SUMMARY_FIELDS}


PHRASE_SPACES = re.compile(r"\s+")


def normalise_phrase(value):
    """Return a phrase with single spaces and no spaces at either end."""
    return PHRASE_SPACES.sub(" ", value or "").strip()


class HouseWord(models.Model):
    """A word or phrase our house style avoids, with the plain alternative."""

    phrase = models.CharField(
        "word or phrase to avoid",
        max_length=100,
        help_text='As readers would see it, for example "prior to". Matched as whole '
        'words, in any mix of capitals: "prior" does not match "priority".',
    )
    alternative = models.CharField(
        "plain alternative",
        max_length=200,
        help_text='What to write instead, for example "before", or "cancer doctor '
        '(oncologist)" to explain a word rather than avoid it.',
    )
    includes_plurals = models.BooleanField(
        "also match plurals",
        default=True,
        help_text='Also find the phrase with "s" or "es" at the end, for example '
        '"oncologists".',
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional: why we avoid it, or when it is fine to use.",
    )

    class Meta:
        ordering = ["phrase"]
        verbose_name = "house word list entry"
        verbose_name_plural = "house word list"
        constraints = [
            models.UniqueConstraint(
                Lower("phrase"),
                name="houseword_phrase_once",
                violation_error_message="This word or phrase is already in the list "
                "(capitals do not matter). Edit that entry instead.",
            ),
        ]

    def __str__(self):
        return f"{self.phrase} → {self.alternative}"

    def save(self, *args, **kwargs):
        self.phrase = normalise_phrase(self.phrase)
        self.alternative = normalise_phrase(self.alternative)
        super().save(*args, **kwargs)

    def clean(self):
        self.phrase = normalise_phrase(self.phrase)
        self.alternative = normalise_phrase(self.alternative)
        errors = {}
        if not text.words(self.phrase):
            errors["phrase"] = (
                "Type a word or phrase with letters in it: punctuation alone "
                "cannot be matched."
            )
        elif self.phrase.lower() == self.alternative.lower():
            errors["alternative"] = (
                "The plain alternative must be different from the word it replaces."
            )
        if self.alternative and not text.words(self.alternative):
            errors["alternative"] = "Type the words to use instead."
        if errors:
            raise ValidationError(errors)
