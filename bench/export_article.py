"""Write one live article, exactly as readers see it, as JSON for the Wagtail side
of the benchmark. Reads only the published copy (the public site's tables).

    .venv/bin/python bench/export_article.py SLUG OUT.json
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")

import django  # noqa: E402

django.setup()

from articles import publication, rendering  # noqa: E402
from articles.page import ArticlePage  # noqa: E402


def page_data(slug):
    published = publication.live_page(slug)
    page = ArticlePage.live(published)
    article = page.article
    # The page itself reads its body rendered; the export wants its parts.
    published.refresh_from_db(fields=rendering.COPY_FIELDS)
    content = rendering.Content.of_copy(published)

    def day(value):
        return value.isoformat() if value else None

    return {
        "slug": slug,
        "title": page.title,
        "summary": page.summary,
        "topics": [{"title": t.name, "slug": t.slug} for t in page.breadcrumbs],
        "sections": [
            {"heading": s["heading"], "anchor": s["anchor"], "body": s["body"]}
            for s in content.sections
        ],
        "references": [str(reference.citation()) for reference in content.references],
        "credits": [
            {
                "role": label,
                "name": credit.name,
                "description": credit.description,
                "is_sample": credit.is_sample,
            }
            for label, credits in content.credits_by_role()
            for credit in credits
        ],
        "related": [{"title": link.title, "url": link.url} for link in page.related],
        "reviewed_on": day(article.reviewed_on),
        "next_review_on": day(article.next_review_on),
    }


if __name__ == "__main__":
    slug, out = sys.argv[1:3]
    Path(out).write_text(json.dumps(page_data(slug), indent=2))
