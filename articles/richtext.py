"""The rich text allowed in section bodies, shared by the editor and the sanitiser.

One list of editor extensions decides both what the admin's editor offers and
what the sanitiser keeps, so the two cannot drift apart.

Every save goes through three steps, in this order:

1. ``check_size``: a body too long or too deeply nested is refused before
   anything else reads it (the sanitiser slows down sharply on deep nesting).
2. ``tidy_pasted``: HTML pasted from Word or Google Docs is turned into the
   tags the editor itself writes (Word's list paragraphs into lists, bold and
   italic spans into strong and em, headings into the allowed levels).
3. The nh3 sanitiser keeps only what the extensions allow.

``removed_when_pasting`` compares a body before and after, to tell the editor
in plain words what did not survive.
"""

import html
import re
from collections import Counter
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.urls import reverse_lazy
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.fields import ProseEditorField, _actually_empty

from .prose import ARTICLE_ATTRIBUTE

# Section headings are <h2>; sub-headings inside a body are h3 and h4.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    # The editor's own link, plus "Our articles": a link stored by article.
    "ArticleLink": {
        "enableTarget": False,
        "protocols": ["http", "https", "mailto", "tel"],
        "searchUrl": reverse_lazy("admin:articles_article_link_picker"),
        "cleanPasteUrl": reverse_lazy("admin:articles_article_clean_paste"),
    },
    # Simple tables: a header row and rows. Merged cells are not kept.
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}


def _keep_attribute(element, attribute, value):
    # An article link names its article by number, and nothing else.
    if attribute == ARTICLE_ATTRIBUTE:
        return value if value.isascii() and value.isdigit() else None
    return value


def _cleaner():
    config = allowlist_from_extensions(EXTENSIONS)
    for cell in ("th", "td"):
        # No merged cells: a table is a header row and rows of equal length.
        config["attributes"].pop(cell, None)
    config["tags"].discard("div")
    # Imported here: only a save sanitises, so readers' workers never load it.
    import nh3  # noqa: PLC0415

    return nh3.Cleaner(
        **config,
        attribute_filter=_keep_attribute,
        set_tag_attribute_values={"th": {"scope": "col"}},
    )


_CLEANER = None


def _nh3(value):
    global _CLEANER  # noqa: PLW0603 - built once, on first use (settings are read)
    if _CLEANER is None:
        _CLEANER = _cleaner()
    return _actually_empty(_CLEANER.clean(value))


# Size caps.


def limits():
    """Return the caps on rich text: characters per section and per article, and
    how deeply tags may be nested."""
    infosite = settings.INFOSITE
    return {
        "section": infosite.get("RICHTEXT_MAX_SECTION_CHARACTERS", 100_000),
        "article": infosite.get("RICHTEXT_MAX_ARTICLE_CHARACTERS", 400_000),
        "depth": infosite.get("RICHTEXT_MAX_DEPTH", 40),
    }


_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)[^>]*?(/?)>")
# Tags that never hold others.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    | {"source", "track", "wbr"}
)


def nesting_depth(value, *, stop_at=None):
    """Return how deeply tags nest in ``value`` (in one pass, stopping early once
    past ``stop_at``)."""
    depth = deepest = 0
    for match in _TAG.finditer(value):
        closing, name, self_closing = match.groups()
        name = name.lower()
        if name in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if stop_at is not None and deepest > stop_at:
                break
    return deepest


def check_size(value):
    """Refuse a body too long or too deeply nested to be cleaned up quickly."""
    caps = limits()
    if len(value) > caps["section"]:
        raise ValidationError(
            "This section is too long to save: %(length)s characters, and a section "
            "can have at most %(limit)s. Nothing was saved. If you pasted a whole "
            "document, paste it in parts, one section at a time.",
            code="too_long",
            params={"length": f"{len(value):,}", "limit": f"{caps['section']:,}"},
        )
    if nesting_depth(value, stop_at=caps["depth"]) > caps["depth"]:
        raise ValidationError(
            "This section's text is nested too deeply to save (more than %(limit)s "
            "levels of formatting inside each other). Nothing was saved. Paste it "
            "as plain text, then add headings, lists and bold again.",
            code="too_deep",
            params={"limit": caps["depth"]},
        )


