"""Who has an article open in the edit form right now.

The edit form checks in every few seconds while it is open; a person whose last
check-in is older than ``PRESENCE_EXPIRES`` has left. One row per article and
person, written with an upsert, so checking in never adds rows.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import formats, timezone

from .. import display

# The form checks in every 20 seconds: three missed check-ins and the person has left.
PRESENCE_EXPIRES = timedelta(seconds=60)


class EditingPresenceQuerySet(models.QuerySet):
    def active(self, *, now=None):
        """Return the check-ins recent enough that the person is still there."""
        now = now or timezone.now()
        return self.filter(seen_at__gte=now - PRESENCE_EXPIRES)

    def check_in(self, *, article, user, now=None):
        """Record that ``user`` has ``article`` open now.

        A person still there keeps the time they opened it; one who had left
        (or never came) starts again from now.
        """
        now = now or timezone.now()
        staying = (
            self.filter(article=article, user=user).active(now=now).update(seen_at=now)
        )
        if not staying:
            self.bulk_create(
                [self.model(article=article, user=user, opened_at=now, seen_at=now)],
                update_conflicts=True,
                unique_fields=["article", "user"],
                update_fields=["opened_at", "seen_at"],
            )

    def leave(self, *, article, user):
        """Forget that ``user`` has ``article`` open."""
        self.filter(article=article, user=user).delete()

    def others(self, *, article, user, now=None):
        """Return who else has ``article`` open, earliest first, with their accounts."""
        return (
            self.filter(article=article)
            .active(now=now)
            .exclude(user=user)
            .select_related("user")
            .order_by("opened_at", "pk")
        )


class EditingPresence(models.Model):
    """One person having one article open in the edit form."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="presences"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    opened_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    objects = EditingPresenceQuerySet.as_manager()

    class Meta:
        verbose_name = "person editing"
        verbose_name_plural = "people editing"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="editing_presence_once_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.user} editing {self.article_id}"

    @property
    def since(self):
        """Return when they opened it: "09:42" today, else with the date."""
        opened = timezone.localtime(self.opened_at)
        if opened.date() == timezone.localdate():
            return formats.time_format(opened, "H:i")
        return display.moment(self.opened_at)

    def notice(self):
        """Return the sentence the edit form shows about this person."""
        return (
            f"{display.person(self.user)} has had this article open since {self.since}."
        )
