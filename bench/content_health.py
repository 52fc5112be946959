"""Time the content-health report with many articles.

    .venv/bin/python bench/content_health.py [ARTICLES]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/infosite_bench \
        .venv/bin/python bench/content_health.py [ARTICLES]

Builds its own database (a file in a temporary folder for SQLite; a database named
after DATABASE_URL's with ``_health_bench`` added for PostgreSQL), dropped at the
end, so no one's data is touched. ARTICLES articles (1,000 unless told) are saved,
each with four sections of about 120 words (one with a link to another article),
three references and an owner, in twelve topics under three top-level ones; one in
three is published and then changed again, so it has a live version and a newer
draft. The report is then opened as a signed-in editor would (Django's test
client): whole, filtered to a top-level topic and sorted by open problems, and as
CSV. Prints a Markdown table: median time of 7 requests after one untimed (wall
clock, and CPU time of this process, which a busy machine disturbs far less), and
the queries one request makes. The bar is under a second of CPU time each.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")
# Pages name static files without collectstatic's manifest; what is timed is the same.
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECRET_KEY", f"benchmark-only-{time.time()}-not-a-real-key" * 2)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = 7
URL = "/plain-english/health/"
PARAGRAPH = (
    "<p>Breast cancer can come back after treatment. This is called a recurrence. "
    "It can happen in the same breast, in the chest wall or in other parts of the "
    "body. Adjuvant endocrine therapy considerably diminishes the probability of "
    "locoregional recurrence following conservative surgical intervention. Your "
    "team will be given the results and will talk to you about them. You may feel "
    "worried, and that is normal. Talk to your breast care nurse about how you "
    "feel. They can tell you about support near you, and about what happens next. "
    "Click here to read more about follow-up appointments and checks.</p>"
)


def own_database(folder):
    """Create an empty, migrated database of the configured kind; return its name."""
    test = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(folder) / "health_bench.sqlite3")
    else:
        test["NAME"] = f"{settings.DATABASES['default']['NAME']}_health_bench"
    return connection.creation.create_test_db(verbosity=0, autoclobber=True)


def save_article(number, *, topic, owner, references):
    """Save an article with four sections of PARAGRAPH in one version, as the
    admin would."""
    import reversion

    from articles.models import Article, ArticleReference, Section

    with reversion.create_revision():
        article = Article.objects.create(
            title=f"Article {number:05}",
            slug=f"article-{number}",
            summary="A short plain summary.",
            topic=topic,
            owner=owner,
            reviewed_on=datetime.date(2023, 7, 1),
            next_review_on=datetime.date(2026, 7, 1),
        )
        for index in range(4):
            body = PARAGRAPH
            if index == 0:
                body += (
                    f'<p>See <a href="/articles/article-{number + 1}/">this</a>.</p>'
                )
            Section.objects.create(
                article=article, heading=f"Part {index + 1}", body=body, order=index
            )
        for index, reference in enumerate(references):
            ArticleReference.objects.create(
                article=article, reference=reference, order=index
            )
    return article


def build(count):
    from tests import builders

    team = builders.make_team()
    tops = [
        builders.make_topic(name, slug=name.lower().replace(" ", "-"))
        for name in ("Breast cancer", "Bowel cancer", "Lung cancer")
    ]
    topics = [
        builders.make_topic(f"{top.name} {part}", parent=top)
        for top in tops
        for part in ("diagnosis", "treatment", "after treatment")
    ] + tops
    references = [builders.make_reference() for _ in range(30)]
    for number in range(count):
        article = save_article(
            number,
            topic=topics[number % len(topics)],
            owner=(team.editor, team.publisher, None)[number % 3],
            references=[references[(number + step) % 30] for step in range(3)],
        )
        if number % 3 == 0:
            builders.publish(article, team)
            builders.edit_section(article, body=PARAGRAPH[:-4] + " Changed.</p>")
    return team, tops[0]


def measure(client, url):
    """Return (median seconds, median CPU seconds of this process, queries) for
    one request. The CPU time leaves out waiting for other work on a busy
    machine (and, on PostgreSQL, the database server's own work)."""
    first = client.get(url, secure=True)
    if first.status_code != 200:
        raise SystemExit(f"{url} answered {first.status_code}")
    timings, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url, secure=True)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    return statistics.median(timings), statistics.median(cpu), len(captured)


def main(count):
    with tempfile.TemporaryDirectory() as folder:
        name = own_database(folder)
        try:
            started = time.perf_counter()
            team, top = build(count)
            built = time.perf_counter() - started
            editor = Client(HTTP_HOST="127.0.0.1")
            editor.force_login(team.editor)
            screens = [
                ("Whole report", URL),
                (
                    f"One top-level topic ({count // 3:,} articles), by open problems",
                    f"{URL}?topic={top.slug}&sort=-problems",
                ),
                ("Whole report as CSV", f"{URL}?format=csv"),
            ]
            print(
                f"{count:,} articles (built in {built:.0f} s), {connection.vendor}, "
                f"median of {RUNS} requests, load average "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n"
            )
            print("| Request | Time (ms) | CPU time (ms) | Queries |")
            print("|---|---:|---:|---:|")
            slow = []
            for label, url in screens:
                seconds, cpu, queries = measure(editor, url)
                print(
                    f"| {label} | {seconds * 1000:.0f} | {cpu * 1000:.0f} | {queries} |"
                )
                if cpu >= 1:
                    slow.append(label)
        finally:
            connection.creation.destroy_test_db(name, verbosity=0)
    if slow:
        raise SystemExit(f"A second or more: {', '.join(slow)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