def check_article_size(bodies):
    """Refuse an article whose sections together are too long."""
    total, cap = sum(len(body or "") for body in bodies), limits()["article"]
    if total > cap:
        raise ValidationError(
            "The sections together are too long to save: %(length)s characters, and "
            "an article can have at most %(limit)s. Nothing was saved. Split the "
            "article, or shorten the longest sections.",
            code="article_too_long",
            params={"length": f"{total:,}", "limit": f"{cap:,}"},
        )


# Pasted HTML.

# Anything the editor itself never writes: the sign of a paste from elsewhere.
_FOREIGN = re.compile(
    r"<(?:b|i|h[1256]|font|img|table|o:p|col|span)\b|\bstyle=|<!|mso-", re.I
)
_LIST_LEVEL = re.compile(r"mso-list:l\d+level(\d+)")  # in a style without spaces
_ORDERED_MARKER = re.compile(r"^\(?[0-9a-zA-Z]{1,5}[.)]$")
_SPACES = re.compile(r"[ \t\r\n\f]+")
_HEADINGS = {"h1": "h3", "h2": "h3", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "th", "td"})
_DROPPED_WITH_CONTENT = frozenset(
    {"head", "style", "script", "title", "xml", "template", "noscript"}
)
_KEPT_ATTRIBUTES = {"a": ("href", "title", ARTICLE_ATTRIBUTE), "ol": ("start",)}


def _style(attrs):
    return (dict(attrs).get("style") or "").replace(" ", "").lower()


def _is_bold(style):
    match = re.search(r"font-weight:(\w+)", style)
    return bool(match) and (
        match.group(1) in {"bold", "bolder"}
        or (match.group(1).isdigit() and int(match.group(1)) >= 600)
    )


def _is_italic(style):
    return "font-style:italic" in style or "font-style:oblique" in style


class _ListItem:
    """A Word list paragraph: its level, and its kind once its marker is read."""

    def __init__(self, level):
        self.level = level
        self.marker = ""

    @property
    def kind(self):
        return "ol" if _ORDERED_MARKER.match(self.marker.strip()) else "ul"


class _ItemEnd:
    pass


