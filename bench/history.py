"""Time the screens that list or pick an article's versions when it has 5,000.

    .venv/bin/python bench/history.py [VERSIONS]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/infosite_bench \
        .venv/bin/python bench/history.py [VERSIONS]

Builds its own database (a file in a temporary folder for SQLite; a database named
after DATABASE_URL's with ``_history_bench`` added for PostgreSQL), dropped at the
end, so no one's data is touched. A published article with five sections is given
VERSIONS saved versions (5,000 unless told) and each screen is opened as a signed-in
editor would (Django's test client): the admin's history (first, middle and last
page), the edit form, the restore confirmation of version 1, the review workspace
and the compare page (default, and version 1 against the current draft), then
saves it through the edit form. Prints a Markdown table: median time of 7 requests
after one untimed, and the queries one request makes. The bar is under a second
each.
"""

import os
import statistics
import sys
import time
import warnings

# What the site needs besides what _database sets: plain http, and quiet logs.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Static files are not collected for this (whitenoise says so once).
warnings.filterwarnings("ignore", message="No directory at")

from _database import own_database  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from reversion.models import Version  # noqa: E402

RUNS = 7


def build(versions):
    from tests import builders

    team = builders.make_team()
    topic = builders.make_topic("Breast cancer", slug="breast-cancer")
    article = builders.make_article(
        "Breast cancer recurrence",
        slug="breast-cancer-recurrence",
        topic=topic,
        sections=5,
        user=team.editor,
    )
    builders.publish(article, team)
    builders.add_saved_versions(article, versions - 1, user=team.editor)
    return team, article


def measure(client, url):
    """Return (median seconds, queries) for one screen."""
    first = client.get(url)
    if first.status_code != 200:
        raise SystemExit(f"{url} answered {first.status_code}")
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(timings), len(captured)


def measure_saves(client, article):
    """Return (median seconds, queries) for an editor saving the article through
    the edit form, each save changing one section's wording."""
    from tests.articles.admin_forms import article_form_data, section_rows

    url = reverse("admin:articles_article_change", args=[article.pk])

    def save(number):
        rows = section_rows(article)
        rows[0]["body"] = f"<p>Reworded for the {number}th time.</p>"
        data = article_form_data(article, sections=rows)
        started = time.perf_counter()
        response = client.post(url, data)
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"The admin refused the save ({response.status_code})")
        return elapsed

    save(0)
    timings = [save(number) for number in range(1, RUNS + 1)]
    with CaptureQueriesContext(connection) as captured:
        save(RUNS + 1)
    return statistics.median(timings), len(captured)


def main(versions):
    with own_database("history_bench"):
        team, article = build(versions)
        count = article.versions.count()
        first = Version.objects.get_for_object(article).order_by("pk").first()
        editor = Client(HTTP_HOST="127.0.0.1")
        editor.force_login(team.editor)
        pages = -(-count // 50)
        history = reverse("admin:articles_article_history", args=[article.pk])
        compare = reverse("reviews:compare", args=[article.pk])
        screens = [
            ("Admin history, page 1", history),
            (f"Admin history, page {pages // 2}", f"{history}?p={pages // 2}"),
            (f"Admin history, page {pages} (last)", f"{history}?p={pages}"),
            (
                "Admin edit form",
                reverse("admin:articles_article_change", args=[article.pk]),
            ),
            (
                "Restore confirmation, version 1",
                reverse("admin:articles_article_revision", args=[article.pk, first.pk]),
            ),
            ("Review workspace", reverse("reviews:article", args=[article.pk])),
            ("Compare page (live with draft)", compare),
            (
                "Compare page (version 1 with draft)",
                f"{compare}?from={first.revision_id}",
            ),
        ]
        print(
            f"{count:,} saved versions, {connection.vendor}, "
            f"median of {RUNS} requests\n"
        )
        print("| Screen | Time (ms) | Queries |")
        print("|---|---:|---:|")
        slow = []
        for label, url in screens:
            seconds, queries = measure(editor, url)
            print(f"| {label} | {seconds * 1000:.0f} | {queries} |")
            if seconds >= 1:
                slow.append(label)
        seconds, queries = measure_saves(editor, article)
        print(f"| Admin save (edit form posted) | {seconds * 1000:.0f} | {queries} |")
        if seconds >= 1:
            slow.append("Admin save")
    if slow:
        raise SystemExit(f"A second or more: {', '.join(slow)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
