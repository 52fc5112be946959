"""Glossary matching with many terms: building the matcher, marking one article,
and the memory the matcher takes. Needs no database.

    .venv/bin/python bench/glossary.py

Prints a Markdown table for docs/performance.md ("Glossary matching"). Terms are
made-up words and phrases (a fixed seed, so every run uses the same ones), each
with a plural variant, plus eight real terms the article uses; the article is
about 800 words in six sections with sub-headings, links and bold text, the
shape of our longest articles.
"""

import gc
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plainenglish.glossary import Marker, Term  # noqa: E402

REAL_TERMS = [
    ("secondary breast cancer", "secondary breast cancers"),
    ("breast cancer",),
    ("lymph node", "lymph nodes"),
    ("oncologist", "oncologists"),
    ("hormone therapy", "hormone therapies"),
    ("mammogram", "mammograms"),
    ("radiotherapy",),
    ("chemotherapy",),
]
STORY = (
    "you may feel tired after treatment and your team will talk with you about what "
    "happens next the nurse can help if you have questions about how you feel at home "
    "or at work some people find it helps to write things down before each visit"
)
EVERYDAY = STORY.split()
SYLLABLES = "ab ac ad al an ar as ba be bi bo ca ce co da de di do el em en er es "
SYLLABLES += "ga ge gi la le li lo ma me mi mo na ne ni no ob on or os pa pe pi po "
SYLLABLES += "ra re ri ro sa se si so ta te ti to ul um un ur va ve vi"
SYLLABLES = SYLLABLES.split()


def made_up_terms(count, rng):
    """Return ``count`` terms: one to three made-up words, each with a plural."""
    terms, seen = [], set()
    while len(terms) < count:
        words = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.choice((1, 1, 2, 2, 3)))
        ]
        phrase = " ".join(words)
        if phrase in seen:
            continue
        seen.add(phrase)
        number = len(terms) + 100
        terms.append(Term(number, f"term-{number}", (phrase, phrase + "s")))
    return terms


def all_terms(count, rng):
    real = [
        Term(n, phrases[0].replace(" ", "-"), phrases)
        for n, phrases in enumerate(REAL_TERMS, start=1)
    ]
    return real + made_up_terms(count - len(real), rng)


def article(rng, made_up):
    """Return six section bodies, about 800 words in all, using the real terms
    and a few made-up ones, some inside links and sub-headings."""
    sections = []
    for number in range(6):
        paragraphs = []
        for _ in range(4):
            words = [rng.choice(EVERYDAY) for _ in range(30)]
            real = rng.choice(REAL_TERMS)[-1]
            words.insert(rng.randrange(len(words)), real)
            words.insert(rng.randrange(len(words)), rng.choice(made_up).phrases[0])
            text = " ".join(words)
            text = text.replace(" you ", " <strong>you</strong> ", 1)
            paragraphs.append(f"<p>{text[0].upper()}{text[1:]}.</p>")
        sections.append(
            f"<h3>About {rng.choice(REAL_TERMS)[0]}</h3>"
            + "".join(paragraphs)
            + f'<p>Read <a href="/articles/page-{number}/">{REAL_TERMS[1][0]}</a>.</p>'
        )
    return sections


def rss_kib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def measure(count):
    rng = random.Random(20261128)
    terms = all_terms(count, rng)
    sections = article(rng, terms[len(REAL_TERMS) :])
    words = sum(len(body.split()) for body in sections)
    gc.collect()
    before = rss_kib()
    marker = Marker(terms)
    gc.collect()
    grown = rss_kib() - before
    build, _ = timed(lambda: Marker(terms), 7)
    mark, slowest = timed(lambda: marker.mark(sections), 400)
    marked, ids = marker.mark(sections)
    return {
        "terms": count,
        "phrases": sum(len(term.phrases) for term in terms),
        "words": words,
        "build_ms": build * 1000,
        "mark_ms": mark * 1000,
        "mark_p95_ms": slowest * 1000,
        "marks": len(ids),
        "automaton_kib": marker._automaton.get_stats()["total_size"] // 1024,
        "rss_kib": grown,
    }


def main():
    rows = [measure(count) for count in (1_000, 10_000)]
    print(
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}\n"
    )
    print(
        "| terms (phrases) | build the matcher (median of 7) | mark an article "
        "(median / 95th percentile of 400) | marks | matcher size | memory grew |"
    )
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['terms']:,} ({row['phrases']:,}) | {row['build_ms']:.1f} ms | "
            f"{row['mark_ms']:.2f} / {row['mark_p95_ms']:.2f} ms "
            f"({row['words']} words) | {row['marks']} | "
            f"{row['automaton_kib']:,} KiB | {row['rss_kib']:,} KiB |"
        )


if __name__ == "__main__":
    main()
