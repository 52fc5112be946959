"""Compare two revisions of an article for the people who approve it.

Section bodies are read block by block (paragraphs, sub-headings, list items),
each with a readable prefix for its kind, and compared word by word. Bold,
italic and every link's address stay in what is compared, so a change readers
would notice is never hidden behind the same words. Whatever still differs
without showing is listed under "Other changes", in its raw form.
"""

import difflib
import json
import os
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from . import revisions
from .models import Article, Reference

_WORDS = re.compile(r"\s+|[^\s]+")

_OTHER_CHANGES_NOTE = (
    "The saved content also differs in these places, in ways the comparison above "
    "cannot show, such as spacing or invisible characters. Below is exactly what "
    "was saved."
)


# What a section body is compared as: a flat list of tokens.


@dataclass(frozen=True)
class Block:
    """The start of a paragraph, sub-heading or list item."""

    kind: str  # "paragraph", "h3", "h4", "ul", "ol", or "more" (in a list item)
    depth: int = 0  # how many lists it sits in
    # Left out of comparisons: adding an item renumbers the rest, and that is
    # already shown by the added item.
    number: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Word:
    text: str
    bold: bool = False
    italic: bool = False
    linked: bool = False


@dataclass(frozen=True)
class Link:
    """The address of the link whose words come just before it."""

    href: str


@dataclass(frozen=True)
class Space:
    pass


@dataclass(frozen=True)
class Break:
    pass


