"""What reviewers approve of an article, and its fingerprint.

The approved content is an explicit list of fields per model, read the same way
from the database rows, from a saved revision and from the published copy, so
the three can be compared by fingerprint. A field added to a model later is not
approved content until it is named here, and changes no article's fingerprint.
"""

import hashlib
import json
from dataclasses import dataclass

# Credits editors type; the others on a published copy come from decisions.
WRITTEN_ROLES = {"wrote"}

# model: the fields of it reviewers approve, in the order they are fingerprinted.
APPROVED_FIELDS = {
    # A glossary term's variants count only when it has some, so that no
    # article's fingerprint changed when terms came in.
    "article": ("title", "summary", "related_articles", "variants"),
    "section": ("heading", "anchor", "body"),  # in reading order
    "articlereference": ("reference",),  # in the order readers see them
    "credit": ("role", "reviewer"),  # in the order readers see them
}


@dataclass(frozen=True)
class ArticleContent:
    title: str
    summary: str
    related_ids: tuple
    sections: tuple  # ((heading, anchor, body), ...)
    reference_ids: tuple
    credits: tuple  # ((role, reviewer id), ...)
    variants: str = ""  # a glossary term's, one per line

    @property
    def fingerprint(self):
        """Return a fingerprint that is equal for two versions with the same content."""
        data = [
            self.title,
            self.summary,
            sorted(self.related_ids),
            [list(section) for section in self.sections],
            list(self.reference_ids),
            [list(credit) for credit in self.credits],
        ]
        if self.variants:
            data.append({"variants": self.variants})
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_rows(cls, article):
        """Return the article's content as its rows hold it now."""
        return cls(
            title=article.title,
            summary=article.summary,
            related_ids=tuple(article.related_articles.values_list("pk", flat=True)),
            sections=tuple(article.sections.values_list(*APPROVED_FIELDS["section"])),
            reference_ids=tuple(
                article.reference_links.values_list("reference_id", flat=True)
            ),
            credits=tuple(
                article.credits.filter(role__in=WRITTEN_ROLES).values_list(
                    "role", "reviewer_id"
                )
            ),
            variants=article.variants or "",
        )

    @classmethod
    def from_serialized(cls, rows, article_pk):
        """Return the content of one article in a revision's serialised rows.

        Rows saved before a field was added or renamed simply lack it; such a
        field reads as empty rather than failing.
        """

        def ordered(model):
            found = [
                row
                for row in rows
                if row["model"] == f"articles.{model}"
                and row["fields"].get("article") == article_pk
            ]
            return sorted(
                found, key=lambda row: (row["fields"].get("order", 0), row["pk"])
            )

        article = next(
            (
                row["fields"]
                for row in rows
                if row["model"] == "articles.article" and row["pk"] == article_pk
            ),
            {},
        )
        return cls(
            title=article.get("title", ""),
            summary=article.get("summary", ""),
            related_ids=tuple(article.get("related_articles", ())),
            sections=tuple(
                tuple(
                    row["fields"].get(name, "") for name in APPROVED_FIELDS["section"]
                )
                for row in ordered("section")
            ),
            reference_ids=tuple(
                row["fields"].get("reference") for row in ordered("articlereference")
            ),
            credits=tuple(
                (row["fields"].get("role", ""), row["fields"].get("reviewer"))
                for row in ordered("credit")
                if row["fields"].get("role") in WRITTEN_ROLES
            ),
            variants=article.get("variants") or "",
        )

    @classmethod
    def from_published(cls, published):
        """Return the content of a published copy, as readers see it."""
        return cls(
            title=published.title,
            summary=published.summary,
            related_ids=tuple(published.related.values_list("pk", flat=True)),
            sections=tuple(
                tuple(section[name] for name in APPROVED_FIELDS["section"])
                for section in published.sections
            ),
            reference_ids=tuple(
                published.references.values_list("reference_id", flat=True)
            ),
            credits=tuple(
                (credit["role"], credit["reviewer"])
                for credit in published.credits
                if credit["role"] in WRITTEN_ROLES
            ),
            variants=published.variants or "",
        )
