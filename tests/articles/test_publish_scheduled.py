import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import workflow
from articles.models import Article, ScheduledPublication
from reviews import services
from tests import builders

HOUR = datetime.timedelta(hours=1)


def publish_scheduled(*args, now=None):
    """Run the command, as if it were ``now`` when given; return what it printed."""
    out = StringIO()
    if now is not None:
        args = (*args, "--now", now.isoformat())
    call_command("publish_scheduled", *args, stdout=out)
    return out.getvalue()


def schedule(article, team, *, go_live_at):
    """Send the draft for review, have it approved and schedule it."""
    builders.submit(article, team)
    builders.approve_all(article, team)
    services.schedule(article=article, by=team.publisher, go_live_at=go_live_at)
    return ScheduledPublication.objects.get(article=article)


@pytest.fixture
def go_live_at():
    return timezone.now() + 2 * HOUR


@pytest.mark.django_db
def test_an_article_not_yet_due_is_left_alone(draft, team, go_live_at):
    schedule(draft, team, go_live_at=go_live_at)

    output = publish_scheduled(now=go_live_at - HOUR)

    assert output == "Nothing is scheduled to go live.\n"
    draft.refresh_from_db()
    assert not draft.is_live
    assert ScheduledPublication.objects.filter(article=draft).exists()


@pytest.mark.django_db
def test_a_due_article_goes_live_once_with_the_scheduled_revision(
    draft, team, go_live_at
):
    scheduled = schedule(draft, team, go_live_at=go_live_at)

    output = publish_scheduled(now=go_live_at)

    assert output == "Published “Breast cancer recurrence”.\n"
    draft.refresh_from_db()
    assert builders.live_revision_id(draft) == scheduled.revision_id
    assert draft.last_published_at == go_live_at
    move = draft.transitions.latest()
    assert (move.action, move.comment, move.revision_id, move.user) == (
        "publish",
        "Published as scheduled",
        scheduled.revision_id,
        team.publisher,
    )
    assert not ScheduledPublication.objects.exists()

    assert publish_scheduled(now=go_live_at + HOUR) == (
        "Nothing is scheduled to go live.\n"
    )
    assert draft.transitions.filter(action="publish").count() == 1


@pytest.mark.django_db
def test_an_edit_after_scheduling_does_not_change_what_goes_live(
    draft, team, go_live_at
):
    scheduled = schedule(draft, team, go_live_at=go_live_at)
    builders.edit_section(draft, user=team.editor, body="<p>Not reviewed yet.</p>")

    publish_scheduled(now=go_live_at)

    draft.refresh_from_db()
    assert builders.live_revision_id(draft) == scheduled.revision_id
    assert builders.current(draft).pk != scheduled.revision_id
    assert builders.state_of(draft) == workflow.State.DRAFT
    assert Article.objects.get(pk=draft.pk).has_unpublished_changes


@pytest.mark.django_db
def test_unpublishing_removes_the_schedule(article, team, go_live_at):
    builders.edit_section(article, user=team.editor)
    schedule(article, team, go_live_at=go_live_at)

    workflow.unpublish(article, by=team.publisher, comment="Out of date.")

    assert not ScheduledPublication.objects.exists()
    assert publish_scheduled(now=go_live_at) == "Nothing is scheduled to go live.\n"
    article.refresh_from_db()
    assert not article.is_live


@pytest.mark.django_db
def test_a_refused_publication_is_reported_with_the_reason(draft, team, go_live_at):
    schedule(draft, team, go_live_at=go_live_at)
    team.publisher.groups.remove(Group.objects.get(name="Publishers"))

    output = publish_scheduled(now=go_live_at)

    assert output == (
        "Not published “Breast cancer recurrence”: You do not have permission for "
        "this: it needs a publisher.\n"
    )
    draft.refresh_from_db()
    assert not draft.is_live
    assert ScheduledPublication.objects.filter(article=draft).exists()


@pytest.mark.django_db
def test_dry_run_lists_what_is_due_and_publishes_nothing(draft, team, go_live_at):
    schedule(draft, team, go_live_at=go_live_at)

    output = publish_scheduled("--dry-run", now=go_live_at)

    assert output == (
        "Would publish “Breast cancer recurrence”.\nDry run: nothing was published.\n"
    )
    draft.refresh_from_db()
    assert not draft.is_live
    assert ScheduledPublication.objects.filter(article=draft).exists()
    assert not draft.transitions.filter(action="publish").exists()


@pytest.mark.django_db
def test_without_now_it_uses_the_current_time(draft, team, monkeypatch):
    go_live_at = timezone.now() + HOUR
    schedule(draft, team, go_live_at=go_live_at)
    monkeypatch.setattr(timezone, "now", lambda: go_live_at + HOUR)

    assert publish_scheduled() == "Published “Breast cancer recurrence”.\n"


@pytest.mark.django_db
def test_a_local_time_without_an_offset_is_read_as_local(draft, team, go_live_at):
    schedule(draft, team, go_live_at=go_live_at)
    local = timezone.localtime(go_live_at).replace(tzinfo=None)

    output = publish_scheduled("--now", local.isoformat())

    assert output == "Published “Breast cancer recurrence”.\n"


@pytest.mark.django_db
def test_an_invalid_now_is_refused():
    with pytest.raises(CommandError, match="Give it as YYYY-MM-DDTHH:MM"):
        call_command("publish_scheduled", "--now", "tomorrow morning")
