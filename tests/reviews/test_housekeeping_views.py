"""Publishers' housekeeping in the review workspace: review dates, the overdue
confirmation, cancelling a schedule and unpublish dates."""

import datetime

import pytest
from django.utils import timezone

from articles.models import (
    Action,
    ScheduledPublication,
    ScheduledUnpublication,
    Transition,
)
from reviews import services
from tests import builders
from tests.reviews.test_views import post, text, workspace

GOOD_DATES = {
    "reviewed_on": "2023-07-03",
    "next_review_on": "2026-06-01",
    "reason": "The review finished on 3 July, not 1 July.",
}


@pytest.mark.django_db
def test_a_publisher_corrects_the_review_dates_in_the_workspace(client, article, team):
    response = post(client, team.publisher, "correct_dates", article, GOOD_DATES)

    assert "Review dates corrected: reviewed 3 July 2023, next review 1 June 2026." in (
        text(response)
    )
    article = builders.fresh(article)
    assert article.reviewed_on == datetime.date(2023, 7, 3)
    assert article.next_review_on == datetime.date(2026, 6, 1)
    move = Transition.objects.get(article=article, action=Action.CORRECT_DATES)
    assert "The review finished on 3 July, not 1 July." in move.comment
    # The history on the page shows the move and its reason.
    assert "Review dates corrected" in text(response)


@pytest.mark.django_db
def test_an_editor_cannot_correct_review_dates(client, article, team):
    response = post(
        client, team.editor, "correct_dates", article, GOOD_DATES, follow=False
    )
    assert response.status_code == 403
    assert builders.fresh(article).reviewed_on == datetime.date(2023, 7, 1)
    client.force_login(team.editor)
    assert "Correct the review dates" not in text(client.get(workspace(article)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({**GOOD_DATES, "next_review_on": "2023-07-01"}, "must come after"),
        (
            {**GOOD_DATES, "reviewed_on": "2999-01-01", "next_review_on": "2999-06-01"},
            "cannot be in the future",
        ),
        ({**GOOD_DATES, "next_review_on": "2027-01-01"}, "at most 3 years"),
        ({**GOOD_DATES, "reason": ""}, "Say why the review dates need correcting."),
        ({**GOOD_DATES, "reviewed_on": "31/02/2024"}, "Enter a real date"),
        ({**GOOD_DATES, "next_review_on": ""}, "Enter the date the next review"),
    ],
)
def test_bad_review_dates_are_refused_in_the_workspace(
    client, article, team, data, message
):
    response = post(client, team.publisher, "correct_dates", article, data)

    assert response.status_code in (400, 409)
    assert message in text(response)
    assert "Nothing was changed." in text(response)
    article = builders.fresh(article)
    assert article.reviewed_on == datetime.date(2023, 7, 1)
    assert article.next_review_on == datetime.date(2026, 7, 1)


@pytest.fixture
def approved_overdue(article, team):
    """A live article whose review was due on 1 July 2026, with a new approved
    version; overdue on any day after that."""
    builders.edit_section(article, user=team.editor)
    builders.submit(article, team)
    builders.approve_all(article, team)
    return builders.fresh(article)


@pytest.fixture
def after_due(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 7, 2))


@pytest.mark.django_db
def test_an_overdue_minor_correction_asks_for_the_confirmation(
    client, approved_overdue, team, after_due
):
    client.force_login(team.publisher)
    assert "A full review is not needed now" in text(
        client.get(workspace(approved_overdue))
    )
    live_before = builders.live_revision_id(approved_overdue)

    refused = post(
        client, team.publisher, "publish", approved_overdue, {"review": "minor"}
    )

    assert refused.status_code == 409
    assert "tick the box to confirm that a full review is not needed" in text(refused)
    assert builders.live_revision_id(approved_overdue) == live_before

    published = post(
        client,
        team.publisher,
        "publish",
        approved_overdue,
        {"review": "minor", "full_review_not_needed": "on"},
    )
    assert "Readers now see this version" in text(published)
    assert builders.live_revision_id(approved_overdue) != live_before


@pytest.mark.django_db
def test_the_confirmation_is_not_asked_before_the_review_is_due(
    client, approved_overdue, team, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 6, 30))
    client.force_login(team.publisher)
    assert "A full review is not needed now" not in text(
        client.get(workspace(approved_overdue))
    )


@pytest.fixture
def scheduled(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    services.schedule(
        article=draft,
        by=team.publisher,
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    return draft


@pytest.mark.django_db
def test_a_publisher_cancels_a_schedule_in_the_workspace(client, scheduled, team):
    response = post(
        client, team.publisher, "cancel_schedule", scheduled, {"comment": "Wait"}
    )

    assert "The scheduled publication is cancelled." in text(response)
    assert not ScheduledPublication.objects.filter(article=scheduled).exists()
    assert Transition.objects.filter(
        article=scheduled, action=Action.CANCEL_SCHEDULE, user=team.publisher
    ).exists()
    assert "Schedule cancelled" in text(response)


@pytest.mark.django_db
def test_an_editor_cannot_cancel_a_schedule_in_the_workspace(client, scheduled, team):
    response = post(client, team.editor, "cancel_schedule", scheduled, follow=False)
    assert response.status_code == 403
    assert ScheduledPublication.objects.filter(article=scheduled).exists()


@pytest.mark.django_db
def test_a_publisher_sets_and_clears_an_unpublish_date(client, article, team):
    year = timezone.localdate().year + 1
    response = post(
        client,
        team.publisher,
        "set_expiry",
        article,
        {"unpublish_at": f"{year}-03-01T09:00"},
    )

    assert f"The page will come off the public site on 1 March {year}, 09:00." in (
        text(response)
    )
    assert "Unpublish date" in text(response)
    expiry = ScheduledUnpublication.objects.get(article=article)
    assert timezone.localtime(expiry.unpublish_at).hour == 9
    assert expiry.scheduled_by == team.publisher

    cleared = post(client, team.publisher, "clear_expiry", article)
    assert "The unpublish date is cleared" in text(cleared)
    assert not ScheduledUnpublication.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value, message",
    [("2001-01-01T09:00", "Choose a time in the future"), ("soon", "real date")],
)
def test_a_bad_unpublish_date_is_refused(client, article, team, value, message):
    response = post(
        client, team.publisher, "set_expiry", article, {"unpublish_at": value}
    )
    assert response.status_code in (400, 409)
    assert message in text(response)
    assert not ScheduledUnpublication.objects.exists()


@pytest.mark.django_db
def test_an_editor_cannot_set_an_unpublish_date(client, article, team):
    response = post(
        client,
        team.editor,
        "set_expiry",
        article,
        {"unpublish_at": "2099-03-01T09:00"},
        follow=False,
    )
    assert response.status_code == 403
    assert not ScheduledUnpublication.objects.exists()
