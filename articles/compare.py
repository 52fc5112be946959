"""Compare two revisions of an article, section by section, as readable text.

Bodies are compared as the words a reader sees, block by block (paragraphs,
list items, sub-headings), and shown as an inline diff with <ins> and <del>.
"""

import difflib
import re
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from . import revisions
from .models import Article, Reference

_BLOCK = re.compile(r"</?(p|h[1-6]|li|ul|ol|br)\b[^>]*>", re.IGNORECASE)
_WORDS = re.compile(r"\s+|[^\s]+")


def readable_text(html):
    """Return the text of rich-text HTML, one block per line."""
    text = _BLOCK.sub("\n", html or "")
    lines = (unescape(strip_tags(line)).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def inline_diff(old, new):
    """Return HTML showing ``old`` turned into ``new`` word by word."""
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_words[a1:a2]), "".join(new_words[b1:b2])
        if op == "equal":
            parts.append(escape(removed))
            continue
        if removed.strip():
            parts.append(f"<del>{escape(removed)}</del>")
        if added.strip():
            parts.append(f"<ins>{escape(added)}</ins>")
        elif added:
            parts.append(escape(added))
    return mark_safe("".join(parts).replace("\n", "<br>"))


@dataclass
class Change:
    """One compared part of the article: a field, a section, or a list."""

    label: str
    status: str  # "added", "removed", "changed" or "unchanged"
    diff: str = ""
    heading_diff: str = ""
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    is_reordered: bool = False

    @property
    def is_changed(self):
        return self.status != "unchanged"


@dataclass
class Comparison:
    old_revision_id: int
    new_revision_id: int
    changes: list

    @property
    def has_changes(self):
        return any(change.is_changed for change in self.changes)

    @property
    def changed(self):
        return [change for change in self.changes if change.is_changed]


def _text_change(label, old, new):
    if old == new:
        return Change(label, "unchanged", diff=escape(new))
    return Change(label, "changed", diff=inline_diff(old, new))


def _list_change(label, old, new):
    added = [item for item in new if item not in old]
    removed = [item for item in old if item not in new]
    if added or removed:
        return Change(label, "changed", added=added, removed=removed)
    if old != new:
        return Change(label, "changed", is_reordered=True)
    return Change(label, "unchanged")


def _section_changes(old_sections, new_sections):
    old_by_pk = {section.pk: section for section in old_sections}
    new_pks = {section.pk for section in new_sections}
    changes = []
    for section in new_sections:
        before = old_by_pk.get(section.pk)
        if before is None:
            changes.append(
                Change(
                    section.heading,
                    "added",
                    diff=inline_diff("", readable_text(section.body)),
                )
            )
            continue
        old_text, new_text = readable_text(before.body), readable_text(section.body)
        if before.heading == section.heading and old_text == new_text:
            changes.append(Change(section.heading, "unchanged", diff=escape(new_text)))
            continue
        changes.append(
            Change(
                section.heading,
                "changed",
                diff=inline_diff(old_text, new_text),
                heading_diff=inline_diff(before.heading, section.heading)
                if before.heading != section.heading
                else "",
            )
        )
    for section in old_sections:
        if section.pk not in new_pks:
            changes.append(
                Change(
                    section.heading,
                    "removed",
                    diff=inline_diff(readable_text(section.body), ""),
                )
            )
    old_order = [s.pk for s in old_sections if s.pk in new_pks]
    new_order = [s.pk for s in new_sections if s.pk in old_by_pk]
    if old_order != new_order:
        changes.append(Change("Order of sections", "changed", is_reordered=True))
    return changes


def _citations(snapshot, references):
    return [
        unescape(strip_tags(references[link.reference_id].citation()))
        if link.reference_id in references
        else "(a reference that has since been deleted)"
        for link in snapshot.reference_links()
    ]


def _credit_lines(snapshot, reviewers):
    lines = []
    for credit in snapshot.credits():
        reviewer = reviewers.get(credit.reviewer_id)
        name = str(reviewer) if reviewer else "(a person who has since been removed)"
        lines.append(f"{credit.get_role_display()} {name}")
    return lines


def compare(article, old_revision_id, new_revision_id):
    """Return what changed in the article from one revision to another."""
    old = revisions.snapshot(old_revision_id, article.pk)
    new = revisions.snapshot(new_revision_id, article.pk)
    reference_ids = {
        link.reference_id for snap in (old, new) for link in snap.reference_links()
    }
    references = Reference.objects.in_bulk(reference_ids)
    reviewers = revisions.people_for(old.credits() + new.credits())
    related_ids = set(old.related_ids) | set(new.related_ids)
    titles = dict(Article.objects.filter(pk__in=related_ids).values_list("pk", "title"))

    changes = [
        _text_change("Title", old.fields.get("title", ""), new.fields.get("title", "")),
        _text_change(
            "Summary", old.fields.get("summary", ""), new.fields.get("summary", "")
        ),
        *_section_changes(old.sections(), new.sections()),
        _list_change(
            "References", _citations(old, references), _citations(new, references)
        ),
        _list_change(
            "Credits", _credit_lines(old, reviewers), _credit_lines(new, reviewers)
        ),
        _list_change(
            "Related articles",
            sorted(titles.get(pk, "(deleted article)") for pk in old.related_ids),
            sorted(titles.get(pk, "(deleted article)") for pk in new.related_ids),
        ),
    ]
    return Comparison(old_revision_id, new_revision_id, changes)
