"""Each move is one door: it checks role, state and policy inside the move."""

import datetime

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Approval, Article, ScheduledPublication, Transition
from tests import builders

LATER = timezone.make_aware(datetime.datetime(2031, 3, 2, 9, 0))


def approved(article, team):
    builders.submit(article, team)
    builders.approve_all(article, team)
    return Article.objects.get(pk=article.pk)


@pytest.mark.django_db
def test_requesting_changes_cancels_a_schedule(draft, team):
    article = approved(draft, team)
    now = timezone.make_aware(datetime.datetime(2030, 3, 2, 9, 0))
    workflow.schedule(article, by=team.publisher, go_live_at=LATER, now=now)
    assert ScheduledPublication.objects.filter(article=article).exists()

    workflow.request_changes(
        article,
        by=team.clinician,
        revision=builders.current(article),
        comment="The dose in section 2 is out of date.",
    )

    assert not ScheduledPublication.objects.filter(article=article).exists()
    assert Article.objects.get(pk=article.pk).state == workflow.State.DRAFT


@pytest.mark.django_db
def test_a_schedule_more_than_two_years_ahead_is_refused(draft, team):
    article = approved(draft, team)
    now = timezone.make_aware(datetime.datetime(2030, 3, 2, 9, 0))
    with pytest.raises(workflow.TransitionError, match="within 2 years"):
        workflow.schedule(
            article,
            by=team.publisher,
            go_live_at=now + datetime.timedelta(days=3 * 365),
            now=now,
        )
    assert not ScheduledPublication.objects.filter(article=article).exists()


@pytest.mark.django_db
def test_the_scheduled_go_live_checks_the_policy_again(draft, team, settings):
    article = approved(draft, team)
    now = timezone.make_aware(datetime.datetime(2030, 3, 2, 9, 0))
    workflow.schedule(article, by=team.publisher, go_live_at=LATER, now=now)
    # The organisation now also needs the editorial team's approval.
    settings.INFOSITE = {
        **settings.INFOSITE,
        "PUBLISHING_POLICY": {"clinical": 1, "lived_experience": 1, "editorial": 1},
    }

    results = workflow.publish_due(now=LATER)

    assert results == [
        (
            article,
            "This version cannot be published yet. It still needs 1 approval "
            "from the editorial team.",
        )
    ]
    assert not Article.objects.get(pk=article.pk).is_live


@pytest.mark.django_db
def test_a_confirmation_for_a_future_day_is_refused(article, team):
    with pytest.raises(workflow.TransitionError, match="future"):
        workflow.confirm_review(
            article,
            by=team.clinician,
            day=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert not Approval.objects.filter(decision="confirmed").exists()


@pytest.mark.django_db
def test_the_workflow_record_outlives_a_deleted_article(article):
    moves = Transition.objects.filter(article_id=article.pk).count()
    decisions = Approval.objects.filter(article_id=article.pk).count()
    assert moves and decisions
    pk = article.pk
    Article.objects.get(pk=pk).delete()

    assert Transition.objects.filter(article_id=pk).count() == moves
    assert Approval.objects.filter(article_id=pk).count() == decisions
