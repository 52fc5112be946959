"""Time what a glossary term costs when it goes live, changes or comes down:
the live articles that use it or hold its words are written again, inside the
publisher's move (every live article is locked and read).

    .venv/bin/python bench/glossary_refresh.py [ARTICLES]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/infosite_bench \
        .venv/bin/python bench/glossary_refresh.py [ARTICLES]

Builds its own database (a file in a temporary folder for SQLite; a database
named after DATABASE_URL's with ``_glossary_bench`` added for PostgreSQL),
dropped at the end, so no one's data is touched.
Eight terms go live, then ARTICLES articles (300 unless told), each with four
sections of about 120 words that use some of the terms. Then, timed: publishing
a new term that every article uses (so every page is written again), publishing a new version of its definition, taking it down, and
publishing one more article with the terms live. Prints a Markdown table, median
of 5 of each.
"""

import statistics
import sys
import time

from _database import own_database, save_article
from django.db import connection

PARAGRAPH = (
    "<p>Breast cancer can come back after treatment. This is called a recurrence. "
    "It can happen in the same breast, in the chest wall or in other parts of the "
    "body. Your team will check your lymph nodes and may suggest a mammogram or a "
    "biopsy. You may feel worried, and that is normal. Talk to your breast care "
    "nurse about how you feel. They can tell you about support near you, and "
    "about what happens next, such as radiotherapy or chemotherapy.</p>"
)

RUNS = 5
TERMS = [
    "Recurrence",
    "Lymph nodes",
    "Mammogram",
    "Radiotherapy",
    "Chemotherapy",
    "Biopsy",
    "Targeted therapy",
    "Oncologist",
]


def timed(move, *args, **kwargs):
    started = time.perf_counter()
    move(*args, **kwargs)
    return time.perf_counter() - started


def main(count):
    from articles import workflow
    from articles.models import PublishedTermUse
    from tests import builders

    with own_database("glossary_bench"):
        team = builders.make_team()
        topic = builders.make_topic()
        for title in TERMS:
            builders.publish_term(builders.make_term(title), team)
        started = time.perf_counter()
        for number in range(count):
            article = save_article(number, paragraph=PARAGRAPH, topic=topic)
            builders.publish(article, team)
        built = time.perf_counter() - started

        def approved_term(title, **fields):
            term = builders.make_term(title, **fields)
            builders.submit(term, team)
            workflow.approve(term, by=team.clinician, revision=builders.current(term))
            return term

        rows = {
            "A new term goes live": [],
            "A changed definition goes live": [],
            "The term comes down": [],
            "One article is published (terms live)": [],
        }
        for run in range(RUNS):
            # "Breast care nurse" is in every article.
            term = approved_term("Breast care nurse", slug=f"nurse-{run}")
            rows["A new term goes live"].append(
                timed(workflow.publish, term, by=team.publisher)
            )
            builders.edit_term(term, summary=f"A nurse, version {run}.")
            builders.submit(term, team)
            workflow.approve(term, by=team.clinician, revision=builders.current(term))
            rows["A changed definition goes live"].append(
                timed(workflow.publish, term, by=team.publisher)
            )
            rows["The term comes down"].append(
                timed(workflow.unpublish, term, by=team.publisher, comment="Bench")
            )
            term.delete()
            article = save_article(count + run, paragraph=PARAGRAPH, topic=topic)
            builders.submit(article, team)
            builders.approve_all(article, team)
            rows["One article is published (terms live)"].append(
                timed(
                    workflow.publish,
                    article,
                    by=team.publisher,
                    full_review_not_needed=True,
                )
            )
        uses = PublishedTermUse.objects.count()
        print(
            f"{count:,} live articles (built in {built:.0f} s), {len(TERMS)} live "
            f"terms, {uses:,} marked uses, {connection.vendor}, median of {RUNS}\n"
        )
        print("| Move | Time (ms) |")
        print("|---|---:|")
        for label, times in rows.items():
            print(f"| {label} | {statistics.median(times) * 1000:.0f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
