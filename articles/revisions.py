"""Reading an article's saved revisions: which one is current and what each contains.

A revision never changes once saved, so what is read from one is cached for good.
"""

import copy
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

import reversion
from django.core import serializers
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from reversion.models import Revision, Version

from .models import CONTENT_ARTICLE_FIELDS, Article, ArticleReference, Reference

_CACHE_PREFIX = "revision-rows:v1:"


def _rows_of(revision_ids):
    """Return {revision id: [serialised row, ...]} for the given revisions."""
    revision_ids = {rid for rid in revision_ids if rid}
    keys = {rid: f"{_CACHE_PREFIX}{rid}" for rid in revision_ids}
    found = cache.get_many(keys.values())
    rows = {rid: found[key] for rid, key in keys.items() if key in found}
    missing = revision_ids - rows.keys()
    if missing:
        fresh = {rid: [] for rid in missing}
        for revision_id, data in Version.objects.filter(
            revision_id__in=missing
        ).values_list("revision_id", "serialized_data"):
            fresh[revision_id].extend(json.loads(data))
        # Cache only what is committed: rows read inside a transaction that is
        # later rolled back could belong to an id the database hands out again.
        entries = {keys[rid]: value for rid, value in fresh.items()}
        transaction.on_commit(lambda: cache.set_many(entries, None))
        rows |= fresh
    return rows


def _rows_for_article(rows, article_pk):
    """Keep the rows that belong to one article (one revision may hold several)."""
    kept = []
    for row in rows:
        if row["model"] == "articles.article":
            if row["pk"] == article_pk:
                kept.append(row)
        elif row["fields"].get("article") == article_pk:
            kept.append(row)
    return sorted(kept, key=lambda row: (row["model"], row["pk"]))


def _content_of(rows):
    """Return the rows with only what reviewers approve of the article itself."""
    return [
        {**row, "fields": {k: row["fields"].get(k) for k in CONTENT_ARTICLE_FIELDS}}
        if row["model"] == "articles.article"
        else row
        for row in rows
    ]


@dataclass(frozen=True)
class Snapshot:
    """An article's content as it was saved in one revision."""

    revision_id: int
    rows: list

    def _objects(self, label):
        wanted = [row for row in self.rows if row["model"] == label]
        return [item.object for item in serializers.deserialize("python", wanted)]

    @cached_property
    def fields(self):
        for row in self.rows:
            if row["model"] == "articles.article":
                return row["fields"]
        return {}

    @property
    def exists(self):
        return bool(self.fields)

    @property
    def related_ids(self):
        return list(self.fields.get("related_articles", []))

    def sections(self):
        return sorted(self._objects("articles.section"), key=lambda s: (s.order, s.pk))

    def reference_links(self):
        links = self._objects("articles.articlereference")
        return sorted(links, key=lambda link: (link.order, link.pk))

    def credits(self):
        return sorted(self._objects("reviews.credit"), key=lambda c: (c.order, c.pk))

    def applied_to(self, article):
        """Return a copy of the article carrying this revision's content."""
        article = copy.copy(article)
        for name in CONTENT_ARTICLE_FIELDS:
            if name in self.fields and name != "related_articles":
                setattr(article, name, self.fields[name])
        return article

    @property
    def content_key(self):
        """A fingerprint that is equal for two revisions with the same content."""
        text = json.dumps(_content_of(self.rows), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def saved_alike(article, revision_a, revision_b):
    """Return True when two revisions saved the same values, content or not."""
    if revision_a == revision_b:
        return True

    def values(revision_id):
        rows = snapshot(revision_id, article.pk).rows
        return [
            {
                **row,
                "fields": {k: v for k, v in row["fields"].items() if k != "updated_at"},
            }
            for row in rows
        ]

    return values(revision_a) == values(revision_b)


def people_for(credits):
    """Return {pk: reviewer} for the people the credits name, in one query."""
    if not credits:
        return {}
    reviewer_model = type(credits[0])._meta.get_field("reviewer").related_model
    return reviewer_model.objects.in_bulk({credit.reviewer_id for credit in credits})


def snapshot(revision_id, article_pk):
    """Return what one revision holds for one article."""
    rows = _rows_of([revision_id]).get(revision_id, [])
    return Snapshot(revision_id, _rows_for_article(rows, article_pk))


def revisions_of(article):
    """Return the article's revisions, newest first."""
    revision_ids = Version.objects.get_for_object(article).values("revision_id")
    return (
        Revision.objects.filter(pk__in=revision_ids)
        .select_related("user")
        .order_by("-pk")
    )


def current_revision(article):
    """Return the latest revision of the article, or None if it has none."""
    return revisions_of(article).first()


def live_copies(articles):
    """Return the live version of each published article, in the given order."""
    articles = [article for article in articles if article.live_revision_id]
    rows = _rows_of(article.live_revision_id for article in articles)
    return [
        Snapshot(
            article.live_revision_id,
            _rows_for_article(rows[article.live_revision_id], article.pk),
        ).applied_to(article)
        for article in articles
    ]


class RestoreError(Exception):
    """A revision that cannot be restored; the message is written for editors."""


def restore(article, revision, *, by):
    """Bring back the article's content as ``revision`` holds it, as a new revision.

    Sections, references and credits added since are removed and those deleted
    since come back. The address, topic, owner, publication state and review
    dates stay as they are now.
    """
    snap = snapshot(revision.pk, article.pk)
    if not snap.exists:
        raise RestoreError("That revision does not belong to this article.")
    when = format_date(timezone.localtime(revision.date_created), "j F Y, H:i")
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(by)
            reversion.set_comment(f"Restored the version saved on {when}")
            article = Article.objects.select_for_update().get(pk=article.pk)
            for name in CONTENT_ARTICLE_FIELDS:
                if name != "related_articles":
                    setattr(article, name, snap.fields[name])
            article.save()
            article.related_articles.set(
                Article.objects.filter(pk__in=snap.related_ids)
            )
            _replace(article.sections, snap.sections())
            links = snap.reference_links()
            existing = Reference.objects.in_bulk({link.reference_id for link in links})
            _replace(
                ArticleReference.objects.filter(article=article),
                [link for link in links if link.reference_id in existing],
            )
            credits = snap.credits()
            people = people_for(credits)
            _replace(article.credits, [c for c in credits if c.reviewer_id in people])
    except IntegrityError as error:
        raise RestoreError(
            "That version could not be restored because it clashes with the article "
            "as it is now. Nothing was changed."
        ) from error
    return article


def _replace(rows, wanted):
    """Delete the rows not in ``wanted`` and save each wanted row as it was."""
    rows.exclude(pk__in=[row.pk for row in wanted]).delete()
    for row in wanted:
        row.save()
