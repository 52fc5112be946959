"""Content checks: each a small function returning findings that name the place
and say how to fix it.

A section check takes one ``SectionText`` and the ``Context`` shared by the
whole article, and returns a list of ``Finding``. Add a check by appending it to
``SECTION_CHECKS`` (or ``ARTICLE_CHECKS`` for the article as a whole) with
``register``: the glossary's "medical term with no glossary entry" check joins
this way, reading its terms into the context once per article.
"""

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from articles import display

from . import text as text_module

EXCERPT_WORDS = 12


def targets():
    """Return the targets editors write to, from the INFOSITE settings."""
    options = settings.INFOSITE
    return {
        "reading_age": options.get("READING_AGE_TARGET", 11),
        "long_sentence_words": options.get("LONG_SENTENCE_WORDS", 25),
        "section_max_words": options.get("SECTION_MAX_WORDS", 400),
        "reference_max_age_years": options.get("REFERENCE_MAX_AGE_YEARS", 5),
    }


@dataclass(frozen=True)
class Finding:
    check: str  # which check found it, e.g. "long_sentence"
    place: str  # where: the section heading, or "References"
    message: str  # what is wrong, in plain English
    fix: str  # how to fix it
    excerpt: str = ""  # the words concerned, shortened
    is_hint: bool = False  # a hint to consider, not a problem

    def as_dict(self):
        return asdict(self)


@dataclass
class SectionText:
    heading: str
    anchor: str
    body: text_module.ParsedBody

    @property
    def place(self):
        return f"“{self.heading}”" if self.heading else "A section with no heading"


@dataclass
class Context:
    """What the checks of one article share, read once."""

    targets: dict
    word_list: object  # wordlist.WordList
    linked_articles: dict = field(default_factory=dict)  # ("slug"|"id", value) → info
    references: list = field(default_factory=list)
    reviewed_on: object = None
    today: object = None
    glossary: object = None  # glossary.Marker of the live terms, read on first use
    seen_terms: set = field(default_factory=set)  # medical words already reported


def excerpt(sentence, limit=EXCERPT_WORDS):
    """Return the start of a sentence, at most ``limit`` words."""
    parts = sentence.split()
    return " ".join(parts[:limit]) + ("…" if len(parts) > limit else "")


def long_sentences(section, context):
    limit = context.targets["long_sentence_words"]
    found = []
    for sentence in section.body.sentences:
        count = len(text_module.words(sentence))
        if count > limit:
            found.append(
                Finding(
                    "long_sentence",
                    section.place,
                    f"A sentence of {count} words (the target is at most {limit}).",
                    "Split it into two or more sentences, or make it a list.",
                    excerpt(sentence),
                )
            )
    return found


def section_length(section, context):
    limit = context.targets["section_max_words"]
    count = len(text_module.words(section.body.text))
    if count <= limit:
        return []
    return [
        Finding(
            "long_section",
            section.place,
            f"This section has {count} words (the target is at most {limit}).",
            "Split it into two sections with their own headings, or cut what "
            "readers do not need.",
        )
    ]


BE = r"(?:am|is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't)"
IRREGULAR_PARTICIPLES = [
    "born",
    "bought",
    "brought",
    "built",
    "caught",
    "chosen",
    "done",
    "drawn",
    "driven",
    "eaten",
    "felt",
    "found",
    "forgotten",
    "given",
    "grown",
    "held",
    "hidden",
    "hit",
    "hurt",
    "kept",
    "known",
    "laid",
    "led",
    "left",
    "lost",
    "made",
    "meant",
    "paid",
    "put",
    "read",
    "said",
    "seen",
    "sent",
    "set",
    "shown",
    "spoken",
    "spent",
    "stolen",
    "taken",
    "taught",
    "thought",
    "thrown",
    "told",
    "torn",
    "understood",
    "woken",
    "worn",
    "written",
]
NOT_PARTICIPLES = {"bed", "bleed", "feed", "hundred", "need", "red", "seed", "shed"}
PASSIVE = re.compile(
    rf"\b{BE}\s+(?:\w+ly\s+)?(\w+ed|{'|'.join(IRREGULAR_PARTICIPLES)})\b",
    re.IGNORECASE,
)


def passive_voice(section, context):
    """Hint at the passive voice: a form of "to be" followed by a past participle
    (a word ending in -ed or a common irregular one such as "given" or "taken"),
    perhaps with an -ly word between. A hint only: some passives read best."""
    found = []
    for sentence in section.body.sentences:
        for match in PASSIVE.finditer(sentence):
            if match.group(1).lower() in NOT_PARTICIPLES:
                continue
            found.append(
                Finding(
                    "passive_voice",
                    section.place,
                    f"“{match.group(0)}” may be the passive voice.",
                    "Say who does it, if that is clearer: “your doctor will give "
                    "you” rather than “you will be given”.",
                    excerpt(sentence),
                    is_hint=True,
                )
            )
            break
    return found


VAGUE_LINK_TEXT = {
    "click here",
    "click",
    "here",
    "read more",
    "more",
    "find out more",
    "more information",
    "link",
    "this link",
    "click this link",
    "this page",
    "this",
}
BARE_ADDRESS = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


