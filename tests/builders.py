"""Plain functions that build test data, each saved inside a revision like the admin does."""

import datetime
import importlib
import itertools
from dataclasses import dataclass

import reversion
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from reversion.models import Revision, Version

from articles import revisions
from articles.models import (
    Article,
    ArticleReference,
    ArticleRevision,
    Credit,
    Reference,
    Reviewer,
    Section,
    Topic,
)
from reviews import services

_numbers = itertools.count(1)


def make_topic(name=None, *, parent=None, **fields):
    number = next(_numbers)
    name = name or f"Topic {number}"
    return Topic.objects.create(
        name=name, slug=fields.pop("slug", f"topic-{number}"), parent=parent, **fields
    )


def make_reference(title=None, **fields):
    number = next(_numbers)
    defaults = {
        "kind": Reference.Kind.GUIDELINE,
        "authors": "National Institute for Health and Care Excellence (NICE)",
        "title": title or f"Guideline {number}",
        "identifier": f"CG{number}",
        "year": 2009,
        "updated_year": 2017,
        "url": f"https://www.nice.org.uk/guidance/cg{number}",
        "accessed_on": datetime.date(2021, 11, 1),
    }
    return Reference.objects.create(**(defaults | fields))


def make_reviewer(name=None, *, kind=Reviewer.Kind.CLINICAL, **fields):
    number = next(_numbers)
    defaults = {
        "name": name or f"Dr Sample Person {number}",
        "credentials": "Consultant Medical Oncologist",
        "is_sample": True,
    }
    return Reviewer.objects.create(kind=kind, **(defaults | fields))


def make_article(
    title=None,
    *,
    topic=None,
    sections=3,
    references=(),
    credits=(),
    user=None,
    **fields,
):
    """Create an article with numbered sections, in one revision."""
    number = next(_numbers)
    title = title or f"Article {number}"
    defaults = {
        "slug": f"article-{number}",
        "summary": f"A short plain summary of {title.lower()}.",
        "reviewed_on": datetime.date(2023, 7, 1),
        "next_review_on": datetime.date(2026, 7, 1),
    }
    with reversion.create_revision():
        reversion.set_user(user)
        article = Article.objects.create(
            title=title, topic=topic or make_topic(), **(defaults | fields)
        )
        for index in range(sections):
            Section.objects.create(
                article=article,
                heading=f"Section heading {index + 1}",
                body=f"<p>Body text of section {index + 1}.</p>",
                order=index,
            )
        for index, reference in enumerate(references):
            ArticleReference.objects.create(
                article=article, reference=reference, order=index
            )
        for index, (role, reviewer) in enumerate(credits):
            Credit.objects.create(
                article=article, reviewer=reviewer, role=role, order=index
            )
    return article


def make_term(title, *, definition=None, variants="", user=None, **fields):
    """Create a glossary term (an article row of the term kind), in one revision."""
    number = next(_numbers)
    defaults = {
        "slug": f"term-{number}",
        "summary": definition or f"What {title.lower()} means, in plain words.",
    }
    with reversion.create_revision():
        reversion.set_user(user)
        return Article.objects.create(
            kind=Article.Kind.TERM,
            title=title,
            variants=variants,
            **(defaults | fields),
        )


def edit_term(term, *, user=None, **fields):
    """Change a term's fields in a new revision, as the admin would."""
    with reversion.create_revision():
        reversion.set_user(user)
        term = Article.objects.get(pk=term.pk)
        for name, value in fields.items():
            setattr(term, name, value)
        term.save()
    return term


def publish_term(term, team):
    """Take a term through review to the public site: a clinical reviewer
    approves it, as the glossary's policy asks."""
    submit(term, team)
    services.approve(article=term, revision=current(term), by=team.clinician)
    services.publish(article=term, by=team.publisher, is_full_review=True)
    term.refresh_from_db()
    return term


def ensure_roles():
    """Create the role groups if a flushed database lost them (browser tests do)."""
    if not Group.objects.filter(name="Editors").exists():
        roles = importlib.import_module("reviews.migrations.0006_roles_after_move")
        roles.create_roles(django_apps, None)
        drafts = importlib.import_module(
            "reviews.migrations.0007_editors_delete_drafts"
        )
        drafts.allow_deleting_drafts(django_apps, None)
        terms = importlib.import_module("reviews.migrations.0008_glossary_term_roles")
        terms.allow(django_apps, None)


