from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import publication


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return publication.live_listing().order_by("pk")

    def lastmod(self, published):
        return published.published_at


class GlossarySitemap(Sitemap):
    """The A–Z glossary once it has a live term; it changes whenever a term is
    published or taken down."""

    changefreq = "monthly"

    def items(self):
        return ["articles:glossary"] if publication.live_terms().exists() else []

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return (
            publication.live_terms()
            .order_by("-published_at")
            .values_list("published_at", flat=True)
            .first()
        )
