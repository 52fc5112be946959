"""Fill what the new publication core stores, from what existing databases hold."""

import hashlib
import json
from collections import defaultdict

from django.db import migrations
from django.utils import timezone

# A pure module (no model imports): the same fingerprint the running site computes.
from articles.content import WRITTEN_ROLES, ArticleContent

MOVED = ["reviewer", "credit", "approval"]

# As ``CitationFields.content_fingerprint`` reads them.
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

# What a published copy keeps of each section, in reading order.
SECTION_FIELDS = ["heading", "anchor", "body"]

# decision: the moves that open a round of such decisions.
ROUND_OPENERS = {
    "approved": {"submit"},
    "changes_requested": {"submit"},
    "confirmed": {"publish", "confirm_review"},
}


def move_content_types(apps, schema_editor):
    """Reviewers, credits and decisions now belong to ``articles``: their content
    types (and so their permissions and saved versions) follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    for model in MOVED:
        old = ContentType.objects.filter(app_label="reviews", model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label="articles", model=model).delete()
        old.app_label = "articles"
        old.save(update_fields=["app_label"])
    for version in Version.objects.filter(serialized_data__contains='"reviews.'):
        data = version.serialized_data
        for model in MOVED:
            data = data.replace(f'"reviews.{model}"', f'"articles.{model}"')
        version.serialized_data = data
        version.save(update_fields=["serialized_data"])


def forwards(apps, schema_editor):
    """Number revisions, store fingerprints, states and rounds, and copy live pages."""
    prints = _number_revisions(apps)
    _drop_typed_review_credits(apps)
    history = _fill_transitions(apps, prints)
    _fill_approvals(apps, prints, history)
    _drop_repeated_decisions(apps)
    _fill_schedules(apps, prints)
    _copy_live_pages(apps)


# Revisions.


def _revision_rows(apps, revision_id):
    """Return every serialised row one revision holds."""
    Version = apps.get_model("reversion", "Version")
    rows = []
    for data in (
        Version.objects.filter(revision_id=revision_id)
        .order_by("pk")
        .values_list("serialized_data", flat=True)
    ):
        rows.extend(json.loads(data))
    return rows


def _number_revisions(apps):
    """Record each article's revisions, numbered in the order they were saved, and
    point the article at its latest; return {(article id, revision id): fingerprint}."""
    Article = apps.get_model("articles", "Article")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    prints = {}
    content_type = ContentType.objects.filter(
        app_label="articles", model="article"
    ).first()
    if content_type is None:  # no content type, so nothing was ever saved
        return prints
    for article in Article.objects.order_by("pk"):
        revision_ids = sorted(
            set(
                Version.objects.filter(
                    content_type=content_type, object_id=str(article.pk)
                ).values_list("revision_id", flat=True)
            )
        )
        if not revision_ids:
            continue
        ArticleRevision.objects.filter(article_id=article.pk).delete()  # a re-run
        for number, revision_id in enumerate(revision_ids, start=1):
            rows = _revision_rows(apps, revision_id)
            fingerprint = ArticleContent.from_serialized(rows, article.pk).fingerprint
            ArticleRevision.objects.create(
                article_id=article.pk,
                revision_id=revision_id,
                number=number,
                fingerprint=fingerprint,
            )
            prints[article.pk, revision_id] = fingerprint
        article.latest_revision_id = revision_ids[-1]
        article.content_fingerprint = prints[article.pk, revision_ids[-1]]
        article.save(update_fields=["latest_revision", "content_fingerprint"])
    return prints


# Credits, moves and decisions.


def _drop_typed_review_credits(apps):
    """Delete credits for reviewing and approving: decisions now say who did."""
    Credit = apps.get_model("articles", "Credit")
    Credit.objects.exclude(role__in=WRITTEN_ROLES).delete()


def _fill_transitions(apps, prints):
    """Fingerprint each move and give each article the state its last move recorded;
    return {article id: its moves, oldest first}."""
    Article = apps.get_model("articles", "Article")
    Transition = apps.get_model("articles", "Transition")
    history = defaultdict(list)
    for transition in Transition.objects.order_by("created_at", "pk"):
        key = (transition.article_id, transition.revision_id)
        transition.fingerprint = prints.get(key, "")
        transition.save(update_fields=["fingerprint"])
        history[transition.article_id].append(transition)
    for article in Article.objects.filter(pk__in=list(history)):
        last = history[article.pk][-1]
        article.workflow_state = last.to_state
        article.workflow_fingerprint = last.fingerprint
        article.save(update_fields=["workflow_state", "workflow_fingerprint"])
    return history


def _round_for(approval, moves):
    """Return the move that opened the round a decision belongs to: the latest move
    of the kind that opens such rounds at or before it, or else the first move."""
    openers = ROUND_OPENERS.get(approval.decision, set())
    earlier = [
        move
        for move in moves
        if move.action in openers and move.created_at <= approval.created_at
    ]
    return earlier[-1] if earlier else moves[0]


def _fill_approvals(apps, prints, history):
    """Store on each decision its content's fingerprint, its reviewer as they are
    now and its round; delete decisions on articles that never moved."""
    Approval = apps.get_model("articles", "Approval")
    for approval in Approval.objects.select_related("reviewer"):
        moves = history.get(approval.article_id)
        if not moves:
            approval.delete()
            continue
        reviewer = approval.reviewer
        approval.fingerprint = prints.get(
            (approval.article_id, approval.revision_id), ""
        )
        approval.reviewer_name = reviewer.name
        approval.reviewer_credentials = reviewer.credentials
        approval.reviewer_kind = reviewer.kind
        approval.reviewer_is_sample = reviewer.is_sample
        approval.round = _round_for(approval, moves)
        approval.save(
            update_fields=[
                "fingerprint",
                "reviewer_name",
                "reviewer_credentials",
                "reviewer_kind",
                "reviewer_is_sample",
                "round",
            ]
        )


def _drop_repeated_decisions(apps):
    """Keep one decision per round, reviewer and decision: the latest."""
    Approval = apps.get_model("articles", "Approval")
    seen = set()
    for approval in Approval.objects.order_by("-created_at", "-pk"):
        key = (approval.round_id, approval.reviewer_id, approval.decision)
        if key in seen:
            approval.delete()
        else:
            seen.add(key)


def _fill_schedules(apps, prints):
    """Fingerprint the revision each scheduled publication will put live."""
    ScheduledPublication = apps.get_model("articles", "ScheduledPublication")
    for scheduled in ScheduledPublication.objects.all():
        key = (scheduled.article_id, scheduled.revision_id)
        scheduled.fingerprint = prints.get(key, "")
        scheduled.save(update_fields=["fingerprint"])


# Published copies.


def _own_rows(rows, model, article_pk):
    """Return the article's own rows of one model in a revision, in reading order."""
    found = [
        row
        for row in rows
        if row["model"] == f"articles.{model}"
        and row["fields"].get("article") == article_pk
    ]
    return sorted(found, key=lambda row: (row["fields"].get("order", 0), row["pk"]))


