"""The body of an article page, rendered from a published copy's fields: its
"On this page" list, sections and "Medical words explained" (``Body.html``), and
its references and credits (``Body.sources_html``).

The body depends only on the copy and its references, so every writer of a live
copy renders it again inside its own transaction, after its change
(``render_body``), and the copy stores it with a mark of how it was rendered
(``mark()``). Readers get the stored body only while its mark is today's; a copy
rendered before a deploy changed a fragment, the citation format or a setting
the fragments show is rendered per request from its fields until
``manage.py render_live_pages`` stores it again. Staff previews render the same
fragments from the draft or a revision, so an article reads the same wherever
it is rendered. What depends on other articles or on the day (related links,
breadcrumbs, review dates) is never stored: the page adds it per request.
"""

import datetime
import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import get_template, render_to_string

from .models import PublishedArticle, PublishedReference, Reviewer

BODY_TEMPLATE = "articles/_article_body.html"
SOURCES_TEMPLATE = "articles/_article_sources.html"

# The copy's fields a body is rendered from (its references are rows).
COPY_FIELDS = ("title", "summary", "sections", "credits", "glossary")

ROLE_LABELS = {
    "wrote": "Written by",
    "reviewed": "Reviewed by",
    "approved": "Approved by",
}


@dataclass(frozen=True)
class CreditLine:
    """One person credited on the page, as they were when credited."""

    role: str
    name: str
    credentials: str
    kind: str
    is_sample: bool

    @property
    def description(self):
        """Return their credentials, or else what kind of reviewer they are."""
        if self.credentials:
            return self.credentials
        try:
            return Reviewer.Kind(self.kind).label
        except ValueError:
            return ""


def credit_lines(credits):
    """Return a copy's credits (as stored) as the lines the page shows."""
    return [
        CreditLine(
            role=credit["role"],
            name=credit["name"],
            credentials=credit["credentials"],
            kind=credit["kind"],
            is_sample=credit["is_sample"],
        )
        for credit in credits
    ]


@dataclass(frozen=True)
class Body:
    """An article page's body as HTML, ready to be placed in the page."""

    html: str  # "On this page", the sections, "Medical words explained"
    sources_html: str  # references and credits, at the top of "About our information"
    has_glossary: bool  # the page marks glossary terms (it needs their script)


@dataclass(frozen=True)
class Content:
    """What a page's body is rendered from: a copy's fields, or a draft's."""

    sections: list  # each with heading, anchor and body as readers see it
    glossary: list  # each with term, slug and definition
    references: list  # each with citation()
    credits: list  # CreditLine

    @classmethod
    def of_copy(cls, published, *, references=None):
        """Return the content of a published copy (its references are read in
        one query unless given)."""
        if references is None:
            references = list(PublishedReference.objects.filter(published=published))
        return cls(
            sections=[_as_shown(section) for section in published.sections],
            glossary=published.glossary,
            references=references,
            credits=credit_lines(published.credits),
        )

    @property
    def has_sample_people(self):
        return any(credit.is_sample for credit in self.credits)

    def credits_by_role(self):
        """Return (role label, credits) pairs in the order readers expect."""
        groups = {}
        for credit in self.credits:
            groups.setdefault(credit.role, []).append(credit)
        return [
            (label, groups[role])
            for role, label in ROLE_LABELS.items()
            if role in groups
        ]

    def render(self):
        """Render the body from this content with today's fragments."""
        return Body(
            html=self.render_text(),
            sources_html=self.render_sources(),
            has_glossary=bool(self.glossary),
        )

    def render_text(self):
        """Render "On this page", the sections and "Medical words explained"."""
        return render_to_string(BODY_TEMPLATE, {"content": self})

    def render_sources(self):
        """Render the references and the credits."""
        return render_to_string(
            SOURCES_TEMPLATE,
            {"content": self, "contact_email": settings.INFOSITE["CONTACT_EMAIL"]},
        )


def _as_shown(section):
    """Return a published section with the text readers see: its links and
    glossary marks as they were last written (``articles.marking``)."""
    if "html" not in section:
        return section
    return {**section, "body": section["html"]}


