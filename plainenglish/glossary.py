"""Finding glossary terms in an article and marking the first use of each.

One Aho–Corasick automaton (pyahocorasick) holds every phrase of every term, so
an article is read once however many terms there are. The rules:

- Capitals do not matter, and whole words only: "ear" is not found in "early",
  nor "node" in "nodes" unless "nodes" is one of the term's variants. Curly and
  straight apostrophes are the same, and so is any run of spaces, line breaks or
  non-breaking spaces inside a phrase.
- Where two terms overlap, the one starting first wins, and of those the longest:
  "secondary breast cancer" rather than the "breast cancer" inside it. A term is
  never found inside another term's words.
- Only the first use of a term in the whole article is marked (its variants are
  the same term), and never inside a link, a heading, an existing mark, a
  definition, code or a form control, nor in any attribute. If the first use is
  in a heading, the first use after it in the text is marked.
- Only text between tags is read: "<strong>breast</strong> cancer" is not found,
  and the HTML around a mark is left as it was.

Marking happens when an article is published or a term changes, never per
request.
"""

import functools
import html
import importlib.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


@dataclass(frozen=True)
class Term:
    id: int  # the term's Article pk
    slug: str
    phrases: tuple[str, ...]  # the term and its variants, as typed


@dataclass(frozen=True)
class Match:
    term: Term
    start: int  # where the words are in the text searched
    end: int
    text: str  # as written


# Folded so that a phrase typed one way is found written another way; every
# replacement is one character, so positions in the folded text are positions
# in the original.
_SPACES = "\t\n\r\f\v\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
_SPACES += "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_FOLD = str.maketrans(
    {
        **dict.fromkeys(_SPACES, " "),
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)


def _is_word_character(character):
    return character.isalnum() or character in "_-"


_ASCII_SPACES = re.compile(r"[\t\n\r\f\v]")


def _fold(text):
    """Return the text folded for matching, and for each of its characters the
    position in ``text`` it came from (None when they are the same)."""
    if text.isascii():  # most text: a regular expression is quicker than a table
        lowered = _ASCII_SPACES.sub(" ", text).lower()
        return (lowered, None) if "  " not in lowered else _collapse(lowered)
    folded = text.translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # "İ" lowers to two characters
        lowered = "".join(
            lower if len(lower := character.lower()) == 1 else character
            for character in folded
        )
    if "  " not in lowered:
        return lowered, None
    return _collapse(lowered)


def _collapse(lowered):
    kept, positions = [], []
    for position, character in enumerate(lowered):
        if character == " " and kept and kept[-1] == " ":
            continue
        kept.append(character)
        positions.append(position)
    return "".join(kept), positions


def phrase_key(phrase):
    """Return a phrase as the automaton holds it: folded, trimmed, single-spaced."""
    return _fold((phrase or "").strip())[0].strip()


class Marker:
    """The live glossary, ready to find and mark its terms in many articles."""

    def __init__(self, terms: Iterable[Term]):
        import ahocorasick  # a small C extension, loaded only where terms are used

        self.terms = []
        automaton = ahocorasick.Automaton()
        for term in terms:
            index = len(self.terms)
            self.terms.append(term)
            for phrase in term.phrases:
                key = phrase_key(phrase)
                # The first term to claim a phrase keeps it (duplicates are
                # refused when a term is saved).
                if key and key not in automaton:
                    automaton.add_word(key, (len(key), index))
        if len(automaton):
            automaton.make_automaton()
            self._automaton = automaton
        else:
            self._automaton = None

    def __len__(self):
        return len(self.terms)

    def _spans(self, text):
        """Return (start, end, term index) of each whole-word use in ``text``,
        leftmost then longest, none overlapping."""
        if self._automaton is None or not text:
            return []
        folded, positions = _fold(text)
        last = len(folded) - 1
        found = []
        for end, (length, index) in self._automaton.iter(folded):
            start = end - length + 1
            if (
                start > 0
                and _is_word_character(folded[start])
                and _is_word_character(folded[start - 1])
            ):
                continue
            if (
                end < last
                and _is_word_character(folded[end])
                and _is_word_character(folded[end + 1])
            ):
                continue
            found.append((start, end + 1, index))
        found.sort(key=lambda span: (span[0], -span[1]))
        chosen, reached = [], 0
        for start, end, index in found:
            if start >= reached:
                chosen.append((start, end, index))
                reached = end
        if positions is not None:
            chosen = [
                (positions[start], positions[end - 1] + 1, index)
                for start, end, index in chosen
            ]
        return chosen

    def find(self, text: str) -> list[Match]:
        """Return every use of a term in a piece of plain text, in order."""
        return [
            Match(self.terms[index], start, end, text[start:end])
            for start, end, index in self._spans(text)
        ]

    def mark(self, sections_html: Sequence[str]) -> tuple[list[str], list[int]]:
        """Return each section's HTML with the first use in the article of each term
        wrapped in the glossary-term link, and the ids of the terms used, in order."""
        used, order = set(), []
        marked = []
        for section_html in sections_html:
            if self._automaton is None or not section_html:
                marked.append(section_html or "")
                continue
            rewriter = _Rewriter(self, used, order)
            rewriter.feed(section_html)
            rewriter.close()
            marked.append("".join(rewriter.out))
        return marked, [self.terms[index].id for index in order]

    def _mark_text(self, text, used, order):
        pieces, done = [], 0
        for start, end, index in self._spans(text):
            if index in used:
                continue
            used.add(index)
            order.append(index)
            pieces.append(escape(text[done:start]))
            pieces.append(mark_html(self.terms[index].slug, text[start:end]))
            done = end
        pieces.append(escape(text[done:]))
        return "".join(pieces)


