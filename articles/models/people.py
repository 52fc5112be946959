"""The people who write, review and approve articles, and the credits shown to readers."""

import hashlib
import json

from django.conf import settings
from django.db import models


class Reviewer(models.Model):
    class Kind(models.TextChoices):
        CLINICAL = "clinical", "Clinical expert"
        LIVED_EXPERIENCE = "lived_experience", "Person with lived experience"
        EDITORIAL = "editorial", "Editorial team"

    name = models.CharField(
        max_length=150,
        help_text='As readers should see it, for example "Dr Amina Shah".',
    )
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text='Their role or qualifications, for example "Consultant Medical Oncologist". '
        "For people with lived experience, leave empty or describe their experience as "
        "they agreed.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        help_text="Publishing needs approval from the kinds of reviewer the policy "
        "names. Only publishers can change it once the reviewer is saved.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewer_profile",
        help_text="The sign-in account this reviewer uses, if they review on the site. "
        "Only publishers can change it.",
    )
    is_sample = models.BooleanField(
        "sample person",
        default=False,
        help_text="Tick for invented people used in demonstration content. Readers see "
        '"(sample reviewer)" after their name.',
    )

    # Stored on each save, so that live pages crediting an older version are found.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        db_table = "reviews_reviewer"  # the table predates the model's move here
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def save(self, *args, **kwargs):
        self.fingerprint = person_fingerprint(
            self.name, self.credentials, self.kind, self.is_sample
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "fingerprint"}
        super().save(*args, **kwargs)


def person_fingerprint(name, credentials, kind, is_sample):
    """Return a fingerprint of how a person is credited to readers."""
    values = [name, credentials or "", kind, bool(is_sample)]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()


class Credit(models.Model):
    """A person credited for writing the article. Who reviewed and approved it comes
    from their recorded decisions, never from a credit typed by hand."""

    class Role(models.TextChoices):
        WROTE = "wrote", "Written by"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="credits"
    )
    reviewer = models.ForeignKey(
        Reviewer,
        on_delete=models.PROTECT,
        related_name="credits",
        verbose_name="person",
        help_text="Add the person first under Reviewers if they are not in the list.",
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.WROTE)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "reviews_credit"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reviewer", "role"],
                name="credit_once_per_role",
                violation_error_message="This person is already credited in this role.",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.reviewer}"