_PREFIXES = {"h3": "Sub-heading: ", "h4": "Smaller sub-heading: ", "ul": "• "}
_KIND_NAMES = {
    "paragraph": "a paragraph",
    "more": "a paragraph in a list item",
    "h3": "a sub-heading",
    "h4": "a smaller sub-heading",
    "ul": "a bullet point",
    "ol": "a numbered item",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PLAIN = (False, False, False)


def _prefix(block):
    if block.kind == "ol":
        prefix = f"{block.number}. "
    elif block.kind in _HEADINGS:
        prefix = _PREFIXES.get(block.kind, f"Heading (level {block.kind[1]}): ")
    else:
        prefix = _PREFIXES.get(block.kind, "")
    indent = block.depth if block.kind == "more" else block.depth - 1
    return "\u2003" * max(indent, 0) + prefix


def _kind_name(block):
    name = _KIND_NAMES.get(block.kind) or f"a level {block.kind[1]} heading"
    return f"{name} (list level {block.depth})" if block.depth > 1 else name


def _marks(word):
    return (word.linked, word.bold, word.italic)


def _shape(token):
    """What must match for two tokens to line up: the words, not their looks."""
    return (Word, token.text) if isinstance(token, Word) else type(token)


class _BodyReader(HTMLParser):
    """Read sanitised rich text into tokens."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []
        self.lists = []  # [tag, number of the next item] for each open list
        self.links = []  # the href of each open <a>, None if it has none
        self.bold = self.italic = 0
        self.in_block = False
        self.fresh_item = False

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            start = dict(attrs).get("start") or ""
            self.lists.append([tag, int(start) if start.isdigit() else 1])
            self.in_block = False
        elif tag == "li":
            kind, number = self.lists[-1] if self.lists else ("ul", 1)
            if self.lists:
                self.lists[-1][1] += 1
            self._start(Block(kind, max(len(self.lists), 1), number))
            self.fresh_item = True
        elif tag == "p":
            # The editor wraps each item's text in <p>: that paragraph is the item.
            if self.fresh_item:
                self.fresh_item = False
            else:
                self._start(self._paragraph())
        elif tag in _HEADINGS:
            self._start(Block(tag, len(self.lists)))
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "br":
            self._add(Break())

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.in_block = False
        elif tag in ("li", "p") or tag in _HEADINGS:
            self.in_block = self.fresh_item = False
        elif tag in ("strong", "b"):
            self.bold = max(self.bold - 1, 0)
        elif tag in ("em", "i"):
            self.italic = max(self.italic - 1, 0)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href is not None:
                self._add(Link(href))

    def handle_data(self, data):
        linked = any(href is not None for href in self.links)
        for piece in _WORDS.findall(data):
            if not piece.isspace():
                self._add(Word(piece, self.bold > 0, self.italic > 0, linked))
            elif self.in_block:
                self.tokens.append(Space())

    def _paragraph(self):
        return Block("more", len(self.lists)) if self.lists else Block("paragraph")

    def _start(self, block):
        self.tokens.append(block)
        self.in_block, self.fresh_item = True, False

    def _add(self, token):
        if not self.in_block:
            self._start(self._paragraph())
        self.fresh_item = False
        self.tokens.append(token)


def _tidy(tokens):
    """Collapse spaces as a browser does and join pieces of one word."""
    tidy = []
    for token in tokens:
        last = tidy[-1] if tidy else None
        if isinstance(token, Space):
            if isinstance(last, (Word, Link)):
                tidy.append(token)
            continue
        if isinstance(last, Space) and isinstance(token, Link):
            tidy[-1:] = [token, last]
            continue
        if isinstance(last, Space) and isinstance(token, (Block, Break)):
            tidy.pop()
        elif (
            isinstance(last, Word)
            and isinstance(token, Word)
            and _marks(last) == _marks(token)
        ):
            tidy[-1] = Word(last.text + token.text, last.bold, last.italic, last.linked)
            continue
        tidy.append(token)
    if tidy and isinstance(tidy[-1], Space):
        tidy.pop()
    return tidy


def _read_body(html):
    reader = _BodyReader()
    reader.feed(html or "")
    reader.close()
    return _tidy(reader.tokens)


# Writing the diff.


class _Writer:
    """Build a diff's HTML, escaping every piece of text it is given."""

    _OPEN = ('<span class="diff-link">', "<strong>", "<em>")
    _CLOSE = ("</span>", "</strong>", "</em>")

    def __init__(self):
        self.parts = []
        self.marks = _PLAIN
        self.space = False
        self.lines = 0
        self.wrapper = ""  # "ins" or "del" while writing added or removed tokens
        self.shows_change = False

    def html(self):
        self._goto(_PLAIN)
        return mark_safe("".join(self.parts))

    def token(self, token, *, note=""):
        if isinstance(token, Word):
            self._goto(_marks(token))
            self.parts.append(escape(token.text))
        elif isinstance(token, Space):
            self.space = True
        elif isinstance(token, Link):
            self._goto(_PLAIN, space=False)
            self.parts.append(f" [link: {escape(token.href)}]")
        elif isinstance(token, Break):
            self._goto(_PLAIN, space=False)
            # A line break added or taken out would otherwise show nothing.
            if self.wrapper:
                self.parts.append("[line break]")
            if self.wrapper != "del":
                self.parts.append("<br>")
        else:
            self._goto(_PLAIN, space=False)
            if self.lines:
                self.parts.append("<br>")
            self.lines += 1
            if note:
                self.note(note)
                self.parts.append(" ")
            self.parts.append(escape(_prefix(token)))

    def removed(self, tokens):
        # Spacing alone is not worth a mark: it collapses on the page anyway.
        if all(isinstance(token, Space) for token in tokens):
            return
        self._wrapped("del", tokens)

    def added(self, tokens):
        if all(isinstance(token, Space) for token in tokens):
            for token in tokens:
                self.token(token)
            return
        self._wrapped("ins", tokens)

    def restyled(self, old_word, words):
        self._raw('<span class="diff-format">')
        for token in words:
            self.token(token)
        self._raw("</span> ")
        self.note(_look_change(old_word, words[0]))

    def relinked(self, old, new):
        self._goto(_PLAIN, space=False)
        self.parts.append(
            f" [link: <del>{escape(old.href)}</del> → <ins>{escape(new.href)}</ins>]"
        )
        self.shows_change = True

    def note(self, text):
        self._raw(f'<span class="diff-note">[{escape(text)}]</span>')
        self.shows_change = True

    def _wrapped(self, tag, tokens):
        self._raw(f"<{tag}>")
        self.wrapper = tag
        for token in tokens:
            self.token(token)
        self._raw(f"</{tag}>")
        self.wrapper = ""
        self.shows_change = True

    def _raw(self, html):
        self._goto(_PLAIN)
        self.parts.append(html)

    def _goto(self, marks, *, space=True):
        if marks != self.marks:
            self.parts.extend(
                close
                for close, on in reversed(
                    list(zip(self._CLOSE, self.marks, strict=True))
                )
                if on
            )
        if self.space and space:
            self.parts.append(" ")
        self.space = False
        if marks != self.marks:
            self.parts.extend(
                tag for tag, on in zip(self._OPEN, marks, strict=True) if on
            )
            self.marks = marks


def _look_change(old, new):
    notes = []
    for name, before, after in (
        ("bold", old.bold, new.bold),
        ("italic", old.italic, new.italic),
    ):
        if before != after:
            notes.append(f"now {name}" if after else f"no longer {name}")
    if old.linked != new.linked:
        notes.append("now a link" if new.linked else "no longer a link")
    return "; ".join(notes)


def _write_alike(writer, old, new):
    """Write tokens that line up word for word, noting any change in their looks."""
    index = 0
    while index < len(new):
        before, after = old[index], new[index]
        if isinstance(after, Word) and before != after:
            # Group the run of words whose looks changed the same way.
            change, end, ahead = (_marks(before), _marks(after)), index + 1, index + 1
            while ahead < len(new) and (
                isinstance(new[ahead], Space)
                or isinstance(new[ahead], Word)
                and (_marks(old[ahead]), _marks(new[ahead])) == change
            ):
                if isinstance(new[ahead], Word):
                    end = ahead + 1
                ahead += 1
            writer.restyled(before, new[index:end])
            index = end
            continue
        if isinstance(after, Link) and before != after:
            writer.relinked(before, after)
        elif isinstance(after, Block) and before != after:
            note = f"was {_kind_name(before)}, now {_kind_name(after)}"
            writer.token(after, note=note)
        else:
            writer.token(after)
        index += 1


def _body_diff(old_html, new_html):
    """Return the diff's HTML and whether it shows any change."""
    old, new = _read_body(old_html), _read_body(new_html)
    writer = _Writer()
    matcher = difflib.SequenceMatcher(
        a=[_shape(token) for token in old],
        b=[_shape(token) for token in new],
        autojunk=False,
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            _write_alike(writer, old[a1:a2], new[b1:b2])
        else:
            writer.removed(old[a1:a2])
            writer.added(new[b1:b2])
    return writer.html(), writer.shows_change


def body_diff(old_html, new_html):
    """Return HTML showing one section body turned into another, block by block."""
    return _body_diff(old_html, new_html)[0]


def _text_diff(old, new):
    """Return the diff's HTML and whether it shows any change."""
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    parts, shown = [], False
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_words[a1:a2]), "".join(new_words[b1:b2])
        if op == "equal":
            parts.append(escape(removed))
            continue
        if removed.strip():
            parts.append(f"<del>{escape(removed)}</del>")
            shown = True
        if added.strip():
            parts.append(f"<ins>{escape(added)}</ins>")
            shown = True
        elif added:
            parts.append(escape(added))
    return mark_safe("".join(parts).replace("\n", "<br>")), shown


def inline_diff(old, new):
    """Return HTML showing ``old`` turned into ``new`` word by word."""
    return _text_diff(old, new)[0]


def _visible(value):
    """Return a value as saved, with invisible characters spelled out."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


def _raw_diff(old, new, context=30):
    """Return HTML showing where two saved values differ, character by character."""
    old, new = _visible(old), _visible(new)
    start = len(os.path.commonprefix([old, new]))
    end = len(os.path.commonprefix([old[start:][::-1], new[start:][::-1]]))
    taken_out, put_in = old[start : len(old) - end], new[start : len(new) - end]
    before, after = old[max(start - context, 0) : start], old[len(old) - end :]
    parts = ["…" if start > context else "", escape(before)]
    # Spaces are what most often differ unseen, so show each one.
    if taken_out:
        parts.append(f"<del>{escape(taken_out.replace(' ', '␣'))}</del>")
    if put_in:
        parts.append(f"<ins>{escape(put_in.replace(' ', '␣'))}</ins>")
    parts += [escape(after[:context]), "…" if end > context else ""]
    return mark_safe(f"<code>{''.join(parts)}</code>")


# Comparing the parts of an article.


@dataclass
class Change:
    """One compared part of the article: a field, a section, or a list."""

    label: str
    status: str  # "added", "removed", "changed" or "unchanged"
    diff: str = ""
    heading_diff: str = ""
    anchor_diff: str = ""
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    is_reordered: bool = False
    note: str = ""

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


def _text_change(label, old, new, unshown):
    if old != new:
        diff, shown = _text_diff(old, new)
        if shown:
            return Change(label, "changed", diff=diff)
        unshown.append((label, old, new))
    return Change(label, "unchanged", diff=escape(new))


def _moved(old, new):
    """Describe the items of both lists whose place among the others changed."""
    old_keys, new_keys = [key for key, _ in old], [key for key, _ in new]
    in_old, in_new = set(old_keys), set(new_keys)
    old_common = [key for key in old_keys if key in in_new]
    new_common = [key for key in new_keys if key in in_old]
    if old_common == new_common:
        return []
    matcher = difflib.SequenceMatcher(a=old_common, b=new_common, autojunk=False)
    kept = {
        index
        for block in matcher.get_matching_blocks()
        for index in range(block.b, block.b + block.size)
    }
    texts = dict(new)
    return [
        f"{texts[key]} (was number {old_keys.index(key) + 1}, "
        f"now number {new_keys.index(key) + 1})"
        for index, key in enumerate(new_common)
        if index not in kept
    ]


def _list_change(label, old, new, unshown):
    """Compare two lists of (key, text): what was added, taken out or moved."""
    old_keys, new_keys = [key for key, _ in old], [key for key, _ in new]
    added = [text for key, text in new if key not in old_keys]
    removed = [text for key, text in old if key not in new_keys]
    moved = _moved(old, new)
    if added or removed or moved:
        return Change(
            label,
            "changed",
            added=added,
            removed=removed,
            moved=moved,
            is_reordered=bool(moved),
        )
    if old_keys != new_keys:
        unshown.append((label, old_keys, new_keys))
    return Change(label, "unchanged")


def _anchor(anchor):
    return f"#{anchor}" if anchor else "(none)"


def _section_change(before, after, unshown):
    label = after.heading
    heading_diff = anchor_diff = ""
    if before.heading != after.heading:
        heading_diff, shown = _text_diff(before.heading, after.heading)
        if not shown:
            unshown.append((f"{label}, heading", before.heading, after.heading))
            heading_diff = ""
    if before.anchor != after.anchor:
        anchor_diff = mark_safe(
            f"<del>{escape(_anchor(before.anchor))}</del> → "
            f"<ins>{escape(_anchor(after.anchor))}</ins>"
        )
    diff, shown = _body_diff(before.body, after.body)
    if before.body != after.body and not shown:
        unshown.append((f"{label}, text", before.body, after.body))
    return Change(
        label,
        "changed" if heading_diff or anchor_diff or shown else "unchanged",
        diff=diff,
        heading_diff=heading_diff,
        anchor_diff=anchor_diff,
    )


def _section_changes(old_sections, new_sections, unshown):
    old_by_pk = {section.pk: section for section in old_sections}
    new_pks = {section.pk for section in new_sections}
    changes = []
    for section in new_sections:
        before = old_by_pk.get(section.pk)
        if before is None:
            changes.append(
                Change(section.heading, "added", diff=body_diff("", section.body))
            )
        else:
            changes.append(_section_change(before, section, unshown))
    for section in old_sections:
        if section.pk not in new_pks:
            changes.append(
                Change(section.heading, "removed", diff=body_diff(section.body, ""))
            )
    moved = _moved(
        [(section.pk, section.heading) for section in old_sections],
        [(section.pk, section.heading) for section in new_sections],
    )
    if moved:
        changes.append(
            Change("Order of sections", "changed", moved=moved, is_reordered=True)
        )
    return changes


def _other_changes(unshown):
    lines = [
        f'<span class="diff-label">{escape(label)}:</span> {_raw_diff(old, new)}'
        for label, old, new in unshown
    ]
    return Change(
        "Other changes",
        "changed",
        diff=mark_safe("<br>".join(lines)),
        note=_OTHER_CHANGES_NOTE,
    )


def _citations(snapshot, references):
    return [
        (
            link.reference_id,
            unescape(strip_tags(references[link.reference_id].citation()))
            if link.reference_id in references
            else "(a reference that has since been deleted)",
        )
        for link in snapshot.reference_links()
    ]


def _credit_lines(snapshot, reviewers):
    lines = []
    for credit in snapshot.credits():
        reviewer = reviewers.get(credit.reviewer_id)
        name = str(reviewer) if reviewer else "(a person who has since been removed)"
        lines.append(
            ((credit.reviewer_id, credit.role), f"{credit.get_role_display()} {name}")
        )
    return lines


def _related(snapshot, titles):
    return sorted(
        ((pk, titles.get(pk, "(deleted article)")) for pk in snapshot.related_ids),
        key=lambda item: (item[1], item[0]),
    )


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

    unshown = []  # (label, old, new) for values that differ but showed no change
    is_term = article.kind == Article.Kind.TERM
    changes = [
        _text_change(
            "Term" if is_term else "Title",
            old.fields.get("title") or "",
            new.fields.get("title") or "",
            unshown,
        ),
        _text_change(
            "Definition" if is_term else "Summary",
            old.fields.get("summary") or "",
            new.fields.get("summary") or "",
            unshown,
        ),
        *(
            [
                _text_change(
                    "Variants and plurals",
                    old.fields.get("variants") or "",
                    new.fields.get("variants") or "",
                    unshown,
                )
            ]
            if is_term
            else []
        ),
        *_section_changes(old.sections(), new.sections(), unshown),
        _list_change(
            "References",
            _citations(old, references),
            _citations(new, references),
            unshown,
        ),
        _list_change(
            "Credits",
            _credit_lines(old, reviewers),
            _credit_lines(new, reviewers),
            unshown,
        ),
        _list_change(
            "Related articles", _related(old, titles), _related(new, titles), unshown
        ),
    ]
    if unshown:
        changes.append(_other_changes(unshown))
    comparison = Comparison(old_revision_id, new_revision_id, changes)
    if not comparison.has_changes and old.content != new.content:
        # The approved content differs in a way no line above shows: say so,
        # rather than "nothing changed".
        comparison.changes.append(
            Change(
                "Other changes",
                "changed",
                note="The approved content of these two versions differs, but not "
                "in a way this page can show. Preview both versions and compare them.",
            )
        )
    return comparison
