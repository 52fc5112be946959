"""Finding the house word list's words and phrases in text.

Matches are whole words in any mix of capitals: "prior" never matches inside
"priority". Spaces inside a phrase match any run of spaces. Where the text
already uses an entry's alternative, for example "cancer doctor (oncologist)",
the word inside it is not flagged again, so an alternative that contains its
own word never loops. Longer phrases win when two entries overlap.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Use:
    phrase: str  # the entry's phrase
    found: str  # as written in the text
    alternative: str
    note: str
    start: int
    end: int


def _pattern(phrase, *, plurals):
    words = [re.escape(word) for word in phrase.split(" ")]
    body = r"\s+".join(words)
    if plurals:
        body += r"(?:s|es)?"
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


class WordList:
    """The house word list, compiled once, ready to match many texts."""

    def __init__(self, entries):
        self.entries = [
            (
                entry,
                _pattern(entry.phrase, plurals=entry.includes_plurals),
                _pattern(entry.alternative, plurals=False),
            )
            for entry in sorted(entries, key=lambda e: (-len(e.phrase), e.phrase))
            if entry.phrase
        ]

    def uses(self, text):
        """Return each use of an entry in ``text``, in the order they appear."""
        taken = []
        found = []
        for entry, pattern, alternative in self.entries:
            # Already written the plain way: leave the words inside it alone.
            kept = [match.span() for match in alternative.finditer(text)]
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(a <= start and end <= b for a, b in kept):
                    continue
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
                found.append(
                    Use(
                        phrase=entry.phrase,
                        found=match.group(0),
                        alternative=entry.alternative,
                        note=entry.note,
                        start=start,
                        end=end,
                    )
                )
        return sorted(found, key=lambda use: use.start)


def load():
    """Return the house word list as it is now."""
    from .models import HouseWord

    return WordList(HouseWord.objects.all())
