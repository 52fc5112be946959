"""What the benchmarks that fill a database share: Django set up for a script, a
database of their own, dropped at the end so no one's data is touched, and
articles saved as the admin saves them.

Import it before anything from Django or the site (``import _database`` from a
script in bench/): it sets Django up.
"""

import datetime
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")
# Pages name static files without collectstatic's manifest; what is timed is the same.
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
# Creating and dropping a database can take longer than the site's limit.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
os.environ.setdefault("SECRET_KEY", f"benchmark-only-{time.time()}-not-a-real-key" * 2)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402


@contextmanager
def own_database(suffix):
    """Create an empty, migrated database of the configured kind, dropped when
    the block ends: a file in a temporary folder for SQLite, or for PostgreSQL a
    database named after DATABASE_URL's with ``_<suffix>`` added."""
    with tempfile.TemporaryDirectory() as folder:
        test = settings.DATABASES["default"].setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test["NAME"] = str(Path(folder) / f"{suffix}.sqlite3")
        else:
            test["NAME"] = f"{settings.DATABASES['default']['NAME']}_{suffix}"
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            yield
        finally:
            connection.creation.destroy_test_db(name, verbosity=0)


def save_article(number, *, paragraph, topic, owner=None, references=()):
    """Save article ``number`` in one version, as the admin would: four sections
    of ``paragraph``, the first also linking to the next article, and
    ``references`` in order."""
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
            body = paragraph
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
