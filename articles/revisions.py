"""An article's saved revisions: recording each save, reading what one holds, and
restoring one.

Every save of an article is one django-reversion revision. When it is recorded,
``record_saved`` numbers it and stores the fingerprint of its content, on the
revision's ``ArticleRevision`` row and on the article, so nothing later needs to
read the revision's stored data to know what state the article is in.
"""

import json
from dataclasses import dataclass
from functools import cached_property

import reversion
from django.core import serializers
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from reversion.models import Revision, Version

from . import display
from .content import APPROVED_FIELDS, WRITTEN_ROLES, ArticleContent
from .models import (
    Action,
    Article,
    ArticleReference,
    ArticleRevision,
    Reference,
    Reviewer,
    Transition,
)


def record_saved(*, revision, versions, **kwargs):
    """Number a newly saved revision of each article in it and store its fingerprint.

    Connected to django-reversion's ``post_revision_commit``, so every save is
    recorded, whichever way it was made (admin, restore, import, command).
    """
    article_ids = {
        int(version.object_id)
        for version in versions
        if version.content_type.model_class() is Article
    }
    for article in Article.objects.filter(pk__in=article_ids):
        fingerprint = ArticleContent.from_rows(article).fingerprint
        last = article.versions.aggregate(last=Max("number"))["last"] or 0
        ArticleRevision.objects.create(
            article=article, revision=revision, number=last + 1, fingerprint=fingerprint
        )
        # Bookkeeping kept out of revisions, so a bulk update leaves no history gap.
        Article.objects.filter(pk=article.pk).update(
            latest_revision=revision, content_fingerprint=fingerprint
        )


def _rows_for_article(revision_id, article_pk):
    """Return the serialised rows of one article (and its own rows) in a revision."""
    rows = []
    for data in Version.objects.filter(revision_id=revision_id).values_list(
        "serialized_data", flat=True
    ):
        rows.extend(json.loads(data))
    kept = [
        row
        for row in rows
        if (row["model"] == "articles.article" and row["pk"] == article_pk)
        or (
            row["model"] != "articles.article"
            and row["fields"].get("article") == article_pk
        )
    ]
    return sorted(kept, key=lambda row: (row["model"], row["pk"]))


@dataclass(frozen=True)
class Snapshot:
    """An article's content as it was saved in one revision.

    Rows saved before a model's fields were added or renamed are read with the
    fields the model has now: unknown ones are ignored, missing ones take their
    defaults, so an old version can always be shown, compared and restored.
    """

    revision_id: int
    article_pk: int
    rows: list

    def _objects(self, label):
        wanted = [row for row in self.rows if row["model"] == label]
        return [
            item.object
            for item in serializers.deserialize(
                "python", wanted, ignorenonexistent=True
            )
        ]

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

    @cached_property
    def content(self):
        return ArticleContent.from_serialized(self.rows, self.article_pk)

    def article(self):
        """Return the article as saved (fields kept out of revisions at their
        defaults), unsaved."""
        return self._objects("articles.article")[0]

    def sections(self):
        return sorted(self._objects("articles.section"), key=lambda s: (s.order, s.pk))

    def reference_links(self):
        links = self._objects("articles.articlereference")
        return sorted(links, key=lambda link: (link.order, link.pk))

    def credits(self):
        return sorted(self._objects("articles.credit"), key=lambda c: (c.order, c.pk))


def saved_alike(article, revision_a, revision_b):
    """Return True when two revisions saved the same values, content or not."""
    if revision_a == revision_b:
        return True

    def values(revision_id):
        return [
            {
                **row,
                "fields": {k: v for k, v in row["fields"].items() if k != "updated_at"},
            }
            for row in _rows_for_article(revision_id, article.pk)
        ]

    return values(revision_a) == values(revision_b)


def people_for(credits):
    """Return {pk: reviewer} for the people the credits name, in one query."""
    if not credits:
        return {}
    return Reviewer.objects.in_bulk({credit.reviewer_id for credit in credits})


def snapshot(revision_id, article_pk):
    """Return what one revision holds for one article."""
    return Snapshot(revision_id, article_pk, _rows_for_article(revision_id, article_pk))


def revisions_of(article):
    """Return the article's revisions, newest first, each with its version ``number``
    and content ``fingerprint``."""
    return (
        Revision.objects.filter(article_versions__article=article)
        .annotate(
            number=F("article_versions__number"),
            fingerprint=F("article_versions__fingerprint"),
        )
        .select_related("user")
        .order_by("-article_versions__number")
    )


HISTORY_PAGE_SIZE = 50


def history_page(article, number):
    """Return one page of the article's revisions, newest first, ``HISTORY_PAGE_SIZE``
    to a page; a page number that is not a number gives the first page, and one
    past the end (or below 1) the last."""
    return Paginator(revisions_of(article), HISTORY_PAGE_SIZE).get_page(number)


