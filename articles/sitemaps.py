from django.contrib.sitemaps import Sitemap

from . import publication


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return publication.live_listing().order_by("pk")

    def lastmod(self, published):
        return published.published_at
