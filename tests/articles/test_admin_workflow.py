"""The article admin around the workflow: restoring, history, two editors, roles."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Revision, Version

from articles import revisions
from articles.models import Article, Section
from reviews import services
from tests import builders
from tests.articles.admin_forms import article_form_data, change_url, section_rows


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def version_count(article):
    return Version.objects.get_for_object(article).count()


def section_bodies(article):
    return [s.body for s in Section.objects.filter(article=article)]


def with_section_body(article, index, body):
    """Form data for the article as it is now, with one section's body changed."""
    rows = section_rows(article)
    rows[index]["body"] = body
    return article_form_data(article, sections=rows)


# Two editors at once


@pytest.mark.django_db
def test_a_save_from_a_stale_form_is_refused_showing_what_changed(team, article):
    team.editor.first_name, team.editor.last_name = "Sam", "Okafor"
    team.editor.save()
    first = signed_in(team.editor)
    second = signed_in(builders.make_user("second-editor", "Editors"))

    loaded = [client.get(change_url(article)) for client in (first, second)]
    bases = [page.context["adminform"].form["base_revision"].value() for page in loaded]
    assert bases == [revisions.current_revision(article).pk] * 2
    first_data = with_section_body(article, 0, "<p>Wording from the first editor.</p>")
    second_data = with_section_body(article, 2, "<p>Wording from the second one.</p>")

    response = first.post(change_url(article), first_data)
    assert response.status_code == 302
    assert version_count(article) == 2
    saved = section_bodies(article)

    response = second.post(change_url(article), second_data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Someone else saved this article while you were editing it" in errors
    assert "(Sam Okafor at " in errors
    assert "Your changes have not been saved yet" in errors
    page = response.content.decode()
    assert 'id="changed-meanwhile"' in page
    assert "<del>Body</del><ins>Wording</ins>" in page
    assert "<ins>editor.</ins>" in page
    # Nothing written: no revision, no row changed.
    assert version_count(article) == 2
    assert section_bodies(article) == saved
    # The refused form now starts from the other editor's save.
    refused_form = response.context["adminform"].form
    assert str(refused_form["base_revision"].value()) == str(
        revisions.current_revision(article).pk
    )

    second_data["base_revision"] = str(refused_form["base_revision"].value())
    second_data["conflict_base"] = str(refused_form["conflict_base"].value())
    response = second.post(change_url(article), second_data)
    assert response.status_code == 302
    assert version_count(article) == 3
    # Saving again keeps both: the first editor's section, which the second
    # did not touch, and the second editor's own.
    assert section_bodies(article) == [
        "<p>Wording from the first editor.</p>",
        "<p>Body text of section 2.</p>",
        "<p>Wording from the second one.</p>",
    ]
    latest = revisions.current_revision(article)
    assert latest.user.username == "second-editor"
    assert "base revision" not in latest.get_comment().lower()


@pytest.mark.django_db
def test_a_save_is_not_refused_when_the_content_did_not_change_meanwhile(team, article):
    editor = signed_in(team.editor)
    data = with_section_body(article, 0, "<p>New wording.</p>")
    # Saved meanwhile with the same content, such as a save without edits.
    builders.edit_section(article, body="<p>Body text of section 1.</p>")
    assert version_count(article) == 2

    response = editor.post(change_url(article), data)
    assert response.status_code == 302
    assert version_count(article) == 3


# History


@pytest.mark.django_db
def test_history_lists_versions_workflow_steps_and_a_compare_form(
    editor_client, article, team
):
    builders.edit_section(article, user=team.editor)
    services.submit(
        article=article, by=team.editor, comment="Please check the dosage wording."
    )
    live = Revision.objects.get(pk=builders.live_revision_id(article))
    current = revisions.current_revision(article)

    response = editor_client.get(history_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    # Versions, newest first, with their marks and links.
    assert page.index("Current draft") < page.index("Live now")
    for revision in (live, current):
        preview = reverse("articles:preview_revision", args=[article.pk, revision.pk])
        assert f'href="{preview}"' in page
    live_version = Version.objects.get_for_object(article).get(revision=live)
    assert f'href="{restore_url(article, live_version)}"' in page
    # The workflow record.
    assert "Please check the dosage wording." in page
    assert "Sent for review" in page
    assert "Draft &rarr; In review" in page
    assert "Approved &rarr; Published" in page
    # Compare, in the review workspace.
    compare = reverse("reviews:compare", kwargs={"pk": article.pk})
    assert f'action="{compare}"' in page
    assert 'name="from"' in page
    assert 'name="to"' in page
    assert f'<option value="{live.pk}" selected>' in page
    assert f'<option value="{current.pk}" selected>' in page


@pytest.mark.django_db
def test_history_queries_do_not_grow_with_its_length(editor_client, article, team):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(history_url(article)).status_code == 200
        return len(captured)

    before = queries()
    for number in range(3):
        builders.edit_section(
            article, user=team.editor, body=f"<p>Edit number {number}.</p>"
        )
    services.submit(article=article, by=team.editor, comment="Another look, please.")
    assert queries() == before


# Restoring


@pytest.mark.django_db
def test_restoring_leaves_the_live_page_until_published_again(editor_client, article):
    builders.edit_section(article, body="<p>First new wording.</p>")
    version = Version.objects.get_for_object(article).order_by("-pk").first()
    builders.edit_section(article, body="<p>Second new wording.</p>")
    live = builders.live_revision_id(article)

    confirmation = editor_client.get(restore_url(article, version))
    page = confirmation.content.decode()
    assert "does not change until the restored version is approved" in page
    preview = reverse(
        "articles:preview_revision", args=[article.pk, version.revision_id]
    )
    assert f'href="{preview}"' in page

    response = editor_client.post(restore_url(article, version), follow=True)
    assert "is now the current draft" in response.content.decode()
    assert section_bodies(article)[0] == "<p>First new wording.</p>"
    article.refresh_from_db()
    assert builders.live_revision_id(article) == live
    public = Client().get(article.get_absolute_url()).content.decode()
    assert "Body text of section 1." in public
    assert "new wording" not in public
    latest = revisions.current_revision(article)
    assert latest.get_comment().startswith("Restored the version saved on")


@pytest.mark.django_db
def test_restoring_a_version_of_another_article_is_not_found(
    editor_client, article, topic
):
    other = builders.make_article("Other", slug="other", topic=topic)
    foreign = Version.objects.get_for_object(other).get()
    url = restore_url(article, foreign)
    bodies = section_bodies(article)

    assert editor_client.get(url).status_code == 404
    assert editor_client.post(url).status_code == 404
    assert version_count(article) == 1
    assert section_bodies(article) == bodies


@pytest.mark.django_db
def test_a_restore_that_fails_changes_nothing_and_says_why(
    editor_client, article, monkeypatch
):
    def refuse(*args, **kwargs):
        raise revisions.RestoreError("That version clashes with the article now.")

    monkeypatch.setattr(revisions, "restore", refuse)
    version = Version.objects.get_for_object(article).get()
    response = editor_client.post(restore_url(article, version), follow=True)
    assert response.redirect_chain[-1][0] == history_url(article)
    assert "That version clashes with the article now." in response.content.decode()
    assert version_count(article) == 1


@pytest.mark.django_db
def test_restoring_needs_permission_to_change_articles(team, article):
    builders.edit_section(article)
    version = Version.objects.get_for_object(article).order_by("pk").first()
    publisher = signed_in(team.publisher)  # may view articles, not change them

    confirmation = publisher.get(restore_url(article, version))
    assert confirmation.status_code == 200
    assert "Yes, restore this version" not in confirmation.content.decode()
    assert publisher.post(restore_url(article, version)).status_code == 403
    assert version_count(article) == 2
    # Their view of the article shows the workflow, not the form's bookkeeping.
    page = publisher.get(change_url(article)).content.decode()
    assert "Open in the review workspace" in page
    assert "base_revision" not in page


@pytest.mark.django_db
def test_restoring_needs_the_form_token(admin_user, article):
    builders.edit_section(article)
    version = Version.objects.get_for_object(article).order_by("pk").first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(restore_url(article, version)).status_code == 403
    assert version_count(article) == 2


@pytest.mark.django_db
def test_a_deleted_article_can_still_be_recovered(editor_client, draft):
    delete_url = reverse("admin:articles_article_delete", args=[draft.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()

    listing = editor_client.get(reverse("admin:articles_article_recoverlist"))
    assert "Breast cancer recurrence" in listing.content.decode()
    deleted = Version.objects.get_deleted(Article).get()
    url = reverse("admin:articles_article_recover", args=[deleted.pk])
    form_page = editor_client.get(url)
    assert form_page.status_code == 200
    assert not Article.objects.filter(pk=draft.pk).exists()

    # Recovery asks only for a confirmation: it brings back the last saved version.
    response = editor_client.post(url)
    assert response.status_code == 302
    recovered = Article.objects.get(pk=draft.pk)
    assert recovered.sections.count() == 3
    assert not recovered.is_live


# Who may do what


@pytest.mark.django_db
def test_an_editor_cannot_change_review_dates(team, article):
    editor = signed_in(team.editor)
    form = editor.get(change_url(article)).context["adminform"].form
    assert "reviewed_on" not in form.fields
    assert "next_review_on" not in form.fields
    dates = (article.reviewed_on, article.next_review_on)

    data = article_form_data(
        article,
        summary="A new summary.",
        reviewed_on="2020-01-01",
        next_review_on="2021-01-01",
    )
    assert editor.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.summary == "A new summary."
    assert (article.reviewed_on, article.next_review_on) == dates


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["superuser", "editor and publisher"])
def test_not_even_a_publisher_types_review_dates_in_the_article_form(
    article, admin_user, role
):
    """Review dates record a review; only the moves that record one write them."""
    user = admin_user
    if role != "superuser":
        user = builders.make_user("both", "Editors", "Publishers")
    dates = (article.reviewed_on, article.next_review_on)
    data = article_form_data(
        article,
        summary="A new summary.",
        reviewed_on="2024-02-01",
        next_review_on="2027-02-01",
    )
    response = signed_in(user).post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.summary == "A new summary."
    assert (article.reviewed_on, article.next_review_on) == dates


@pytest.mark.django_db
def test_a_reviewer_gets_no_admin_article_form(team, article):
    reviewer = signed_in(team.clinician)
    before = article_form_data(article)
    login = reverse("admin:login")

    response = reviewer.get(change_url(article))
    assert response.status_code == 302
    assert response.url.startswith(login)
    response = reviewer.post(
        change_url(article), article_form_data(article, summary="Changed.")
    )
    assert response.status_code == 302
    assert response.url.startswith(login)
    version = Version.objects.get_for_object(article).get()
    assert reviewer.post(restore_url(article, version)).status_code == 302

    assert article_form_data(article) == before
    assert version_count(article) == 1


# The workflow panel and the list


@pytest.mark.django_db
def test_workflow_panel_shows_the_state_and_where_to_go(editor_client, article):
    page = editor_client.get(change_url(article)).content.decode()
    assert "<strong>Published</strong>" in page
    assert "On the public site" in page
    assert "Has changes not yet published" not in page
    workspace = reverse("reviews:article", kwargs={"pk": article.pk})
    assert f'<a href="{workspace}">Open in the review workspace</a>' in page
    preview = reverse("articles:preview", args=[article.pk])
    assert f'<a href="{preview}">Preview the draft</a>' in page
    assert f'<a href="{article.get_absolute_url()}">View the live page</a>' in page

    builders.edit_section(article)
    page = editor_client.get(change_url(article)).content.decode()
    assert "<strong>Draft</strong>" in page
    assert "Has changes not yet published" in page


@pytest.mark.django_db
def test_workflow_panel_of_a_draft(editor_client, draft):
    page = editor_client.get(change_url(draft)).content.decode()
    assert "<strong>Draft</strong>" in page
    assert "Not on the public site" in page
    assert "View the live page" not in page
    add_page = editor_client.get(reverse("admin:articles_article_add"))
    assert "Open in the review workspace" not in add_page.content.decode()


@pytest.mark.django_db
def test_article_list_shows_and_filters_what_is_on_the_public_site(
    editor_client, article, topic
):
    builders.make_article("Never published", slug="never", topic=topic)
    url = reverse("admin:articles_article_changelist")

    def titles(params):
        response = editor_client.get(url, params)
        return [a.title for a in response.context["cl"].result_list]

    response = editor_client.get(url)
    assert "On public site" in response.content.decode()
    assert titles({"live": "yes"}) == ["Breast cancer recurrence"]
    assert titles({"live": "no"}) == ["Never published"]


@pytest.mark.django_db
def test_a_change_of_topic_meanwhile_is_a_conflict_too(editor_client, draft):
    other_topic = builders.make_topic("After treatment")
    stale = article_form_data(draft)
    fresh = article_form_data(draft, topic=other_topic.pk)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    assert editor_client.post(url, fresh).status_code == 302
    response = editor_client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved this article" in response.content.decode()
    draft.refresh_from_db()
    assert draft.topic == other_topic