def to_choose_from(article, among, *, also=()):
    """Return the revisions to offer where an editor picks a version: those in
    ``among`` (already numbered, e.g. one page of the history) and those of the
    article whose ids are in ``also`` (the current and live ones, or the two
    being compared), newest first, each once.

    Only a bounded number of versions are offered, however long the history;
    ids in ``also`` that are not this article's are left out.
    """
    wanted = {int(pk) for pk in also if str(pk).isdigit()}
    found = {revision.pk: revision for revision in among}
    # Asked for even when already in ``among``, so the number of queries does
    # not depend on which page is shown.
    found.update(
        (revision.pk, revision)
        for revision in revisions_of(article).filter(pk__in=wanted)
    )
    return sorted(found.values(), key=lambda revision: -revision.number)


def label(revision):
    """Return how a saved version is named wherever versions are listed:
    "Version 12 · Sam Editor · 3 March 2026, 14:05" (its number within the
    article, who saved it, and when, to the minute in local time).

    ``revision`` comes from ``revisions_of``, which gives it its ``number``.
    """
    return " · ".join(
        [
            f"Version {revision.number}",
            display.person(revision.user, nobody="someone not recorded"),
            display.moment(revision.date_created),
        ]
    )


def current_revision(article):
    """Return the latest revision of the article, or None if it has none."""
    return revisions_of(article).first()


def fingerprint_of(article, revision_id):
    """Return the content fingerprint of one of the article's revisions, or None."""
    return (
        ArticleRevision.objects.filter(article=article, revision_id=revision_id)
        .values_list("fingerprint", flat=True)
        .first()
    )


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
    when = display.moment(revision.date_created)
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(by)
            reversion.set_comment(f"Restored the version saved on {when}")
            article = Article.objects.select_for_update().get(pk=article.pk)
            for name in APPROVED_FIELDS["article"]:
                if name != "related_articles" and name in snap.fields:
                    setattr(article, name, snap.fields[name])
            article.save(update_fields=["title", "summary", "updated_at"])
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
            _replace(
                article.credits,
                [
                    credit
                    for credit in credits
                    if credit.reviewer_id in people and credit.role in WRITTEN_ROLES
                ],
            )
    except IntegrityError as error:
        raise RestoreError(
            "That version could not be restored because it clashes with the article "
            "as it is now. Nothing was changed."
        ) from error
    return article


def recover(version, *, by):
    """Bring back a deleted article that readers never saw, as its last saved
    version, recorded as a new version after its old ones.

    ``version`` is the article's row in any of its revisions (as the admin's
    list of deleted articles gives it). django-reversion's own revert would
    also do, but it brings back every row of the revision as stored; this reads
    only the article's own rows, with the fields the models have now, as
    ``restore`` does. What is not versioned (review dates, workflow bookkeeping)
    starts empty: a recovered article is a draft.
    """
    if version.content_type.model_class() is not Article:
        raise RestoreError("That is not a saved version of an article.")
    article_id = int(version.object_id)
    if Article.objects.filter(pk=article_id).exists():
        raise RestoreError(
            "This article was not deleted, so there is nothing to recover."
        )
    if Transition.objects.filter(article_id=article_id, action=Action.PUBLISH).exists():
        raise RestoreError(
            "This article was on the public site before it was deleted, so it "
            "cannot be recovered here. Ask an administrator."
        )
    last = (
        ArticleRevision.objects.filter(article_id=article_id)
        .order_by("-number")
        .first()
    )
    revision_id = last.revision_id if last else version.revision_id
    snap = snapshot(revision_id, article_id)
    if not snap.exists:
        raise RestoreError("No saved version of this article could be found.")
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(by)
            reversion.set_comment("Recovered after it was deleted")
            article = snap.article()
            article.save(force_insert=True)
            article.related_articles.set(
                Article.objects.filter(pk__in=snap.related_ids)
            )
            for section in snap.sections():
                section.save(force_insert=True)
            links = snap.reference_links()
            existing = Reference.objects.in_bulk({link.reference_id for link in links})
            for link in links:
                if link.reference_id in existing:
                    link.save(force_insert=True)
            credits = snap.credits()
            people = people_for(credits)
            for credit in credits:
                if credit.reviewer_id in people and credit.role in WRITTEN_ROLES:
                    credit.save(force_insert=True)
    except IntegrityError as error:
        raise RestoreError(
            "This article could not be recovered because it clashes with what is "
            "stored now: another article may use its web address, or its topic "
            "may have been deleted. Nothing was changed."
        ) from error
    return Article.objects.get(pk=article_id)


def _replace(rows, wanted):
    """Delete the rows not in ``wanted`` and save each wanted row as it was."""
    rows.exclude(pk__in=[row.pk for row in wanted]).delete()
    for row in wanted:
        row.save()
