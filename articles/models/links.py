"""Links between our articles: the addresses an article had before, and which
live pages link to which articles.

An article's address (its slug) can change at any time. Its old addresses are
kept so that they redirect (301) to the current one, and live pages that link to
it are rewritten to its new address at once (``articles.links``).
"""

from django.db import models
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone


class FormerAddress(models.Model):
    """An address an article had before: it redirects to the article's current one."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="former_addresses"
    )
    slug = models.SlugField(max_length=150)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One old address leads to one article; the newest move wins.
            models.UniqueConstraint(fields=["slug"], name="former_address_once"),
        ]
        ordering = ["-changed_at", "-pk"]
        verbose_name_plural = "former addresses"

    def __str__(self):
        return f"{self.slug} → {self.article_id}"


class PublishedLink(models.Model):
    """A live page whose text links to an article (live or not), so that the
    page can be rewritten when that article moves, goes live or comes down."""

    published = models.ForeignKey(
        "articles.PublishedArticle",
        on_delete=models.CASCADE,
        related_name="links_out",
    )
    # No database constraint: the link is kept, and acted on, after the article
    # it points to is deleted.
    target = models.ForeignKey(
        "articles.Article",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["published", "target"], name="published_link_once"
            ),
        ]
        indexes = [models.Index(fields=["target"], name="published_link_target")]

    def __str__(self):
        return f"{self.published_id} → {self.target_id}"


# An article's address is watched on every save (the admin, restoring a version,
# imports), so no path can move an article without its old address following.


@receiver(post_init, sender="articles.Article", dispatch_uid="links.loaded")
def _remember_address(sender, instance, **kwargs):
    instance._stored_slug = instance.__dict__.get("slug")


@receiver(pre_save, sender="articles.Article", dispatch_uid="links.moving")
def _address_moving(sender, instance, update_fields=None, **kwargs):
    # A new address changes a unique column, so writing it locks the row as a
    # key lock, which a page going live needs (as a key share) to record that it
    # uses this article (a glossary term it marks, a related article). Pages are
    # written with the public version locked first (``articles.links``), so an
    # address change that writes pages afterwards (``_address_saved``, and the
    # page cache for an article ever published) takes it before the row too:
    # else it would wait for a publish holding the public version, and the
    # publish for its row. A save keeping the address does not wait for it here.
    if instance._state.adding or (
        update_fields is not None and "slug" not in update_fields
    ):
        return
    before = getattr(instance, "_stored_slug", None)
    if not before or before == instance.slug:
        return
    if instance.first_published_at is not None or _linked_from_live_pages(instance):
        from .. import pagecache

        pagecache.public_pages_changed()


def _linked_from_live_pages(article):
    return PublishedLink.objects.filter(target_id=article.pk).exists()


@receiver(post_save, sender="articles.Article", dispatch_uid="links.saved")
def _address_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and "slug" not in update_fields:
        return
    from ..links import address_changed, address_taken

    before, now = getattr(instance, "_stored_slug", None), instance.slug
    instance._stored_slug = now
    if created:
        address_taken(now)
    elif before and before != now:
        address_changed(instance, before)


@receiver(post_delete, sender="articles.Article", dispatch_uid="links.deleted")
def _article_deleted(sender, instance, **kwargs):
    from ..links import refresh_links_to

    refresh_links_to(instance.pk)