class _Tidier(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.stack = []  # (tag as written, end tags to write for it)
        self.skipping = 0  # inside Word's list markers, or a dropped element
        self.dropping = []  # names of elements dropped with their content
        self.item = None  # the Word list paragraph being read
        self.tables = 0
        self.header_row = False

    # Reading.

    def handle_starttag(self, tag, attrs):
        if self.dropping or tag in _DROPPED_WITH_CONTENT:
            if tag not in _VOID:
                self.dropping.append(tag)
            return
        style = _style(attrs)
        if self.skipping:
            if tag not in _VOID:
                self.stack.append((tag, ()))
                self.skipping += 1
            return
        if tag == "span" and "mso-list:ignore" in style:
            # Word's typed bullet or number before a list paragraph.
            self.stack.append((tag, ()))
            self.skipping += 1
            return
        self._open(tag, attrs, style)

    def _open(self, tag, attrs, style):
        written = []
        if tag in _TABLE_PARTS:
            written = self._table_part(tag, attrs, style)
        elif tag == "p" and (level := _LIST_LEVEL.search(style)):
            self.item = _ListItem(int(level.group(1)))
            self.out.append(self.item)
            self.stack.append((tag, (_ItemEnd(),)))
            return
        elif tag in ("b", "strong"):
            if "font-weight:normal" not in style and "font-weight:400" not in style:
                written = ["strong"]
        elif tag in ("i", "em"):
            if "font-style:normal" not in style:
                written = ["em"]
        elif tag in _HEADINGS:
            written = [_HEADINGS[tag]]
        elif tag in ("span", "font"):
            written = [
                name
                for name, on in (("strong", _is_bold(style)), ("em", _is_italic(style)))
                if on
            ]
        else:
            written = [tag]
        for name in written:
            values = "".join(
                f' {key}="{html.escape(value or "", quote=True)}"'
                for key, value in attrs
                if name == tag and key in _KEPT_ATTRIBUTES.get(tag, ())
            )
            self.out.append(f"<{name}{values}>")
        if tag not in _VOID:
            closing = tuple(f"</{name}>" for name in reversed(written))
            self.stack.append((tag, closing))

    def _table_part(self, tag, attrs, style):
        if tag == "table":
            self.tables += 1
        if self.tables > 1:
            return []  # A table inside a table is layout: its text stays, not its grid.
        if tag == "tr":
            self.header_row = "mso-yfti-firstrow:yes" in style
        if tag == "td" and self.header_row:
            return ["th"]
        return [tag]

    def handle_endtag(self, tag):
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if self.tables > 1 and tag in ("td", "th", "table"):
            self.out.append(" ")
        self._pop_to(tag)
        if tag == "table" and self.tables:
            self.tables -= 1

    def _pop_to(self, tag):
        if not any(name == tag for name, _ in self.stack):
            return  # an end tag nothing opened
        while self.stack:
            name, closing = self.stack.pop()
            if self.skipping:
                self.skipping -= 1
            else:
                self.out.extend(closing)
            if name == tag:
                break

    def handle_data(self, data):
        if self.dropping:
            return
        if self.skipping:
            if self.item is not None:
                self.item.marker += data
            return
        if self.tables and not data.strip() and not self._in_cell():
            return  # the layout between rows and cells is not text
        # Word breaks lines inside sentences; they read as one space.
        self.out.append(html.escape(_SPACES.sub(" ", data), quote=False))

    def _in_cell(self):
        return any(name in ("td", "th") for name, _ in self.stack)

    def handle_comment(self, data):
        self._conditional(data)

    def unknown_decl(self, data):
        self._conditional(data)

    def _conditional(self, data):
        # Word wraps the typed bullets of lists in "if !supportLists" sections.
        text = data.strip().lower()
        if text.startswith("[if !supportlists]") or text.startswith("if !supportlists"):
            self.stack.append(("<![if]>", ()))
            self.skipping += 1
        elif (
            text in ("[endif]", "endif")
            and self.stack
            and self.stack[-1][0] == "<![if]>"
        ):
            self._pop_to("<![if]>")

    # Writing.

    def result(self):
        self.close()
        while self.stack:
            self._pop_to(self.stack[-1][0])
        html_out, lists, inside = [], [], False

        def close_lists(level):
            while len(lists) > level:
                html_out.append(f"</li></{lists.pop()}>")

        for token in self.out:
            if isinstance(token, _ListItem):
                level, kind = max(1, token.level), token.kind
                if len(lists) >= level:
                    close_lists(level)
                    if lists[-1] != kind:
                        html_out.append(f"</li></{lists.pop()}>")
                    else:
                        html_out.append("</li>")
                while len(lists) < level:
                    html_out.append(f"<{kind}>")
                    lists.append(kind)
                html_out.append("<li>")
                inside = True
            elif isinstance(token, _ItemEnd):
                inside = False
            else:
                if not inside and lists and token.strip():
                    close_lists(0)
                html_out.append(token)
        close_lists(0)
        return "".join(html_out)


def tidy_pasted(value):
    """Return ``value`` with what Word and Google Docs paste turned into the tags
    the editor writes. The editor's own HTML is returned as it is."""
    if not _FOREIGN.search(value):
        return value
    tidier = _Tidier()
    tidier.feed(value)
    return tidier.result()


_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\xa0)*</p>")
_BLOCK = r"(?:p|h3|h4|ul|ol|li|table|thead|tbody|tr|th|td)\b"
# Spaces next to the start or end of a block are not part of the text.
_SPACE_BEFORE_BLOCK = re.compile(rf"[ \t\r\n\f]+(</?{_BLOCK})")
_SPACE_AFTER_BLOCK = re.compile(rf"(<{_BLOCK}[^>]*>)[ \t\r\n\f]+")


def sanitise(value):
    """Return the body as it is saved: pasted HTML tidied, then sanitised.

    Callers check the size first (``check_size``); the model field does.
    """
    value = value or ""
    tidied = tidy_pasted(value)
    if tidied is value:
        return _nh3(value)
    # Word and Google Docs space paragraphs out with empty ones.
    cleaned = _EMPTY_PARAGRAPH.sub("", _nh3(tidied))
    cleaned = _SPACE_AFTER_BLOCK.sub(r"\1", _SPACE_BEFORE_BLOCK.sub(r"\1", cleaned))
    cleaned = _FIRST_ROW.sub(_bold_row_as_headings, cleaned)
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


