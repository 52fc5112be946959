"""The database going away in the middle of a save or a publish: the editor gets the
"try again shortly" page, nothing is half written, and trying again works.

Each test has the database stop answering at one statement of the request and at
every statement after it, for each statement in turn, from the first to the last,
then lets the request through. Run on SQLite and, with DATABASE_URL, on PostgreSQL:
the transactions are real (``transaction=True``), as in production.
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from articles import revisions
from articles.models import Action, Article, Section, Transition
from notifications.models import Notification
from tests import builders
from tests.articles.admin_forms import article_form_data, section_rows

# Everything a save or a publish may write, row by row.
WRITTEN_BY_THE_SITE = {
    "articles",
    "reversion",
    "plainenglish",
    "reviews",
    "notifications",
    "admin",
}
# Bookkeeping of the request itself, not of the content.
NOT_CONTENT = {"articles.editingpresence"}


class DatabaseGoesAway:
    """An execute wrapper: statements run until ``after`` of them have, then each
    one fails as a lost connection does."""

    def __init__(self, after):
        self.after = after
        self.seen = 0
        self.failed = False

    def __call__(self, execute, sql, params, many, context):
        self.seen += 1
        if self.seen > self.after:
            self.failed = True
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def everything_stored():
    """Return every row the site keeps about content, by model, in order."""
    return {
        model._meta.label_lower: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in WRITTEN_BY_THE_SITE
        and model._meta.label_lower not in NOT_CONTENT
        and not model._meta.proxy
    }


def interrupted_at_every_statement(send, *, most=1000):
    """Send the request with the database going away after 0, 1, 2, ... statements,
    checking each time that the answer is the 503 page and nothing changed, until
    the request's work is done (committed); return that answer and how many
    requests were interrupted.

    Once the work is committed the editor is told it is done, even if the
    database goes away while the e-mails it leads to are being sent (they stay
    recorded, for ``send_notifications`` to send later).
    """
    before = everything_stored()
    for after in range(most):
        gone = DatabaseGoesAway(after)
        with connection.execute_wrapper(gone):
            response = send()
        if response.status_code != 503:
            return response, after
        assert response["Retry-After"] == "30"
        assert "Sorry, this page is not available just now" in response.text
        assert everything_stored() == before, f"written before statement {after + 1}"
    raise AssertionError(f"the request did not finish within {most} statements")


def signed_in(user):
    # An error the site turns into a page is what the editor sees; the test
    # client would raise it instead.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_interrupted_anywhere_writes_nothing_and_a_retry_saves(
    article, team, admin_user
):
    before = Article.objects.get(pk=article.pk)
    live = builders.live_revision_id(article)
    rows = section_rows(article)
    rows[0]["body"] = "<p>New advice on what to look out for.</p>"
    rows[2]["DELETE"] = True
    rows.append(
        {"heading": "Where to get help", "body": "<p>Ask your nurse.</p>", "order": 3}
    )
    data = article_form_data(
        article, title="Recurrence of breast cancer", sections=rows
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    client = signed_in(admin_user)

    response, interrupted = interrupted_at_every_statement(
        lambda: client.post(url, data)
    )

    assert interrupted > 20  # the save's own writes were among those interrupted
    assert response.status_code == 302, response.text[:2000]
    after = Article.objects.get(pk=article.pk)
    assert after.title == "Recurrence of breast cancer"
    assert [s.heading for s in Section.objects.filter(article=article)] == [
        "Section heading 1",
        "Section heading 2",
        "Where to get help",
    ]
    assert Section.objects.filter(article=article).first().body == (
        "<p>New advice on what to look out for.</p>"
    )
    current = revisions.current_revision(after)
    assert after.latest_revision_id == current.pk != before.latest_revision_id
    assert current.number == 2
    assert after.versions.get(number=2).readability is not None
    assert builders.live_revision_id(article) == live


@pytest.mark.django_db(transaction=True)
def test_a_publish_interrupted_anywhere_leaves_the_live_page_and_a_retry_publishes(
    article, team
):
    builders.edit_section(article, user=team.editor, body="<p>Newer advice.</p>")
    builders.submit(article, team)
    builders.approve_all(article, team)
    live = builders.live_revision_id(article)
    draft = Article.objects.get(pk=article.pk).latest_revision_id
    public = Client().get(article.get_absolute_url()).text
    assert "Newer advice." not in public
    url = reverse("reviews:publish", args=[article.pk])
    client = signed_in(team.publisher)

    response, interrupted = interrupted_at_every_statement(
        lambda: client.post(url, {"review": "full", "comment": "Checked."})
    )

    assert interrupted > 20
    assert response.status_code == 302, response.text[:2000]
    assert builders.live_revision_id(article) == draft != live
    assert builders.state_of(article) == "published"
    assert "Newer advice." in Client().get(article.get_absolute_url()).text
    # The database went away while the e-mails were being sent, after the publish
    # was committed: they stay recorded, unsent, for send_notifications.
    published = Transition.objects.get(
        article=article, action=Action.PUBLISH, revision_id=draft
    )
    assert Notification.objects.filter(transition=published).exists()
    assert not Notification.objects.filter(
        transition=published, sent_at__isnull=False
    ).exists()
    call_command("send_notifications")
    assert not Notification.objects.filter(
        transition=published, sent_at__isnull=True
    ).exists()
