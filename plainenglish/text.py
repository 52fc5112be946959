"""The words of a section, read from its sanitised HTML.

A real HTML parser (Python's own) reads the body: every paragraph, list item and
sub-heading is a block of its own, so a list item without a full stop still
counts as one sentence. Links and sub-headings are kept for the checks.
"""

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "td"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# A sentence ends at . ! or ? (and any closing quote or bracket) followed by a
# space and what looks like the start of the next one.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[^\s\w]*[A-Z0-9])")
SPACES = re.compile(r"\s+")


def words(text):
    """Return the words of a piece of text (numbers count as words)."""
    return WORD.findall(text)


# A full stop after these does not end a sentence ("Dr. Patel", "e.g. Tamoxifen").
ABBREVIATIONS = re.compile(
    r"(?:^|\s)(?:dr|mr|mrs|ms|prof|st|no|vs|approx|e\.g|i\.e|etc)\.$", re.IGNORECASE
)


def split_sentences(text):
    """Return the sentences of one block of text, without empty ones."""
    sentences = []
    for part in SENTENCE_END.split(text):
        if sentences and ABBREVIATIONS.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {part}"
        else:
            sentences.append(part)
    return [part.strip() for part in sentences if words(part)]


@dataclass
class Link:
    text: str
    href: str
    article_id: str  # the data-article attribute, when the link was chosen by article


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class ParsedBody:
    blocks: list = field(default_factory=list)  # the text of each block, in order
    links: list = field(default_factory=list)
    headings: list = field(default_factory=list)

    @functools.cached_property
    def sentences(self):
        # Read by the scores and by several checks: split once.
        return [
            sentence for block in self.blocks for sentence in split_sentences(block)
        ]

    @property
    def text(self):
        return "\n".join(self.blocks)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parsed = ParsedBody()
        self._block = []
        self._link = None
        self._heading = None

    def _end_block(self):
        text = SPACES.sub(" ", "".join(self._block)).strip()
        # Sub-headings are labels, not sentences: the checks read them apart.
        if text and self._heading is None:
            self.parsed.blocks.append(text)
        self._block = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._end_block()
        elif tag == "br":
            self._block.append(" ")
        if tag in HEADINGS:
            self._heading = Heading(HEADINGS[tag], "")
        if tag == "a":
            values = dict(attrs)
            self._link = Link(
                "", (values.get("href") or "").strip(), values.get("data-article") or ""
            )

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._end_block()
        if tag == "a" and self._link is not None:
            self._link.text = SPACES.sub(" ", self._link.text).strip()
            self.parsed.links.append(self._link)
            self._link = None
        if tag in HEADINGS and self._heading is not None:
            self._heading.text = SPACES.sub(" ", self._heading.text).strip()
            self.parsed.headings.append(self._heading)
            self._heading = None

    def handle_data(self, data):
        self._block.append(data)
        if self._link is not None:
            self._link.text += data
        if self._heading is not None:
            self._heading.text += data

    def close(self):
        super().close()
        self._end_block()


def read(html):
    """Return the blocks, links and sub-headings of a section body."""
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    return reader.parsed
