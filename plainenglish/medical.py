"""The content check "a medical word with no glossary entry".

A word is taken for a medical word when most readers would not know it (it is not
on the Dale–Chall list of familiar words) and it looks medical: it is on our list
(``data/medical_words.txt``) or is spelt like one, such as "-ectomy", "-itis",
"-oma", "-ology", "-therapy", "onco-", "lymph-" (``data/not_medical_words.txt``
holds the words these rules would wrongly catch). It needs no glossary entry when
a live glossary term or variant covers it, or when the sentence explains it:
"cancer doctor (oncologist)", "oncologist (cancer doctor)", "metastasis, which
means…", "known as metastasis". Each word is reported once per article, where it
is first used without an explanation.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from . import checks, glossary
from . import text as text_module

CHECK = "undefined_term"
DATA = Path(__file__).resolve().parent / "data"

SUFFIXES = (
    "ectomy",
    "ectomies",
    "otomy",
    "ostomy",
    "itis",
    "oma",
    "omas",
    "omata",
    "ology",
    "ologist",
    "ologists",
    "ological",
    "therapy",
    "therapies",
    "plasty",
    "scopy",
    "oscope",
    "osis",
    "aemia",
    "algia",
    "penia",
    "plasia",
    "ogram",
    "ograms",
    "ography",
)
PREFIXES = (
    "metasta",
    "onco",
    "carcino",
    "lymph",
    "haemat",
    "haemo",
    "hemat",
    "cardio",
    "neuro",
    "nephr",
    "hepat",
    "gastro",
    "angio",
    "cyto",
    "osteo",
    "myelo",
    "mammo",
    "immuno",
)
# The shortest word a spelling rule may call medical.
SHORTEST = 5
# Readers are told what a word means in the same sentence.
BRACKET_AFTER = re.compile(r"^[’']?s?\s*\(")
EXPLAINED_AFTER = re.compile(
    r"^[’']?s?\s*(?:,|—|–|-|:)?\s*(?:which\s+|that\s+|this\s+)?"
    r"(?:means|meaning|is\s+when|is\s+where|is\s+an?\b|are\s+|or\s+)",
    re.IGNORECASE,
)
EXPLAINED_BEFORE = re.compile(
    r"(?:(?:called|call|calls)(?:\s+(?:it|this|that|them))?|known\s+as|"
    r"name\s+for|word\s+for|term\s+for)\s*[“\"‘']?\s*$",
    re.IGNORECASE,
)


def _read(name):
    lines = (DATA / name).read_text("utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and line[0] != "#"
    )


@functools.cache
def medical_words():
    """Return our list of medical words the spelling rules would miss."""
    return _read("medical_words.txt")


@functools.cache
def not_medical_words():
    """Return the words the spelling rules would wrongly take for medical ones."""
    return _read("not_medical_words.txt")


def _looks_medical(word):
    if word in medical_words():
        return True
    if len(word) < SHORTEST or word in not_medical_words():
        return False
    if glossary.is_everyday_word(word):
        return False
    return any(
        word.endswith(suffix) and len(word) > len(suffix) + 1 for suffix in SUFFIXES
    ) or any(
        word.startswith(prefix) and len(word) > len(prefix) + 2 for prefix in PREFIXES
    )


@functools.lru_cache(maxsize=16384)  # the word lists never change while running
def is_medical_word(word):
    """Return whether a word looks like a medical word most readers would not know."""
    word = re.sub(r"[’']s$", "", word.lower())
    if _looks_medical(word):
        return True
    parts = word.split("-")
    return len(parts) > 1 and any(_looks_medical(part) for part in parts if part)


def is_explained(sentence, start, end):
    """Return whether the word at sentence[start:end] is explained where it is:
    in brackets after an explanation, followed by one in brackets, or with
    "means", "is when", "called" and the like next to it."""
    before, after = sentence[:start], sentence[end:]
    if before.rfind("(") > before.rfind(")"):
        return True
    return bool(
        BRACKET_AFTER.match(after)
        or EXPLAINED_AFTER.match(after)
        or EXPLAINED_BEFORE.search(before)
    )


@dataclass(frozen=True)
class UndefinedTerm(checks.Finding):
    word: str = ""  # kept so the finding can be dropped once the glossary has it


POSSESSIVE = re.compile(r"[’']s$")


@functools.lru_cache(maxsize=4096)  # sentences of unchanged sections come again
def medical_words_in(sentence):
    """Return (key, word, start, end) for each word of a sentence that looks
    like a medical word, in order; the key is the word in lower case without a
    possessive "'s"."""
    return tuple(
        (POSSESSIVE.sub("", word.lower()), word, *match.span())
        for match in text_module.WORD.finditer(sentence)
        if is_medical_word(word := match.group(0))
    )


def undefined_terms(section, context):
    """Find medical words with no glossary entry and no explanation."""
    if context.glossary is None:
        context.glossary = glossary.live_marker()
    found = []
    for sentence in section.body.sentences:
        covered = None  # the glossary's matches, looked for once a word needs them
        for key, word, start, end in medical_words_in(sentence):
            if key in context.seen_terms:
                continue
            if covered is None:
                covered = [(m.start, m.end) for m in context.glossary.find(sentence)]
            if any(a <= start and end <= b for a, b in covered):
                continue
            context.seen_terms.add(key)
            if is_explained(sentence, start, end):
                continue  # explained at first use: enough
            word = POSSESSIVE.sub("", word)
            found.append(
                UndefinedTerm(
                    CHECK,
                    section.place,
                    f"“{word}” looks like a medical word, and the glossary does "
                    "not explain it.",
                    f"Add “{word}” to the glossary, or explain it in the sentence, "
                    f"for example “{word} (what it means in everyday words)”.",
                    checks.excerpt(sentence),
                    word=word,
                )
            )
    return found


def still_undefined(findings, marker):
    """Return stored findings without those for words the live glossary now has."""
    return [
        finding
        for finding in findings
        if finding.get("check") != CHECK
        or not _in_glossary(finding.get("word", ""), marker)
    ]


def _in_glossary(word, marker):
    return any(m.start == 0 and m.end == len(word) for m in marker.find(word))
