"""Build the Wagtail page tree for one article exported from infosite:
Home > topics > the article, and its related articles beside it."""

import datetime
import json

from django.core.management.base import BaseCommand
from wagtail.models import Page, Site

from pages.models import ArticlePage, TopicPage


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


def _raw(block_type, values):
    """StreamField content in its stored (JSON) form."""
    return json.dumps([{"type": block_type, "value": value} for value in values])


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("json_file")

    def handle(self, json_file, **options):
        with open(json_file) as handle:
            data = json.load(handle)
        root = Page.get_first_root_node()
        site = Site.objects.get(is_default_site=True)
        welcome = site.root_page
        home = root.add_child(instance=TopicPage(title="Home", slug="home-page"))
        site.root_page = home
        site.save()
        welcome.delete()

        parent = home
        for topic in data["topics"]:
            parent = parent.add_child(
                instance=TopicPage(title=topic["title"], slug=topic["slug"])
            )
        related = []
        for link in data["related"]:
            other = parent.add_child(
                instance=ArticlePage(
                    title=link["title"],
                    slug=link["url"].strip("/").split("/")[-1],
                    summary=link["title"],
                    body=_raw(
                        "section", [{"heading": "About", "anchor": "about", "body": ""}]
                    ),
                )
            )
            other.save_revision().publish()
            related.append(other.pk)
        article = parent.add_child(
            instance=ArticlePage(
                title=data["title"],
                slug=data["slug"],
                summary=data["summary"],
                body=_raw("section", data["sections"]),
                references=_raw("reference", data["references"]),
                credits=_raw("credit", data["credits"]),
                related=_raw("page", related),
                reviewed_on=_day(data["reviewed_on"]),
                next_review_on=_day(data["next_review_on"]),
            )
        )
        article.save_revision().publish()
        self.stdout.write(article.url)
