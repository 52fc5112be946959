"""Each workflow move: allowed, refused with a reason, and recorded against a revision."""

import datetime

import pytest
from django.utils import timezone

from articles import revisions, workflow
from articles.models import Article, ScheduledPublication, Transition
from articles.workflow import Action, State, TransitionError
from tests import builders


def state(article):
    return builders.state_of(Article.objects.get(pk=article.pk))


@pytest.mark.django_db
def test_a_new_article_is_a_draft(draft):
    assert state(draft) == State.DRAFT
    assert not draft.is_live


@pytest.mark.django_db
def test_editor_submits_a_draft_and_the_move_is_recorded(draft, team):
    transition = workflow.submit_for_review(draft, by=team.editor, comment="Ready")
    assert state(draft) == State.IN_REVIEW
    assert (transition.action, transition.from_state, transition.to_state) == (
        "submit",
        "draft",
        "in_review",
    )
    assert transition.user == team.editor
    assert transition.comment == "Ready"
    assert transition.revision == revisions.current_revision(draft)


@pytest.mark.django_db
def test_submitting_twice_is_refused_with_the_reason(draft, team):
    workflow.submit_for_review(draft, by=team.editor)
    with pytest.raises(TransitionError, match="Only a draft can be sent for review"):
        workflow.submit_for_review(draft, by=team.editor)
    assert Transition.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["clinician", "publisher"])
def test_only_editors_submit(draft, team, role):
    with pytest.raises(TransitionError, match="needs an editor"):
        workflow.submit_for_review(draft, by=getattr(team, role))
    assert state(draft) == State.DRAFT


@pytest.mark.django_db
def test_an_article_without_sections_cannot_be_submitted(topic, team):
    empty = builders.make_article(topic=topic, sections=0)
    with pytest.raises(TransitionError, match="at least one section"):
        workflow.submit_for_review(empty, by=team.editor)
    assert not Transition.objects.exists()


@pytest.mark.django_db
def test_any_edit_sends_the_article_back_to_draft(draft, team):
    builders.submit(draft, team)
    builders.edit_section(draft, user=team.editor)
    assert state(draft) == State.DRAFT


@pytest.mark.django_db
def test_saving_without_changing_content_keeps_the_state(draft, team):
    import reversion

    builders.submit(draft, team)
    with reversion.create_revision():
        article = Article.objects.get(pk=draft.pk)
        article.owner = team.editor  # not content: approvals stay valid
        article.save()
    assert revisions.current_revision(draft) != draft.transitions.get().revision
    assert state(draft) == State.IN_REVIEW


@pytest.mark.django_db
def test_publishing_points_the_live_page_at_the_approved_revision(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    approved = revisions.current_revision(draft)
    transition = workflow.publish(
        draft, by=team.publisher, is_full_review=False, full_review_not_needed=True
    )
    draft.refresh_from_db()
    assert builders.live_revision_id(draft) == approved.pk
    assert draft.first_published_at == draft.last_published_at
    assert transition.to_state == "published"
    assert state(draft) == State.PUBLISHED


@pytest.mark.django_db
def test_publishing_before_approval_is_refused(draft, team):
    builders.submit(draft, team)
    with pytest.raises(
        TransitionError, match="cannot be published yet. It still needs 1 approval"
    ):
        workflow.publish(draft, by=team.publisher)
    draft.refresh_from_db()
    assert not draft.is_live


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "clinician"])
def test_only_publishers_publish(draft, team, role):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    with pytest.raises(TransitionError, match="needs a publisher"):
        workflow.publish(draft, by=getattr(team, role))
    draft.refresh_from_db()
    assert not draft.is_live


@pytest.mark.django_db
def test_full_review_publishing_resets_the_review_dates(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    workflow.publish(draft, by=team.publisher, is_full_review=True)
    draft.refresh_from_db()
    today = timezone.localdate()
    assert draft.reviewed_on == today
    assert draft.next_review_on == today.replace(year=today.year + 3)


@pytest.mark.django_db
def test_minor_correction_keeps_the_review_dates(article, team):
    builders.edit_section(article, user=team.editor)
    builders.publish(article, team, is_full_review=False)
    article.refresh_from_db()
    assert article.reviewed_on == datetime.date(2023, 7, 1)
    assert article.next_review_on == datetime.date(2026, 7, 1)


@pytest.mark.django_db
def test_review_interval_is_a_setting(draft, team, settings):
    settings.INFOSITE = {**settings.INFOSITE, "REVIEW_INTERVAL_YEARS": 2}
    builders.publish(draft, team, is_full_review=True)
    today = timezone.localdate()
    assert draft.next_review_on == today.replace(year=today.year + 2)


def test_next_review_after_29_february_falls_on_28_february():
    assert workflow.next_review_after(datetime.date(2024, 2, 29)) == datetime.date(
        2027, 2, 28
    )


@pytest.mark.django_db
def test_unpublishing_takes_the_page_down_and_keeps_the_approvals(article, team):
    transition = workflow.unpublish(article, by=team.publisher, comment="Wrong dose")
    article.refresh_from_db()
    assert not article.is_live
    assert article.was_unpublished
    assert transition.to_state == "approved"
    assert state(article) == State.APPROVED


@pytest.mark.django_db
def test_unpublishing_a_page_that_is_not_live_is_refused(draft, team):
    with pytest.raises(TransitionError, match="not on the public site"):
        workflow.unpublish(draft, by=team.publisher, comment="Withdrawn.")


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_unpublishing_without_a_reason_is_refused_and_the_page_stays(
    client, article, team, reason
):
    with pytest.raises(TransitionError, match="Say why the page is coming off"):
        workflow.unpublish(article, by=team.publisher, comment=reason)
    article.refresh_from_db()
    assert article.is_live
    assert state(article) == State.PUBLISHED
    assert not article.transitions.filter(action=Action.UNPUBLISH).exists()
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_scheduling_in_the_past_is_refused(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    with pytest.raises(TransitionError, match="Choose a time in the future"):
        workflow.schedule(
            draft,
            by=team.publisher,
            go_live_at=timezone.now() - datetime.timedelta(hours=1),
        )
    assert not ScheduledPublication.objects.exists()


@pytest.mark.django_db
def test_scheduled_revision_goes_live_once_when_due(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    approved = revisions.current_revision(draft)
    go_live_at = timezone.now() + datetime.timedelta(days=1)
    workflow.schedule(
        draft,
        by=team.publisher,
        go_live_at=go_live_at,
        is_full_review=False,
        full_review_not_needed=True,
    )

    assert workflow.publish_due(now=go_live_at - datetime.timedelta(minutes=1)) == []
    assert [error for _, error in workflow.publish_due(now=go_live_at)] == [None]
    assert workflow.publish_due(now=go_live_at) == []
    draft.refresh_from_db()
    assert builders.live_revision_id(draft) == approved.pk
    assert draft.transitions.filter(action=Action.PUBLISH).count() == 1


@pytest.mark.django_db
def test_a_transition_that_fails_half_way_changes_nothing(draft, team, monkeypatch):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    transitions_before = Transition.objects.count()

    def broken_record(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(workflow, "_record", broken_record)
    with pytest.raises(RuntimeError):
        workflow.publish(draft, by=team.publisher, is_full_review=True)
    draft.refresh_from_db()
    assert builders.live_revision_id(draft) is None
    assert draft.reviewed_on == datetime.date(2023, 7, 1)
    assert Transition.objects.count() == transitions_before