# A first row of cells wholly in bold is how Google Docs shows column headings.
_FIRST_ROW = re.compile(r"<table><tbody><tr>(.*?)</tr>", re.S)
_BOLD_CELL = re.compile(r"<td>(?:<p>)?<strong>[^<]+</strong>(?:</p>)?</td>")
_CELL = re.compile(r"<t[dh]\b.*?</t[dh]>", re.S)


def _bold_row_as_headings(match):
    row = match.group(1)
    cells = _CELL.findall(row)
    if cells and all(_BOLD_CELL.fullmatch(cell) for cell in cells):
        row = row.replace("<td>", '<th scope="col">').replace("</td>", "</th>")
    return f"<table><tbody><tr>{row}</tr>"


# What a paste loses.

_COUNTED = re.compile(r"<([a-zA-Z][\w:-]*)|\b(colspan|rowspan)\s*=\s*[\"']?(\d+)", re.I)
# Colours and fonts set in a style attribute, or in Word's old font tag.
_LOOKS = re.compile(
    r"""\bstyle\s*=\s*["']?[^"'>]*\b(?:color|background|font-family|font-size)\s*:"""
    r"|<font\b",
    re.I,
)
_REMOVED_TAGS = [
    ({"img", "v:imagedata"}, "image", "images"),
    (
        {"iframe", "object", "embed", "video", "audio", "script"},
        "embedded item",
        "embedded items",
    ),
    ({"u"}, None, "underlining"),
    ({"s", "strike", "del"}, None, "crossed-out text"),
    ({"sup", "sub"}, None, "superscript and subscript"),
    ({"blockquote"}, None, "quotation formatting"),
    ({"pre", "code"}, None, "code formatting"),
    ({"hr"}, None, "dividing lines"),
]


def _tag_counts(value):
    counts = Counter()
    for match in _COUNTED.finditer(value):
        if match.group(1):
            counts[match.group(1).lower()] += 1
        elif int(match.group(3)) > 1:
            counts["merged"] += 1
    return counts


def removed_when_pasting(raw, saved):
    """Return, in plain words, what the saved body lost from what was typed or
    pasted: images, tables inside tables, merged cells, colours and fonts."""
    before, after = _tag_counts(_strip_comments(raw)), _tag_counts(saved)
    lost = []
    for tags, one, many in _REMOVED_TAGS:
        count = sum(before[t] for t in tags) - sum(after[t] for t in tags)
        if count > 0:
            lost.append(f"{count} {one if count == 1 else many}" if one else many)
    inner = _tables_inside_tables(raw)
    if inner:
        lost.append(
            f"{inner} table{'s' if inner > 1 else ''} of layout inside a table "
            "(the text is kept)"
        )
    if before["merged"]:
        lost.append("merged table cells")
    if _LOOKS.search(raw):
        lost.append("colours and fonts")
    return lost


def _strip_comments(value):
    return re.sub(r"<!--.*?-->", "", value, flags=re.S)


def _tables_inside_tables(value):
    depth = inner = 0
    for match in re.finditer(r"<(/?)table\b", _strip_comments(value), re.I):
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            inner += depth > 1
    return inner


def clean_paste(raw):
    """Return pasted HTML as a section would keep it, and a sentence naming what
    was removed (empty when nothing was). Refuses it if it is too big."""
    check_size(raw)
    body = sanitise(raw)
    removed = removed_when_pasting(raw, body)
    return {
        "html": body,
        "removed": f"Removed when pasting: {', '.join(removed)}." if removed else "",
    }


class RichTextField(ProseEditorField):
    """A prose editor field that sanitises on every save, not only in forms, and
    refuses a body too long or too deeply nested before cleaning it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", dict(EXTENSIONS))
        kwargs.setdefault("sanitize", sanitise)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        # Checked in the form too, so a refused body never reaches the model.
        field.validators.append(check_size)
        return field

    def validate(self, value, model_instance):
        check_size(value or "")
        super().validate(value, model_instance)

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            pre_save.connect(self._check_before_saving, sender=cls, weak=False)

    def _check_before_saving(self, sender, instance, **kwargs):
        # Before the save starts its transaction, so a refusal leaves it usable.
        check_size(getattr(instance, self.attname) or "")

    def pre_save(self, model_instance, add):
        raw = getattr(model_instance, self.attname) or ""
        check_size(raw)
        value = sanitise(raw)
        setattr(model_instance, self.attname, value)
        return value
