from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.public().order_by("pk")

    def lastmod(self, article):
        return article.updated_at
