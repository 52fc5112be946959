"""The publication core as editors, reviewers and readers meet it: what is live
equals what was approved, decisions keep the reviewer as they were, and the
admin and workspace show the stored state."""

import pytest
import reversion
from django.urls import reverse

from articles import workflow
from articles.content import ArticleContent
from articles.models import Approval, Article, ArticleReference, Reviewer
from tests import builders
from tests.articles.admin_forms import article_form_data, change_url


@pytest.mark.django_db
def test_every_published_copy_equals_the_revision_that_was_approved(draft, team):
    """Edits to every kind of approved content, then publish: the live copy holds
    exactly what the approved revision was fingerprinted as when it was saved."""
    other = builders.publish(builders.make_article("Other article"), team)
    extra = builders.make_reference("Familial breast cancer")
    writer = builders.make_reviewer("Sample Second Writer", kind="editorial")
    with reversion.create_revision():
        draft.title = "Breast cancer that comes back"
        draft.save()
        draft.related_articles.add(other)
        section = draft.sections.first()
        section.body = '<p>See <a href="https://www.nhs.uk/">the NHS</a>.</p>'
        section.save()
        ArticleReference.objects.create(article=draft, reference=extra, order=9)
        draft.credits.create(reviewer=writer, role="wrote", order=9)
    builders.publish(draft, team)

    for article in Article.objects.published():
        live = article.live
        saved = article.versions.get(revision_id=live.revision_id)
        assert ArticleContent.from_published(live).fingerprint == saved.fingerprint
        assert live.fingerprint == saved.fingerprint
    live = Article.objects.get(pk=draft.pk).live
    assert live.title == "Breast cancer that comes back"
    assert list(live.related.all()) == [other]
    assert "Familial breast cancer" in [r.title for r in live.references.all()]


@pytest.mark.django_db
def test_the_page_credits_approvers_as_they_were_when_they_approved(client, article):
    clinician = Approval.objects.filter(article=article, reviewer_kind="clinical")
    reviewer = clinician.first().reviewer
    name = reviewer.name
    reviewer.name = "Dr Renamed Later"
    reviewer.credentials = "Retired"
    reviewer.save()

    page = client.get(article.get_absolute_url()).content.decode()
    approved_by = page[page.index("<dt>Approved by</dt>") :]
    approved_by = approved_by[: approved_by.index("</dl>")]
    assert name in approved_by
    assert "Dr Renamed Later" not in page


@pytest.mark.django_db
def test_a_reviewers_kind_changed_later_does_not_change_what_their_decision_counts(
    draft, team
):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    assert builders.state_of(draft) == workflow.State.APPROVED
    lay = Reviewer.objects.get(user=team.lay)
    lay.kind = Reviewer.Kind.CLINICAL
    lay.save()

    draft = builders.fresh(draft)
    assert workflow.missing_for(draft) == []
    workflow.publish(draft, by=team.publisher, is_full_review=True)
    kinds = sorted(c["kind"] for c in builders.fresh(draft).live.credits)
    assert "lived_experience" in kinds


@pytest.mark.django_db
def test_a_lay_reviewer_turned_clinical_cannot_fill_the_clinical_slot(draft, team):
    """The kind counted is the one the reviewer had when they decided, so a
    decision made as a lay reviewer never counts as a clinical approval."""
    builders.submit(draft, team)
    revision = builders.current(draft)
    workflow.approve(draft, by=team.lay, revision=revision)
    Reviewer.objects.filter(user=team.lay).update(kind=Reviewer.Kind.CLINICAL)
    assert workflow.missing_for(builders.fresh(draft)) == [
        "1 approval from a clinical expert"
    ]


@pytest.mark.django_db
def test_a_crafted_save_without_the_starting_version_is_refused(editor_client, article):
    data = article_form_data(article, summary="Sneaked in.")
    del data["base_revision"]
    versions = article.versions.count()

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 200
    assert "did not say which version you started from" in response.content.decode()
    assert builders.fresh(article).summary != "Sneaked in."
    assert article.versions.count() == versions


@pytest.mark.django_db
def test_the_article_list_shows_and_filters_by_status(
    editor_client, article, draft, team
):
    other = builders.make_article("Waiting article")
    builders.submit(other, team)
    url = reverse("admin:articles_article_changelist")

    page = editor_client.get(url).content.decode()
    assert "Status" in page
    assert "In review" in page

    def titles(state):
        response = editor_client.get(url, {"state": state})
        return [a.title for a in response.context["cl"].result_list]

    assert titles("in_review") == ["Waiting article"]
    assert titles("published") == [article.title]


@pytest.mark.django_db
def test_an_editor_cannot_change_a_reviewers_kind_or_account(client, team):
    reviewer = Reviewer.objects.get(user=team.lay)
    url = reverse("admin:articles_reviewer_change", args=[reviewer.pk])
    data = {
        "name": reviewer.name,
        "credentials": "",
        "kind": "clinical",
        "user": team.lay.pk,
    }
    client.force_login(team.editor)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Only a publisher can change" in response.content.decode()
    assert Reviewer.objects.get(pk=reviewer.pk).kind == "lived_experience"

    client.force_login(team.publisher)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Reviewer.objects.get(pk=reviewer.pk).kind == "clinical"


@pytest.mark.django_db
def test_an_editor_cannot_link_a_new_reviewer_to_an_account(client, team):
    client.force_login(team.editor)
    response = client.post(
        reverse("admin:articles_reviewer_add"),
        {
            "name": "Dr Fake",
            "credentials": "",
            "kind": "clinical",
            "user": team.editor.pk,
        },
    )
    assert response.status_code == 200
    assert "Only a publisher can change" in response.content.decode()
    assert not Reviewer.objects.filter(name="Dr Fake").exists()


def rounds(article, team, count):
    """Edit the live article and send it for review ``count`` times, changes asked
    each time but the last."""
    builders.edit_section(article, user=team.editor, body="<p>First take.</p>")
    for number in range(count):
        builders.submit(article, team)
        if number < count - 1:
            workflow.request_changes(
                article,
                by=team.clinician,
                revision=builders.current(article),
                comment=f"Round {number}",
            )
            builders.edit_section(
                article, user=team.editor, body=f"<p>Take {number}.</p>"
            )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("role", ["clinician", "publisher"])
def test_the_workspace_costs_the_same_whatever_the_number_of_rounds(
    client, article, team, count, role, django_assert_max_num_queries
):
    rounds(article, team, count)
    client.force_login(getattr(team, role))
    # The same bound for one round and six: nothing is read per round. (A
    # publisher's unpublish form also names the live pages linking here.)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("reviews:article", kwargs={"pk": article.pk}))
    assert response.status_code == 200
    assert "What changed" in response.content.decode()
