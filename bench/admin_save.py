"""Time an editor saving a 30-section article through the admin's change form,
as their browser would post it (Django's test client, the bench database).

    DATABASE_URL=... .venv/bin/python bench/admin_save.py [SAVES]

Prints the median of the timed saves in milliseconds. Each save changes the
wording of one section and posts all 30, with the article's references and
credits, and is checked to have stored the new wording. On stderr it also
prints the median CPU time of this process per save (the part a busy machine
slows least) and the number of queries one save makes.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, Reference, Reviewer, Topic  # noqa: E402
from tests.articles.admin_forms import article_form_data, section_rows  # noqa: E402
from tests.builders import make_article, make_user  # noqa: E402

SECTIONS = 30
SLUG = "benchmark-thirty-sections"


def demo_bodies():
    """The demo article's section bodies, to give each section realistic wording."""
    bodies = [
        section.body
        for article in Article.objects.exclude(slug=SLUG)
        for section in article.sections.all()
    ]
    return bodies or ["<p>" + "Plain words about a health condition. " * 30 + "</p>"]


def thirty_section_article(editor):
    Article.objects.filter(slug=SLUG).delete()
    article = make_article(
        "Benchmark article with thirty sections",
        slug=SLUG,
        topic=Topic.objects.first(),
        sections=SECTIONS,
        references=list(Reference.objects.all()[:5]),
        credits=[("wrote", reviewer) for reviewer in Reviewer.objects.all()[:2]],
        user=editor,
    )
    return article


class Measured:
    """The wall-clock and CPU time and the queries of one save."""

    def __init__(self):
        self.queries = 0
        self.wall = self.cpu = 0.0

    def __call__(self, execute, *args):
        self.queries += 1
        return execute(*args)


def save(client, article, sections):
    url = f"/admin/articles/article/{article.pk}/change/"
    # Encoded as a browser sends the change form (it has no file field).
    body = urlencode(article_form_data(article, sections=sections), doseq=True)
    measured = Measured()
    cpu = time.process_time()
    started = time.perf_counter()
    with connection.execute_wrapper(measured):
        response = client.post(
            url, body, content_type="application/x-www-form-urlencoded"
        )
    measured.wall = time.perf_counter() - started
    measured.cpu = time.process_time() - cpu
    if response.status_code != 302:
        errors = getattr(response, "context", None)
        raise SystemExit(
            f"The admin refused the save ({response.status_code}): {errors}"
        )
    return measured


def main(saves):
    editor = User.objects.filter(username="bench-editor").first() or make_user(
        "bench-editor", "Editors"
    )
    article = thirty_section_article(editor)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor)
    bodies = demo_bodies()

    # First save (untimed): every section gets realistic wording; warms the worker.
    rows = section_rows(article)
    for index, row in enumerate(rows):
        row["body"] = bodies[index % len(bodies)]
    save(client, article, rows)

    timings = []
    for number in range(saves):
        rows = section_rows(article)
        changed = f"<p>Reworded paragraph number {number}.</p>"
        rows[number % SECTIONS]["body"] = rows[number % SECTIONS]["body"] + changed
        timings.append(save(client, article, rows))
        body = article.sections.all()[number % SECTIONS].body
        if changed not in body:
            raise SystemExit("The save did not store the new wording.")
    Article.objects.filter(slug=SLUG).delete()
    cpu = statistics.median(measured.cpu for measured in timings)
    print(
        f"CPU {cpu * 1000:.0f} ms, {timings[-1].queries} queries per save",
        file=sys.stderr,
    )
    print(f"{statistics.median(measured.wall for measured in timings) * 1000:.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
