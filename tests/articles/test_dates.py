"""Publishers' date moves: correcting review dates, confirming a minor correction
of an overdue article, cancelling a schedule and unpublish dates (expiry)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.models import (
    Action,
    Article,
    ScheduledPublication,
    ScheduledUnpublication,
    Transition,
)
from tests import builders
from tests.races import race

DAY = datetime.date(2026, 3, 3)
NOON = datetime.datetime(2026, 3, 3, 12, 0, tzinfo=datetime.UTC)


def correct(article, by, reviewed_on, next_review_on, reason="Typed wrongly"):
    return workflow.correct_review_dates(
        article,
        by=by,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
        reason=reason,
        today=DAY,
    )


# Correcting review dates.


@pytest.mark.django_db
def test_a_publisher_corrects_the_review_dates_with_a_recorded_reason(article, team):
    move = correct(
        article,
        team.publisher,
        datetime.date(2023, 7, 3),
        datetime.date(2026, 6, 1),
        reason="The review finished on 3 July",
    )

    article = builders.fresh(article)
    assert article.reviewed_on == datetime.date(2023, 7, 3)
    assert article.next_review_on == datetime.date(2026, 6, 1)
    recorded = Transition.objects.get(article=article, action=Action.CORRECT_DATES)
    assert recorded == move
    assert recorded.user == team.publisher
    assert "1 July 2023 → 3 July 2023" in recorded.comment
    assert "1 July 2026 → 1 June 2026" in recorded.comment
    assert "The review finished on 3 July" in recorded.comment
    # The article is still published: the move changes no state.
    assert article.state == workflow.State.PUBLISHED
    assert recorded.from_state == recorded.to_state == workflow.State.PUBLISHED


@pytest.mark.django_db
def test_an_editor_cannot_correct_the_review_dates(article, team):
    with pytest.raises(workflow.TransitionError, match="needs a publisher"):
        correct(
            article, team.editor, datetime.date(2023, 7, 3), datetime.date(2026, 6, 1)
        )
    article = builders.fresh(article)
    assert article.reviewed_on == datetime.date(2023, 7, 1)
    assert not Transition.objects.filter(action=Action.CORRECT_DATES).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reviewed_on, next_review_on, reason, message",
    [
        (datetime.date(2023, 7, 3), datetime.date(2023, 7, 3), "x", "must come after"),
        (datetime.date(2023, 7, 3), datetime.date(2023, 1, 1), "x", "must come after"),
        (datetime.date(2026, 3, 4), datetime.date(2027, 1, 1), "x", "in the future"),
        (datetime.date(2023, 7, 3), datetime.date(2026, 7, 4), "x", "at most 3 years"),
        (datetime.date(2023, 7, 3), datetime.date(2026, 6, 1), "  ", "Say why"),
        (datetime.date(2023, 7, 1), datetime.date(2026, 7, 1), "x", "already"),
    ],
)
def test_bad_review_dates_are_refused_and_nothing_changes(
    article, team, reviewed_on, next_review_on, reason, message
):
    with pytest.raises(workflow.TransitionError, match=message):
        correct(article, team.publisher, reviewed_on, next_review_on, reason=reason)
    article = builders.fresh(article)
    assert article.reviewed_on == datetime.date(2023, 7, 1)
    assert article.next_review_on == datetime.date(2026, 7, 1)
    assert not Transition.objects.filter(action=Action.CORRECT_DATES).exists()


@pytest.mark.django_db
def test_the_longest_interval_is_allowed(article, team):
    correct(
        article, team.publisher, datetime.date(2024, 2, 29), datetime.date(2027, 2, 28)
    )
    assert builders.fresh(article).next_review_on == datetime.date(2027, 2, 28)


# A minor correction of an overdue article.


@pytest.fixture
def approved_overdue(article, team):
    """A live article overdue since 1 July 2026, with an approved new version."""
    builders.edit_section(article, user=team.editor)
    builders.submit(article, team)
    builders.approve_all(article, team)
    return builders.fresh(article)


AFTER_DUE = datetime.datetime(2026, 7, 2, 9, 0, tzinfo=datetime.UTC)
BEFORE_DUE = datetime.datetime(2026, 6, 30, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_a_minor_correction_of_an_overdue_article_needs_the_confirmation(
    approved_overdue, team
):
    live_before = builders.live_revision_id(approved_overdue)
    with pytest.raises(workflow.TransitionError, match="tick the box to confirm"):
        workflow.publish(
            approved_overdue, by=team.publisher, is_full_review=False, now=AFTER_DUE
        )
    assert builders.live_revision_id(approved_overdue) == live_before

    move = workflow.publish(
        approved_overdue,
        by=team.publisher,
        is_full_review=False,
        full_review_not_needed=True,
        now=AFTER_DUE,
    )
    assert builders.live_revision_id(approved_overdue) != live_before
    assert "a full review is not needed" in move.comment
    assert builders.fresh(approved_overdue).next_review_on == datetime.date(2026, 7, 1)


@pytest.mark.django_db
def test_no_confirmation_is_needed_before_the_review_is_due_or_for_a_full_review(
    approved_overdue, team
):
    workflow.publish(
        approved_overdue, by=team.publisher, is_full_review=False, now=BEFORE_DUE
    )
    builders.edit_section(approved_overdue, user=team.editor, body="<p>Again.</p>")
    builders.submit(approved_overdue, team)
    builders.approve_all(approved_overdue, team)
    workflow.publish(
        approved_overdue, by=team.publisher, is_full_review=True, now=AFTER_DUE
    )
    assert builders.fresh(approved_overdue).reviewed_on == datetime.date(2026, 7, 2)


@pytest.mark.django_db
def test_scheduling_a_minor_correction_of_an_overdue_article_needs_the_confirmation(
    approved_overdue, team
):
    go_live_at = AFTER_DUE + datetime.timedelta(days=1)
    with pytest.raises(workflow.TransitionError, match="tick the box to confirm"):
        workflow.schedule(
            approved_overdue,
            by=team.publisher,
            go_live_at=go_live_at,
            is_full_review=False,
            now=AFTER_DUE,
        )
    assert not ScheduledPublication.objects.exists()


# Cancelling a schedule.


@pytest.fixture
def scheduled(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    workflow.schedule(
        draft,
        by=team.publisher,
        go_live_at=NOON + datetime.timedelta(days=1),
        now=NOON,
    )
    return builders.fresh(draft)


@pytest.mark.django_db
def test_a_publisher_cancels_a_schedule_and_it_is_recorded(scheduled, team):
    move = workflow.cancel_schedule(scheduled, by=team.publisher, comment="Not yet")

    assert not ScheduledPublication.objects.filter(article=scheduled).exists()
    assert move.action == Action.CANCEL_SCHEDULE
    assert move.user == team.publisher
    assert "Was to go live on 4 March 2026, 12:00." in move.comment
    assert "Not yet" in move.comment
    # Still approved: it can be published or scheduled again.
    assert builders.state_of(scheduled) == workflow.State.APPROVED
    assert workflow.publish_due(now=NOON + datetime.timedelta(days=2)) == []
    assert not builders.fresh(scheduled).is_live


@pytest.mark.django_db
def test_an_editor_cannot_cancel_a_schedule(scheduled, team):
    with pytest.raises(workflow.TransitionError, match="needs a publisher"):
        workflow.cancel_schedule(scheduled, by=team.editor)
    assert ScheduledPublication.objects.filter(article=scheduled).exists()


@pytest.mark.django_db
def test_cancelling_without_a_schedule_is_refused(article, team):
    with pytest.raises(workflow.TransitionError, match="nothing to cancel"):
        workflow.cancel_schedule(article, by=team.publisher)
    assert not Transition.objects.filter(action=Action.CANCEL_SCHEDULE).exists()


# Unpublish dates (expiry).


def run_command(now):
    out = StringIO()
    call_command("publish_scheduled", "--now", now.isoformat(), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_expired_page_is_unpublished_by_the_command_once(article, team):
    expires = NOON + datetime.timedelta(days=10)
    workflow.set_expiry(article, by=team.publisher, unpublish_at=expires, now=NOON)
    assert ScheduledUnpublication.objects.get(article=article).unpublish_at == expires

    assert "Unpublished" not in run_command(expires - datetime.timedelta(minutes=1))
    assert builders.fresh(article).is_live

    output = run_command(expires)

    assert "Unpublished “Breast cancer recurrence”" in output
    article = builders.fresh(article)
    assert not article.is_live
    assert article.was_unpublished
    taken_down = Transition.objects.get(article=article, action=Action.UNPUBLISH)
    assert taken_down.comment == "Expired"
    assert taken_down.user == team.publisher
    assert not ScheduledUnpublication.objects.exists()
    assert "Unpublished" not in run_command(expires + datetime.timedelta(hours=1))
    assert Transition.objects.filter(action=Action.UNPUBLISH).count() == 1


@pytest.mark.django_db
def test_a_dry_run_unpublishes_nothing(article, team):
    expires = NOON + datetime.timedelta(days=10)
    workflow.set_expiry(article, by=team.publisher, unpublish_at=expires, now=NOON)
    out = StringIO()
    call_command(
        "publish_scheduled", "--dry-run", "--now", expires.isoformat(), stdout=out
    )
    assert "Would unpublish “Breast cancer recurrence”" in out.getvalue()
    assert builders.fresh(article).is_live
    assert ScheduledUnpublication.objects.filter(article=article).exists()


@pytest.mark.django_db
def test_a_cleared_expiry_leaves_the_page_up(article, team):
    expires = NOON + datetime.timedelta(days=10)
    workflow.set_expiry(article, by=team.publisher, unpublish_at=expires, now=NOON)
    move = workflow.clear_expiry(article, by=team.publisher)

    assert move.action == Action.CLEAR_EXPIRY
    run_command(expires + datetime.timedelta(days=1))
    assert builders.fresh(article).is_live
    actions = list(
        Transition.objects.filter(article=article)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == [Action.SET_EXPIRY, Action.CLEAR_EXPIRY]


@pytest.mark.django_db
def test_unpublishing_by_hand_clears_the_expiry(article, team):
    workflow.set_expiry(
        article,
        by=team.publisher,
        unpublish_at=NOON + datetime.timedelta(days=1),
        now=NOON,
    )
    workflow.unpublish(article, by=team.publisher, comment="Withdrawn")
    assert not ScheduledUnpublication.objects.exists()


@pytest.mark.django_db
def test_an_expiry_whose_setter_is_no_longer_a_publisher_is_reported_not_done(
    article, team
):
    expires = NOON + datetime.timedelta(days=1)
    workflow.set_expiry(article, by=team.publisher, unpublish_at=expires, now=NOON)
    team.publisher.groups.clear()

    output = run_command(expires)

    assert "Not unpublished “Breast cancer recurrence”" in output
    assert builders.fresh(article).is_live


@pytest.mark.django_db
@pytest.mark.parametrize(
    "when, message",
    [(NOON, "in the future"), (NOON - datetime.timedelta(days=1), "in the future")],
)
def test_a_past_expiry_is_refused(article, team, when, message):
    with pytest.raises(workflow.TransitionError, match=message):
        workflow.set_expiry(article, by=team.publisher, unpublish_at=when, now=NOON)
    assert not ScheduledUnpublication.objects.exists()


@pytest.mark.django_db
def test_an_expiry_needs_a_page_that_is_or_will_be_live(draft, team):
    with pytest.raises(workflow.TransitionError, match="not on the public site"):
        workflow.set_expiry(
            draft,
            by=team.publisher,
            unpublish_at=NOON + datetime.timedelta(days=1),
            now=NOON,
        )
    assert not ScheduledUnpublication.objects.exists()


@pytest.mark.django_db
def test_an_expiry_before_the_scheduled_go_live_is_refused(scheduled, team):
    with pytest.raises(workflow.TransitionError, match="after the scheduled"):
        workflow.set_expiry(
            scheduled,
            by=team.publisher,
            unpublish_at=NOON + datetime.timedelta(hours=2),
            now=NOON,
        )
    workflow.set_expiry(
        scheduled,
        by=team.publisher,
        unpublish_at=NOON + datetime.timedelta(days=3),
        now=NOON,
    )
    assert ScheduledUnpublication.objects.filter(article=scheduled).exists()


@pytest.mark.django_db
def test_an_editor_cannot_set_an_expiry(article, team):
    with pytest.raises(workflow.TransitionError, match="needs a publisher"):
        workflow.set_expiry(
            article,
            by=team.editor,
            unpublish_at=NOON + datetime.timedelta(days=1),
            now=NOON,
        )
    assert not ScheduledUnpublication.objects.exists()


# Races, on PostgreSQL.


def _scheduled_article():
    team = builders.make_team()
    article = builders.make_article("Racing article", slug="racing-article")
    builders.submit(article, team)
    builders.approve_all(article, team)
    workflow.schedule(
        article,
        by=team.publisher,
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    return article, team


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this there",
)
def test_two_cancellations_at_once_record_one():
    article, team = _scheduled_article()
    results = race(
        lambda: workflow.cancel_schedule(article, by=team.publisher),
        lambda: workflow.cancel_schedule(article, by=team.publisher),
    )
    refused = [r for r in results if isinstance(r, workflow.TransitionError)]
    assert len(refused) == 1, results
    assert Transition.objects.filter(action=Action.CANCEL_SCHEDULE).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this there",
)
def test_the_command_and_a_publisher_clearing_the_expiry_at_once_agree():
    team = builders.make_team()
    article = builders.make_article("Expiring article", slug="expiring-article")
    builders.publish(article, team)
    now = timezone.now()
    workflow.set_expiry(
        article, by=team.publisher, unpublish_at=now + datetime.timedelta(minutes=5)
    )
    later = now + datetime.timedelta(minutes=6)
    results = race(
        lambda: workflow.unpublish_due(now=later),
        lambda: workflow.clear_expiry(article, by=team.publisher),
    )
    article = Article.objects.get(pk=article.pk)
    unpublished = Transition.objects.filter(action=Action.UNPUBLISH).count()
    cleared = Transition.objects.filter(action=Action.CLEAR_EXPIRY).count()
    # Either the page came off and there was nothing left to clear, or the
    # expiry was cleared first and the page stays up: never both, never neither.
    assert unpublished + cleared == 1, results
    assert article.is_live == bool(cleared)
    assert not ScheduledUnpublication.objects.exists()