def link_text(section, context):
    found = []
    for link in section.body.links:
        plain = re.sub(r"[^\w\s]", "", link.text).strip().lower()
        if not link.text:
            message = "A link has no words, so screen readers cannot say where it goes."
        elif plain in VAGUE_LINK_TEXT:
            message = f"The link text “{link.text}” does not say where the link goes."
        elif BARE_ADDRESS.match(link.text):
            message = f"The link text is a web address: “{excerpt(link.text, 6)}”."
        else:
            continue
        found.append(
            Finding(
                "link_text",
                section.place,
                message,
                "Use the name of the page it goes to, for example “NHS advice "
                "on breast cancer”, so it makes sense read on its own.",
                link.href,
            )
        )
    return found


def heading_order(section, context):
    """Sub-headings go down one level at a time: the section heading is level 2,
    so the first sub-heading is level 3, and a level 4 needs a level 3 above it."""
    found = []
    previous = 2
    for heading in section.body.headings:
        if heading.level > previous + 1:
            found.append(
                Finding(
                    "heading_order",
                    section.place,
                    f"The sub-heading “{heading.text}” is level {heading.level} with "
                    f"no level {previous + 1} above it, so screen readers announce "
                    "a level that is missing.",
                    f"Make it a level {previous + 1} sub-heading, or add one above it.",
                    heading.text,
                )
            )
        previous = heading.level
    return found


ARTICLE_PATH = re.compile(r"^/articles/(?P<slug>[-\w]+)/?$")


def linked_article_key(link):
    """Return ("id", pk) or ("slug", slug) for a link to one of our articles, or None."""
    if link.article_id.strip().isdigit():
        return ("id", int(link.article_id))
    parts = urlsplit(link.href)
    site = urlsplit(getattr(settings, "SITE_URL", "") or "").netloc
    if parts.netloc and parts.netloc != site:
        return None
    match = ARTICLE_PATH.match(parts.path)
    return ("slug", match["slug"]) if match else None


def links_not_live(section, context):
    found = []
    for link in section.body.links:
        key = linked_article_key(link)
        if key is None:
            continue
        target = context.linked_articles.get(key)
        if target is None:
            found.append(
                Finding(
                    "link_not_live",
                    section.place,
                    f"The link “{link.text}” goes to an article we do not have.",
                    "Choose the article again, or correct the address.",
                    link.href or link.article_id,
                )
            )
        elif not target["is_live"]:
            found.append(
                Finding(
                    "link_not_live",
                    section.place,
                    f"The link “{link.text}” goes to “{target['title']}”, which is "
                    "not on the public site, so readers would not find it.",
                    "Link to a live article instead, or publish that one first.",
                    link.href or link.article_id,
                )
            )
    return found


def house_words(section, context):
    found = []
    for block in [heading.text for heading in section.body.headings] + list(
        section.body.blocks
    ):
        for use in context.word_list.uses(block):
            fix = f"Write “{use.alternative}” instead."
            if use.note:
                fix = f"{fix} {use.note}"
            found.append(
                Finding(
                    "house_word",
                    section.place,
                    f"“{use.found}” is on our house word list.",
                    fix,
                    excerpt(block[max(0, use.start - 40) : use.end + 40].strip()),
                )
            )
    return found


def reference_age(context):
    """References not checked since the last full review, or first published or
    last updated more years ago than the setting allows."""
    limit = context.targets["reference_max_age_years"]
    today = context.today or timezone.localdate()
    found = []
    for reference in context.references:
        name = excerpt(reference.title, 10)
        if reference.url and (
            reference.accessed_on is None
            or (context.reviewed_on and reference.accessed_on < context.reviewed_on)
        ):
            when = (
                f"since the last review on {display.day(context.reviewed_on)}"
                if context.reviewed_on
                else "on a date we have"
            )
            found.append(
                Finding(
                    "reference_not_checked",
                    "References",
                    f"“{name}” has not been checked {when}.",
                    "Open the web address, check it still says what the article "
                    "relies on, and update its accessed date.",
                    reference.url,
                )
            )
        year = reference.updated_year or reference.year
        if year and today.year - year > limit:
            found.append(
                Finding(
                    "reference_old",
                    "References",
                    f"“{name}” is from {year}, more than {limit} years ago.",
                    "Look for a newer version or a newer source, and cite that.",
                )
            )
    return found


SECTION_CHECKS = [
    long_sentences,
    section_length,
    passive_voice,
    link_text,
    heading_order,
    links_not_live,
    house_words,
]
ARTICLE_CHECKS = [reference_age]
# The section checks that read nothing but the section's own heading and text
# and the targets: for a section whose text is unchanged their findings are the
# same, so plainenglish.services keeps them between saves. A check that reads
# anything else from the context (the glossary, the house word list, other
# articles, the sections before it) must not be listed.
TEXT_ONLY_CHECKS = frozenset(
    {long_sentences, section_length, passive_voice, link_text, heading_order}
)


def register(check, *, whole_article=False):
    """Add a check, run after the ones above for every section (or once per
    article with ``whole_article``)."""
    registered = ARTICLE_CHECKS if whole_article else SECTION_CHECKS
    if check not in registered:
        registered.append(check)
    return check