def is_current(published):
    """Return whether a copy's stored body was rendered as this process renders."""
    return published.rendered_with == mark()


def stored_body(published):
    """Return the body stored on a copy, or None when it was not rendered with
    today's fragments and settings (or never rendered)."""
    if not is_current(published):
        return None
    return Body(published.body_html, published.sources_html, published.has_glossary)


def body_fields(published, *, references=None):
    """Return the body columns of a copy rendered from its fields now, for the
    caller to store in the same statement as its own change."""
    body = Content.of_copy(published, references=references).render()
    return {
        "body_html": body.html,
        "sources_html": body.sources_html,
        "has_glossary": body.has_glossary,
        "rendered_with": mark(),
    }


def text_fields(published):
    """Return the body columns that depend on a copy's sections and glossary,
    rendered from its fields now, when only those changed: the references and
    credits stored with the same mark stay as they are. For a copy rendered
    otherwise (or never), return every body column."""
    if not is_current(published):
        return body_fields(published)
    content = Content.of_copy(published, references=[])  # not shown by the text
    return {"body_html": content.render_text(), "has_glossary": bool(content.glossary)}


def render_body(published, *, references=None, changed=()):
    """Render a live copy's body from its fields and store it on the copy.

    Every writer of a copy calls this inside its transaction, after its change,
    holding the locks that keep another writer from changing the copy meanwhile
    (``articles.links`` explains the order), with ``published`` holding the
    copy's current fields. The fields named in ``changed`` (which the caller
    changed on ``published``) are stored in the same statement as the body.
    """
    fields = {name: getattr(published, name) for name in changed}
    fields.update(body_fields(published, references=references))
    PublishedArticle.objects.filter(pk=published.pk).update(**fields)
    for name, value in fields.items():
        setattr(published, name, value)


def _sample():
    """Return content with everything the fragments can show, rendered for the
    mark: the citation format, the reviewers' kinds, the contact address and
    the glossary's address all change its HTML."""
    return Content(
        sections=[{"heading": "Heading", "anchor": "heading", "body": "<p>Text</p>"}],
        glossary=[{"term": "Term", "slug": "term", "definition": "Meaning & more"}],
        references=[
            PublishedReference(
                kind=kind,
                authors="Author",
                title="Title",
                source="Source",
                identifier="ID1",
                year=2020,
                updated_year=updated,
                url="https://example.org/",
                accessed_on=datetime.date(2024, 2, 29),
            )
            for kind in PublishedReference.Kind.values
            for updated in (None, 2021)
        ],
        credits=[
            CreditLine(role, "Name", credentials, kind, is_sample)
            for role in ROLE_LABELS
            for kind in Reviewer.Kind.values
            for credentials in ("", "Credentials")
            for is_sample in (False, True)
        ],
    )


@functools.cache
def mark():
    """Return how bodies are rendered by this process: a short hash of the
    fragments' source and of the sample rendered with them."""
    digest = hashlib.sha256()
    for name in (BODY_TEMPLATE, SOURCES_TEMPLATE):
        digest.update(get_template(name).template.source.encode())
    sample = _sample().render()
    digest.update(sample.html.encode())
    digest.update(sample.sources_html.encode())
    return digest.hexdigest()[:16]


@receiver(setting_changed)
def _settings_changed(**kwargs):
    # Tests change settings while the process runs; a deploy restarts it.
    mark.cache_clear()


def stale_copies():
    """Return the ids of the copies whose stored body was rendered otherwise
    than this process renders, or never, in id order."""
    return list(
        PublishedArticle.objects.exclude(rendered_with=mark())
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def render_stale():
    """Render and store the body of every copy whose stored body is not
    today's; return how many were stored."""
    return sum(_render_again(pk) for pk in stale_copies())


def _render_again(pk):
    # Under the copy's lock, so a writer changing the copy meanwhile stores
    # its own body after this one.
    with transaction.atomic():
        copy = (
            PublishedArticle.objects.select_for_update()
            .defer("body_html", "sources_html")
            .filter(pk=pk)
            .first()
        )
        if copy is None or is_current(copy):
            return 0  # taken down, or written again meanwhile
        render_body(copy)
        return 1
