"""Approvals of exact revisions and the publishing policy."""

import datetime

import pytest
import reversion
from django.utils import timezone

from articles import revisions, workflow
from articles.models import Approval
from articles.workflow import State, TransitionError
from reviews import services
from tests import builders


def current(article):
    return revisions.current_revision(article)


@pytest.mark.django_db
def test_one_approval_leaves_the_article_in_review(draft, team):
    builders.submit(draft, team)
    services.approve(article=draft, revision=current(draft), by=team.clinician)
    assert builders.state_of(draft) == State.IN_REVIEW
    assert workflow.missing_for(builders.fresh(draft)) == [
        "1 approval from a person with lived experience"
    ]


@pytest.mark.django_db
def test_clinical_and_lay_approval_make_it_approved(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    assert builders.state_of(draft) == State.APPROVED
    approval = Approval.objects.get(reviewer=team.lay.reviewer_profile)
    assert approval.revision == current(draft)


@pytest.mark.django_db
def test_publishing_without_lay_approval_is_refused_naming_what_is_missing(draft, team):
    builders.submit(draft, team)
    services.approve(article=draft, revision=current(draft), by=team.clinician)
    with pytest.raises(TransitionError) as error:
        services.publish(article=draft, by=team.publisher)
    assert str(error.value) == (
        "This version cannot be published yet. It still needs 1 approval from a "
        "person with lived experience."
    )
    draft.refresh_from_db()
    assert not draft.is_live


@pytest.mark.django_db
def test_policy_comes_from_settings(draft, team, settings):
    settings.INFOSITE = {**settings.INFOSITE, "PUBLISHING_POLICY": {"clinical": 2}}
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    assert workflow.missing_for(builders.fresh(draft)) == [
        "1 approval from a clinical expert"
    ]
    assert builders.state_of(draft) == State.IN_REVIEW


@pytest.mark.django_db
def test_an_edit_makes_approvals_stale_but_keeps_them_on_record(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    builders.edit_section(draft, user=team.editor)

    decisions = list(Approval.objects.filter(article=draft))
    assert len(decisions) == 2
    assert not any(decision.is_current for decision in decisions)
    assert workflow.missing_for(builders.fresh(draft)) == [
        "1 approval from a clinical expert",
        "1 approval from a person with lived experience",
    ]
    with pytest.raises(TransitionError, match="cannot be published yet"):
        services.publish(article=draft, by=team.publisher)


@pytest.mark.django_db
def test_approving_a_revision_that_is_no_longer_current_is_refused(draft, team):
    builders.submit(draft, team)
    seen = current(draft)
    builders.edit_section(draft, user=team.editor)
    builders.submit(draft, team)
    with pytest.raises(TransitionError, match="has changed since the version you read"):
        services.approve(article=draft, revision=seen, by=team.clinician)
    assert not Approval.objects.exists()


@pytest.mark.django_db
def test_nobody_approves_a_revision_with_their_own_edits(draft, team):
    from django.contrib.auth.models import Group

    team.clinician.groups.add(Group.objects.get(name="Editors"))
    builders.edit_section(draft, user=team.clinician)
    builders.submit(draft, team)
    with pytest.raises(TransitionError, match="You made some of the changes"):
        services.approve(article=draft, revision=current(draft), by=team.clinician)
    assert not Approval.objects.exists()


@pytest.mark.django_db
def test_editors_and_publishers_cannot_approve(draft, team):
    builders.submit(draft, team)
    for user in (team.editor, team.publisher):
        with pytest.raises(TransitionError, match="needs a reviewer"):
            services.approve(article=draft, revision=current(draft), by=user)
    assert not Approval.objects.exists()


@pytest.mark.django_db
def test_requesting_changes_sends_it_back_to_draft_with_the_comment(draft, team):
    builders.submit(draft, team)
    services.request_changes(
        article=draft,
        revision=current(draft),
        by=team.lay,
        comment="Explain 'metastatic'.",
    )
    assert builders.state_of(draft) == State.DRAFT
    transition = draft.transitions.latest()
    assert (transition.action, transition.user, transition.comment) == (
        "request_changes",
        team.lay,
        "Explain 'metastatic'.",
    )


@pytest.mark.django_db
def test_requesting_changes_needs_a_comment(draft, team):
    builders.submit(draft, team)
    with pytest.raises(TransitionError, match="Say what needs to change"):
        services.request_changes(
            article=draft, revision=current(draft), by=team.lay, comment=" "
        )
    assert builders.state_of(draft) == State.IN_REVIEW


@pytest.mark.django_db
def test_a_later_change_request_cancels_the_same_reviewers_approval(draft, team):
    builders.submit(draft, team)
    services.approve(article=draft, revision=current(draft), by=team.clinician)
    services.request_changes(
        article=draft,
        revision=current(draft),
        by=team.clinician,
        comment="Second thoughts",
    )
    assert (
        workflow.counting_approvals(draft, builders.fresh(draft).content_fingerprint)
        == []
    )


@pytest.mark.django_db
def test_confirming_the_live_page_resets_dates_once_all_reviewers_confirm(
    article, team
):
    services.confirm_still_accurate(article=article, by=team.clinician)
    article.refresh_from_db()
    assert article.reviewed_on == datetime.date(2023, 7, 1)
    assert workflow.missing_confirmations(article) == [
        "1 approval from a person with lived experience"
    ]

    services.confirm_still_accurate(article=article, by=team.lay, comment="Still right")
    article.refresh_from_db()
    today = timezone.localdate()
    assert article.reviewed_on == today
    assert article.next_review_on == today.replace(year=today.year + 3)
    assert (
        builders.live_revision_id(article) == current(article).pk
    )  # no new edit, same live page
    assert article.transitions.latest().action == "confirm_review"


@pytest.mark.django_db
def test_confirming_is_refused_when_there_are_unpublished_changes(article, team):
    builders.edit_section(article, user=team.editor)
    with pytest.raises(TransitionError, match="no unpublished changes"):
        services.confirm_still_accurate(article=article, by=team.clinician)
    assert not Approval.objects.filter(decision="confirmed").exists()


@pytest.mark.django_db
def test_scheduling_needs_the_approvals_too(draft, team):
    builders.submit(draft, team)
    with pytest.raises(TransitionError, match="cannot be scheduled yet"):
        services.schedule(
            article=draft,
            by=team.publisher,
            go_live_at=timezone.now() + datetime.timedelta(days=1),
        )


@pytest.mark.django_db
def test_the_public_page_shows_the_live_revision_while_a_draft_changes(
    client, article, team
):
    builders.edit_section(article, user=team.editor, body="<p>Brand new advice.</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Body text of section 1." in html
    assert "Brand new advice." not in html

    builders.publish(article, team)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Brand new advice." in html


@pytest.mark.django_db
def test_drafts_never_reach_readers_or_the_sitemap(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    assert draft.title not in client.get("/").content.decode()
    assert (
        draft.title not in client.get(draft.topic.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_an_unpublished_page_is_gone_and_leaves_the_sitemap(client, article, team):
    workflow.unpublish(article, by=team.publisher, comment="Withdrawn.")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "This page has been removed" in response.content.decode()
    assert article.get_absolute_url() not in client.get("/sitemap.xml").content.decode()


@pytest.mark.django_db
def test_approving_the_same_version_twice_is_refused(draft, team):
    builders.submit(draft, team)
    services.approve(article=draft, revision=current(draft), by=team.clinician)
    with pytest.raises(TransitionError, match="already recorded"):
        services.approve(article=draft, revision=current(draft), by=team.clinician)
    assert Approval.objects.count() == 1


@pytest.mark.django_db
def test_comparison_shows_reordered_sections(draft):
    from articles import compare

    old = current(draft)
    with reversion.create_revision():
        first = draft.sections.first()
        first.order = 99
        first.save()
    result = compare.compare(draft, old.pk, current(draft).pk)
    assert [c.label for c in result.changes if c.is_reordered] == ["Order of sections"]


@pytest.mark.django_db
def test_each_decision_counts_as_the_kind_of_reviewer_who_made_it(draft, team):
    clinician = team.clinician.reviewer_profile
    builders.submit(draft, team)
    services.approve(article=draft, revision=current(draft), by=team.clinician)
    # A publisher later records the clinician as a person with lived experience.
    clinician.kind = "lived_experience"
    clinician.save()

    services.approve(article=draft, revision=current(draft), by=team.lay)

    # The approval made as a clinical expert still fills the clinical place.
    assert builders.state_of(draft) == State.APPROVED
    assert workflow.missing_for(builders.fresh(draft)) == []

    # A decision made after the change counts as the kind they are now.
    builders.edit_section(draft, user=team.editor)
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    assert builders.state_of(draft) == State.IN_REVIEW
    assert workflow.missing_for(builders.fresh(draft)) == [
        "1 approval from a clinical expert"
    ]
    with pytest.raises(TransitionError, match="needs 1 approval from a clinical"):
        services.publish(article=draft, by=team.publisher)


@pytest.mark.django_db
def test_a_stricter_policy_stops_an_approved_version_going_live(draft, team, settings):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    settings.INFOSITE = {**settings.INFOSITE, "PUBLISHING_POLICY": {"clinical": 2}}

    with pytest.raises(TransitionError) as error:
        services.publish(article=draft, by=team.publisher)

    assert str(error.value) == (
        "This version cannot be published yet. It still needs 1 approval from a "
        "clinical expert."
    )
    assert not builders.fresh(draft).is_live


@pytest.mark.django_db
def test_unpublishing_needs_a_reason(article, team):
    with pytest.raises(TransitionError, match="Say why the page is coming off"):
        services.unpublish(article=article, by=team.publisher, comment="  ")
    assert builders.fresh(article).is_live
    assert article.transitions.latest().action == "publish"


@pytest.mark.django_db
def test_a_reviewer_who_asked_for_changes_decides_again_in_the_next_round(draft, team):
    builders.submit(draft, team)
    services.request_changes(
        article=draft, revision=current(draft), by=team.lay, comment="Too long."
    )
    builders.edit_section(draft, user=team.editor)
    builders.submit(draft, team)

    services.request_changes(
        article=draft, revision=current(draft), by=team.lay, comment="Still long."
    )

    asked = Approval.objects.filter(decision="changes_requested").order_by("pk")
    assert [a.comment for a in asked] == ["Too long.", "Still long."]
    assert asked[0].round != asked[1].round
    assert [a.round.action for a in asked] == ["submit", "submit"]
