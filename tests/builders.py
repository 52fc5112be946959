"""Plain functions that build test data, each saved inside a revision like the admin does."""

import datetime
import itertools

import reversion

from articles.models import Article, ArticleReference, Reference, Section, Topic
from reviews.models import Credit, Reviewer

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