def _credit(role, reviewer_id, name, credentials, kind, is_sample):
    """Return one credit line as a published copy stores it."""
    return {
        "role": role,
        "reviewer": reviewer_id,
        "name": name,
        "credentials": credentials,
        "kind": kind,
        "is_sample": is_sample,
    }


def _credits(apps, rows, article_pk, fingerprint):
    """Return a live page's credits: the writers the revision names, as their record
    says now, then each reviewer whose latest decision on the live content approved
    it, as they were when they decided."""
    Approval = apps.get_model("articles", "Approval")
    Reviewer = apps.get_model("articles", "Reviewer")
    written = [
        row["fields"]
        for row in _own_rows(rows, "credit", article_pk)
        if row["fields"].get("role") in WRITTEN_ROLES
    ]
    people = Reviewer.objects.in_bulk(
        [fields.get("reviewer") for fields in written if fields.get("reviewer")]
    )
    lines = [
        _credit(
            fields["role"],
            person.pk,
            person.name,
            person.credentials,
            person.kind,
            person.is_sample,
        )
        for fields in written
        if (person := people.get(fields.get("reviewer"))) is not None
    ]
    latest = {}
    decisions = Approval.objects.filter(article_id=article_pk, fingerprint=fingerprint)
    for approval in decisions.order_by("created_at", "pk"):
        latest[approval.reviewer_id] = approval
    approving = sorted(
        (a for a in latest.values() if a.decision == "approved"),
        key=lambda a: (a.created_at, a.pk),
    )
    lines += [
        _credit(
            "approved" if approval.reviewer_kind == "clinical" else "reviewed",
            approval.reviewer_id,
            approval.reviewer_name,
            approval.reviewer_credentials,
            approval.reviewer_kind,
            approval.reviewer_is_sample,
        )
        for approval in approving
    ]
    return lines


def _citation_fingerprint(reference):
    """Return what ``CitationFields.content_fingerprint`` returns for a reference."""
    values = [str(getattr(reference, name) or "") for name in CITATION_FIELDS]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()


def _copy_references(apps, published, rows):
    """Copy the references the live revision cites, as their records read now;
    references deleted since are left out."""
    PublishedReference = apps.get_model("articles", "PublishedReference")
    Reference = apps.get_model("articles", "Reference")
    links = _own_rows(rows, "articlereference", published.article_id)
    records = Reference.objects.in_bulk(
        [link["fields"].get("reference") for link in links]
    )
    cited = [
        reference
        for link in links
        if (reference := records.get(link["fields"].get("reference"))) is not None
    ]
    for order, reference in enumerate(cited):
        PublishedReference.objects.create(
            published=published,
            reference=reference,
            fingerprint=_citation_fingerprint(reference),
            order=order,
            **{name: getattr(reference, name) for name in CITATION_FIELDS},
        )


def _article_row(rows, article_pk):
    """Return the fields of the article's own row in a revision (empty if absent)."""
    return next(
        (
            row["fields"]
            for row in rows
            if row["model"] == "articles.article" and row["pk"] == article_pk
        ),
        {},
    )


def _copy_live_pages(apps):
    """Write a published copy of each live article from its live revision."""
    Article = apps.get_model("articles", "Article")
    PublishedArticle = apps.get_model("articles", "PublishedArticle")
    for article in Article.objects.filter(live_revision__isnull=False):
        rows = _revision_rows(apps, article.live_revision_id)
        fields = _article_row(rows, article.pk)
        fingerprint = ArticleContent.from_serialized(rows, article.pk).fingerprint
        PublishedArticle.objects.filter(article_id=article.pk).delete()  # a re-run
        published = PublishedArticle.objects.create(
            article=article,
            revision_id=article.live_revision_id,
            fingerprint=fingerprint,
            title=fields.get("title", ""),
            summary=fields.get("summary", ""),
            sections=[
                {name: row["fields"].get(name, "") for name in SECTION_FIELDS}
                for row in _own_rows(rows, "section", article.pk)
            ],
            credits=_credits(apps, rows, article.pk, fingerprint),
            published_at=article.last_published_at or timezone.now(),
        )
        related = fields.get("related_articles") or []
        published.related.set(Article.objects.filter(pk__in=related))
        _copy_references(apps, published, rows)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_published_copies_and_fingerprints"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
