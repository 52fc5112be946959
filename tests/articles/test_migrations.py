"""Migrating a database the old workflow wrote: a live revision pointer, credits
typed for reviewers and decisions without rounds become published copies, stored
fingerprints, workflow states and rounds, and every live page stays live."""

import datetime
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import (
    Approval,
    Article,
    ArticleRevision,
    Credit,
    PublishedArticle,
    Transition,
)

BEFORE = [
    ("articles", "0002_scheduledpublication_transition_and_more"),
    ("reviews", "0004_reviewreminder"),
]
START = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


def at(hours):
    """Return a fixed moment ``hours`` after the start of the story."""
    return START + datetime.timedelta(hours=hours)


def migrate(targets=None):
    """Migrate to ``targets`` (by default the latest) and return the apps there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    ContentType.objects.clear_cache()  # migrations may have moved content types
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    """The models as they were before the publication core; the latest schema after,
    whatever happens, so later tests have every table."""
    try:
        yield migrate(BEFORE)
    finally:
        migrate()


class OldDatabase:
    """Rows written with the models as they were at ``BEFORE``."""

    def __init__(self, apps):
        self.apps = apps
        self.revisions = 0

    def model(self, label):
        return self.apps.get_model(*label.split("."))

    def save_revision(self, *objects):
        """Record ``(label, object, fields)`` as one revision, as django-reversion
        serialised them: one version per object."""
        ContentType = self.model("contenttypes.ContentType")
        self.revisions += 1
        revision = self.model("reversion.Revision").objects.create(
            date_created=at(0), comment=f"Saved {self.revisions}"
        )
        for label, obj, fields in objects:
            app_label, model = label.split(".")
            self.model("reversion.Version").objects.create(
                revision=revision,
                object_id=str(obj.pk),
                content_type=ContentType.objects.get_or_create(
                    app_label=app_label, model=model
                )[0],
                db="default",
                format="json",
                serialized_data=json.dumps(
                    [{"model": label, "pk": obj.pk, "fields": fields}]
                ),
                object_repr=str(obj.pk),
            )
        return revision

    def move(self, article, revision, action, from_state, to_state, hours):
        return self.model("articles.Transition").objects.create(
            article=article,
            revision=revision,
            action=action,
            from_state=from_state,
            to_state=to_state,
            created_at=at(hours),
        )

    def decide(self, article, revision, reviewer, decision, hours):
        return self.model("reviews.Approval").objects.create(
            article=article,
            revision=revision,
            reviewer=reviewer,
            decision=decision,
            created_at=at(hours),
        )


def article_fields(article, topic):
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": topic.pk,
        "owner": None,
        "is_featured": False,
        "created_at": START.isoformat(),
        "updated_at": START.isoformat(),
        "related_articles": [],
    }


def build_published_article(old):
    """A published article as the old workflow left it: submitted, approved by a
    clinician (twice in one round) and a person with lived experience, published,
    with typed credits; and a draft decided on without ever being submitted."""
    topic = old.model("articles.Topic").objects.create(
        name="Breast cancer", slug="breast-cancer"
    )
    article = old.model("articles.Article").objects.create(
        title="Breast cancer recurrence",
        slug="breast-cancer-recurrence",
        summary="What happens if breast cancer comes back.",
        topic=topic,
        first_published_at=at(4),
        last_published_at=at(4),
    )
    sections = [
        old.model("articles.Section").objects.create(
            article=article,
            heading=heading,
            anchor=heading.lower().replace(" ", "-"),
            body=f"<p>About {heading.lower()}.</p>",
            order=order,
        )
        for order, heading in enumerate(["What recurrence means", "Getting support"])
    ]
    reference = old.model("articles.Reference").objects.create(
        kind="guideline",
        authors="National Institute for Health and Care Excellence (NICE)",
        title="Advanced breast cancer: diagnosis and treatment",
        identifier="CG81",
        year=2009,
        updated_year=2017,
        url="https://www.nice.org.uk/guidance/cg81",
        accessed_on=datetime.date(2024, 11, 1),
    )
    link = old.model("articles.ArticleReference").objects.create(
        article=article, reference=reference, order=0
    )
    Reviewer = old.model("reviews.Reviewer")
    clinician = Reviewer.objects.create(
        name="Dr Amina Shah",
        credentials="Consultant Medical Oncologist",
        kind="clinical",
    )
    lay = Reviewer.objects.create(
        name="Sam Okafor",
        credentials="Living with breast cancer",
        kind="lived_experience",
    )
    Credit = old.model("reviews.Credit")
    wrote = Credit.objects.create(article=article, reviewer=lay, role="wrote", order=0)
    approved = Credit.objects.create(
        article=article, reviewer=clinician, role="approved", order=1
    )
    revision = old.save_revision(
        ("articles.article", article, article_fields(article, topic)),
        *[
            (
                "articles.section",
                section,
                {
                    "article": article.pk,
                    "heading": section.heading,
                    "anchor": section.anchor,
                    "body": section.body,
                    "order": section.order,
                },
            )
            for section in sections
        ],
        (
            "articles.articlereference",
            link,
            {"article": article.pk, "reference": reference.pk, "order": 0},
        ),
        *[
            (
                "reviews.credit",
                credit,
                {
                    "article": article.pk,
                    "reviewer": credit.reviewer_id,
                    "role": credit.role,
                    "order": credit.order,
                },
            )
            for credit in (wrote, approved)
        ],
    )
    old.move(article, revision, "submit", "draft", "in_review", hours=1)
    old.decide(article, revision, clinician, "approved", hours=1.5)
    old.decide(article, revision, clinician, "approved", hours=2)
    old.decide(article, revision, lay, "approved", hours=2.5)
    old.move(article, revision, "approve", "in_review", "approved", hours=3)
    old.move(article, revision, "publish", "approved", "published", hours=4)
    article.live_revision = revision
    article.save(update_fields=["live_revision"])

    draft = old.model("articles.Article").objects.create(
        title="Lymphoedema", slug="lymphoedema", summary="Swelling.", topic=topic
    )
    draft_revision = old.save_revision(
        ("articles.article", draft, article_fields(draft, topic))
    )
    old.decide(draft, draft_revision, clinician, "approved", hours=5)
    return {
        "article": article.pk,
        "revision": revision.pk,
        "draft": draft.pk,
        "draft_revision": draft_revision.pk,
        "clinician": clinician.pk,
        "lay": lay.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_live_article_stays_live_with_its_decisions_placed_in_rounds(
    client, old_apps
):
    ids = build_published_article(OldDatabase(old_apps))

    migrate()

    article = Article.objects.get(pk=ids["article"])
    published = PublishedArticle.objects.get(article=article)
    assert published.revision_id == ids["revision"]
    assert published.title == "Breast cancer recurrence"
    assert published.published_at == at(4)
    assert published.sections == [
        {
            "heading": "What recurrence means",
            "anchor": "what-recurrence-means",
            "body": "<p>About what recurrence means.</p>",
        },
        {
            "heading": "Getting support",
            "anchor": "getting-support",
            "body": "<p>About getting support.</p>",
        },
    ]
    assert [(c["role"], c["name"]) for c in published.credits] == [
        ("wrote", "Sam Okafor"),
        ("approved", "Dr Amina Shah"),
        ("reviewed", "Sam Okafor"),
    ]
    assert published.references.get().identifier == "CG81"

    assert ArticleRevision.objects.get(article=article).number == 1
    assert article.latest_revision_id == ids["revision"]
    assert article.state == "published"
    assert published.fingerprint == article.content_fingerprint
    assert not article.has_unpublished_changes  # copied references and people too

    submitted = Transition.objects.get(article=article, action="submit")
    decisions = Approval.objects.filter(article=article).order_by("created_at")
    assert [(d.reviewer_name, d.round_id, d.created_at) for d in decisions] == [
        ("Dr Amina Shah", submitted.pk, at(2)),  # the earlier repeat is gone
        ("Sam Okafor", submitted.pk, at(2.5)),
    ]
    assert decisions[0].reviewer_kind == "clinical"
    assert decisions[0].reviewer_credentials == "Consultant Medical Oncologist"
    assert all(d.fingerprint == article.content_fingerprint for d in decisions)

    assert not Credit.objects.filter(role="approved").exists()
    assert Credit.objects.get(article=article).role == "wrote"

    draft = Article.objects.get(pk=ids["draft"])
    assert draft.state == "draft"
    assert draft.latest_revision_id == ids["draft_revision"]
    assert not Approval.objects.filter(article=draft).exists()  # no round to be in
    assert not PublishedArticle.objects.filter(article=draft).exists()

    page = client.get("/articles/breast-cancer-recurrence/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "What recurrence means" in html
    assert re.search(r"<dt>Approved by</dt>\s*<dd>Dr Amina Shah", html)
