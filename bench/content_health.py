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

import os
import statistics
import sys
import time

from _database import own_database, save_article
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

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
            paragraph=PARAGRAPH,
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
    with own_database("health_bench"):
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
            print(f"| {label} | {seconds * 1000:.0f} | {cpu * 1000:.0f} | {queries} |")
            if cpu >= 1:
                slow.append(label)
    if slow:
        raise SystemExit(f"A second or more: {', '.join(slow)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