def mark_html(slug, text):
    """Return the link that marks a term's use, pointing at its definition on the
    page (G1's definition list gives ``define-{slug}`` and ``define-{slug}-text``)."""
    slug = html.escape(slug, quote=True)
    return (
        f'<a class="glossary-term" href="#define-{slug}" '
        f'aria-describedby="define-{slug}-text">{escape(text)}</a>'
    )


def escape(text):
    """Return text escaped as the sanitiser writes it, so unmarked text comes out
    as it went in."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\xa0", "&nbsp;")
    )


# Elements whose text is never marked: a link inside them would be a link in a
# link, a link in a heading, or would change what a control or code says.
NOT_MARKED_INSIDE = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dfn",
        "code",
        "pre",
        "kbd",
        "samp",
        "button",
        "label",
        "select",
        "option",
        "textarea",
        "summary",
        "title",
        "script",
        "style",
        "template",
        "noscript",
        "svg",
        "math",
        "iframe",
        "object",
    }
)
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


class _Rewriter(HTMLParser):
    """Write the HTML back as it came (tags and attributes byte for byte), with
    marks added to text outside the elements above."""

    def __init__(self, marker, used, order):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.used = used
        self.order = order
        self.out = []
        self.inside = {}  # open elements whose text is not marked → how many

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in NOT_MARKED_INSIDE and tag not in VOID:
            self.inside[tag] = self.inside.get(tag, 0) + 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if self.inside.get(tag):
            self.inside[tag] -= 1
            if not self.inside[tag]:
                del self.inside[tag]

    def handle_data(self, data):
        if self.cdata_elem is not None:  # script or style: as written
            self.out.append(data)
        elif self.inside:
            self.out.append(escape(data))
        else:
            self.out.append(self.marker._mark_text(data, self.used, self.order))

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


@functools.cache
def familiar_words():
    """Return the Dale–Chall list of words most readers know, as textstat ships it,
    read from disk once (without importing textstat, which loads nltk)."""
    package = importlib.util.find_spec("textstat")
    folder = Path(next(iter(package.submodule_search_locations)))
    words = (folder / "resources" / "en" / "easy_words.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in words.splitlines() if line)


def _singulars(word):
    if word.endswith("ies"):
        yield word[:-3] + "y"
    if word.endswith("es"):
        yield word[:-2]
    if word.endswith("s"):
        yield word[:-1]


def is_everyday_word(phrase: str) -> bool:
    """Return whether a phrase is one everyday word ("back", "breast", "pains"),
    too common to be marked wherever it is used."""
    words = phrase_key(phrase).split(" ")
    if len(words) != 1:
        return False
    word = words[0].strip(".,;:!?\"'()[]")
    familiar = familiar_words()
    return bool(word) and (
        word in familiar or any(stem in familiar for stem in _singulars(word))
    )


# The live glossary, read from the published copies of terms. A matcher is built
# once per process and built again only when a term is published, changed or
# taken down (the published copies' fingerprints tell).
_live = (None, None)  # (what the live terms were, their Marker)


def _live_copies():
    from articles.models import PublishedArticle

    return PublishedArticle.objects.terms().order_by("article_id")


def _lines(value):
    return tuple(line.strip() for line in (value or "").splitlines() if line.strip())


def live_terms():
    """Return the glossary's live terms: each published term's title and variants
    as they were approved."""
    return [
        Term(pk, slug, (title, *_lines(variants)))
        for pk, slug, title, variants in _live_copies().values_list(
            "article_id", "article__slug", "title", "variants"
        )
    ]


def live_marker():
    """Return a Marker of the live glossary, built again only when it changed
    (one small query when it has not)."""
    global _live  # noqa: PLW0603 - one matcher per process, replaced whole
    key = tuple(
        _live_copies().values_list("article_id", "article__slug", "fingerprint")
    )
    known, marker = _live
    if marker is None or key != known:
        marker = Marker(live_terms())
        _live = (key, marker)
    return marker