def make_user(username, *groups, reviewer=None, is_staff=None):
    """Create a user in the named groups (Editors, Reviewers, Publishers)."""
    ensure_roles()
    user = User.objects.create_user(
        username,
        email=f"{username}@example.org",
        password="correct horse battery staple",
        is_staff=bool(groups and "Reviewers" not in groups)
        if is_staff is None
        else is_staff,
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    if reviewer is not None:
        reviewer.user = user
        reviewer.save()
    return User.objects.get(pk=user.pk)  # fresh, so permission caches start empty


@dataclass
class Team:
    editor: object
    clinician: object
    lay: object
    publisher: object


def make_team():
    """Create one user per role; the two reviewers have reviewer profiles."""
    return Team(
        editor=make_user("editor", "Editors"),
        clinician=make_user(
            "clinician",
            "Reviewers",
            reviewer=make_reviewer("Dr Sample Clinician", kind=Reviewer.Kind.CLINICAL),
        ),
        lay=make_user(
            "lay",
            "Reviewers",
            reviewer=make_reviewer(
                "Sample Lay Reviewer",
                kind=Reviewer.Kind.LIVED_EXPERIENCE,
                credentials="",
            ),
        ),
        publisher=make_user("publisher", "Publishers"),
    )


def current(article):
    return revisions.current_revision(article)


def submit(article, team):
    services.submit(article=article, by=team.editor, reviewers=[])


def approve_all(article, team):
    """Both reviewers approve the current revision."""
    for user in (team.clinician, team.lay):
        services.approve(article=article, revision=current(article), by=user)


def publish(article, team, *, is_full_review=False):
    """Take the article through review to the public site, as the team would."""
    submit(article, team)
    approve_all(article, team)
    services.publish(
        article=article,
        by=team.publisher,
        is_full_review=is_full_review,
        full_review_not_needed=True,  # a minor correction of an overdue article
    )
    article.refresh_from_db()
    return article


def edit_section(article, *, user=None, body="<p>Changed wording.</p>", index=0):
    """Change one section's body in a new revision, as the admin would."""
    with reversion.create_revision():
        reversion.set_user(user)
        section = list(article.sections.all())[index]
        section.body = body
        section.save()
        reversion.add_to_revision(Article.objects.get(pk=article.pk))
    return section


def state_of(article):
    """Return the article's workflow state as stored now."""
    return Article.objects.get(pk=article.pk).state


def live_revision_id(article):
    """Return the id of the revision readers see, or None when not live."""
    live = Article.objects.select_related("published").get(pk=article.pk).live
    return live.revision_id if live else None


def fresh(article):
    """Return the article as stored now."""
    return Article.objects.get(pk=article.pk)


def add_saved_versions(
    article,
    count,
    *,
    user=None,
    first_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC),
):
    """Give the article ``count`` more saved versions, each holding the same rows
    as its latest, one minute apart from ``first_at``, as if an editor had saved
    it that many times. Written in bulk, so long histories are cheap to build
    (in batches, each well within the database's statement timeout)."""
    latest = article.versions.order_by("-number").first()
    rows = list(Version.objects.filter(revision_id=latest.revision_id))
    saved = Revision.objects.bulk_create(
        [
            Revision(
                date_created=first_at + datetime.timedelta(minutes=index),
                user=user,
                comment=f"Save number {index + 1}",
            )
            for index in range(count)
        ],
        batch_size=500,
    )
    Version.objects.bulk_create(
        [
            Version(
                revision=revision,
                object_id=row.object_id,
                content_type_id=row.content_type_id,
                db=row.db,
                format=row.format,
                serialized_data=row.serialized_data,
                object_repr=row.object_repr,
            )
            for revision in saved
            for row in rows
        ],
        batch_size=500,
    )
    ArticleRevision.objects.bulk_create(
        [
            ArticleRevision(
                article=article,
                revision=revision,
                number=latest.number + index + 1,
                fingerprint=latest.fingerprint,
            )
            for index, revision in enumerate(saved)
        ],
        batch_size=500,
    )
    Article.objects.filter(pk=article.pk).update(latest_revision=saved[-1])
    article.refresh_from_db()
    return saved
