"""Two sending runs at once, on PostgreSQL with real threads: each email goes once.

SQLite has no row locks, so this runs only on PostgreSQL (as CI does).
"""

import pytest
from django.db import connection

from notifications import sending
from notifications.models import Notification
from reviews import services
from tests import builders
from tests.articles.test_races import race

from . import backends
from .conftest import DOWN

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; CI runs this file there",
    ),
]


def test_two_runs_at_once_send_each_waiting_email_once(settings):
    team = builders.make_team()
    others = [
        builders.make_user(
            f"reviewer{n}", "Reviewers", reviewer=builders.make_reviewer()
        )
        for n in range(3)
    ]
    article = builders.make_article("Racing article", slug="racing-article")
    settings.MAILERS = DOWN
    services.submit(article=article, by=team.editor)  # to all five reviewers
    assert Notification.objects.filter(sent_at__isnull=True).count() == 5

    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.backends.SlowBackend"}
    }
    backends.sent.clear()
    first, second = race(sending.send, sending.send)

    assert not isinstance(first, Exception), first
    assert not isinstance(second, Exception), second
    assert len(first.sent) + len(second.sent) == 5
    addresses = sorted(address for email in backends.sent for address in email.to)
    assert addresses == sorted(
        user.email for user in [team.clinician, team.lay, *others]
    )
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    # While the server was down the first email was tried and the other four
    # were left untried; then each was tried once more, by one run only.
    attempts = sorted(Notification.objects.values_list("attempts", flat=True))
    assert attempts == [1, 1, 1, 1, 2]
