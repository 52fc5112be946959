"""The review pages as reviewers, editors and publishers use them."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Approval, Reviewer, ScheduledPublication
from reviews import services
from tests import builders

NEW_WORDING = "<p>Body text of section 1. See your GP if you notice a new lump.</p>"
ADDED = "<ins> See your GP if you notice a new lump.</ins>"


def workspace(article):
    return reverse("reviews:article", args=[article.pk])


def post(client, user, action, article, data=None, *, follow=True):
    client.force_login(user)
    return client.post(
        reverse(f"reviews:{action}", args=[article.pk]), data or {}, follow=follow
    )


def text(response):
    return response.content.decode()


def made(client, user, action, article, data=None, *, says):
    """Post a move that goes through: the person is taken back to the workspace,
    which says ``says``. Return the page."""
    response = post(client, user, action, article, data)
    assert response.redirect_chain == [(workspace(article), 302)]
    assert response.status_code == 200
    page = text(response)
    assert says in page
    return page


def refused(client, user, action, article, data=None, *, status, says):
    """Post a move that is refused: the workspace is shown again at once with
    ``status`` and each message in ``says``. Return the page."""
    response = post(client, user, action, article, data)
    assert response.redirect_chain == []
    assert response.status_code == status
    page = text(response)
    for message in says:
        assert message in page
    return page


def shown_revision(client, user, article):
    """Return the revision id the workspace's approve form carries."""
    client.force_login(user)
    page = text(client.get(workspace(article)))
    return re.search(r'name="revision" value="(\d+)"', page).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("review", ["minor", "full"])
def test_an_edit_reaches_readers_through_the_review_pages(
    client, article, team, review
):
    builders.edit_section(article, user=team.editor, body=NEW_WORDING)
    before = text(client.get(article.get_absolute_url()))
    assert "Body text of section 1." in before
    assert "notice a new lump" not in before

    made(
        client,
        team.editor,
        "submit",
        article,
        {"comment": "New advice."},
        says="Sent for review to every reviewer.",
    )
    for reviewer in (team.clinician, team.lay):
        revision = shown_revision(client, reviewer, article)
        made(
            client,
            reviewer,
            "approve",
            article,
            {"revision": revision},
            says="Your approval is recorded.",
        )
    assert builders.state_of(article) == workflow.State.APPROVED
    made(
        client,
        team.publisher,
        "publish",
        article,
        {"review": review, "full_review_not_needed": "on"},
        says="Readers now see this version",
    )

    client.logout()
    assert "notice a new lump" in text(client.get(article.get_absolute_url()))
    article.refresh_from_db()
    today = timezone.localdate()
    if review == "minor":
        assert article.reviewed_on == datetime.date(2023, 7, 1)
        assert article.next_review_on == datetime.date(2026, 7, 1)
    else:
        assert article.reviewed_on == today
        assert article.next_review_on == workflow.next_review_after(today)


@pytest.mark.django_db
def test_submitting_sends_the_article_to_the_chosen_reviewers_only(client, draft, team):
    clinician = team.clinician.reviewer_profile

    made(
        client,
        team.editor,
        "submit",
        draft,
        {"reviewers": [clinician.pk]},
        says="Sent for review to Dr Sample Clinician.",
    )

    client.force_login(team.clinician)
    assert draft.title in text(client.get(reverse("reviews:dashboard")))
    client.force_login(team.lay)
    assert draft.title not in text(client.get(reverse("reviews:dashboard")))


@pytest.mark.django_db
def test_the_submit_form_ticks_the_reviewers_who_decided_before(client, draft, team):
    builders.submit(draft, team)
    workflow.request_changes(
        draft,
        by=team.clinician,
        revision=builders.current(draft),
        comment="Explain the scan.",
    )
    builders.edit_section(draft, user=team.editor)
    client.force_login(team.editor)

    page = text(client.get(workspace(draft)))

    clinician = team.clinician.reviewer_profile
    assert re.search(rf'value="{clinician.pk}"[^>]*checked', page)
    lay = team.lay.reviewer_profile
    assert not re.search(rf'value="{lay.pk}"[^>]*checked', page)


@pytest.mark.django_db
def test_an_article_leaves_the_waiting_list_once_the_reviewer_approves(
    client, draft, team
):
    builders.submit(draft, team)
    client.force_login(team.clinician)
    dashboard = text(client.get(reverse("reviews:dashboard")))
    assert "Waiting for your review" in dashboard
    assert draft.title in dashboard.split("Your decisions")[0]

    services.approve(article=draft, revision=builders.current(draft), by=team.clinician)

    dashboard = text(client.get(reverse("reviews:dashboard")))
    assert draft.title not in dashboard.split("Your decisions")[0]
    assert "Nothing is waiting for your review." in dashboard


@pytest.mark.django_db
def test_approving_a_version_that_changed_since_is_refused(client, draft, team):
    builders.submit(draft, team)
    seen = shown_revision(client, team.clinician, draft)
    builders.edit_section(draft, user=team.editor)
    builders.submit(draft, team)

    page = refused(
        client,
        team.clinician,
        "approve",
        draft,
        {"revision": seen, "comment": "Clear and accurate."},
        status=409,
        says=["This article has changed since the version you read."],
    )

    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert "This article has changed since the version you read." in summary
    # What the reviewer typed is still in the approval form, to send again.
    form = page.split('action="{}"'.format(reverse("reviews:approve", args=[draft.pk])))
    assert re.search(r"<textarea[^>]*>\s*Clear and accurate.</textarea>", form[1])
    assert not Approval.objects.exists()

    # Sending the kept form approves the version now on the page, not the old one.
    kept = re.search(r'name="revision" value="(\d+)"', form[1]).group(1)
    assert kept == str(builders.current(draft).pk)
    made(
        client,
        team.clinician,
        "approve",
        draft,
        {"revision": kept, "comment": "Clear and accurate."},
        says="Your approval is recorded.",
    )
    approval = Approval.objects.get()
    assert (approval.revision, approval.comment) == (
        builders.current(draft),
        "Clear and accurate.",
    )


@pytest.mark.django_db
def test_a_reviewer_cannot_approve_their_own_edits(client, draft, team):
    writer = builders.make_user(
        "writing-clinician",
        "Reviewers",
        "Editors",
        reviewer=builders.make_reviewer("Dr Sample Writer"),
    )
    builders.edit_section(draft, user=writer)
    builders.submit(draft, team)

    refused(
        client,
        writer,
        "approve",
        draft,
        {"revision": builders.current(draft).pk},
        status=409,
        says=["You made some of the changes under review"],
    )

    assert not Approval.objects.exists()


@pytest.mark.django_db
def test_requesting_changes_needs_a_comment_and_sends_the_draft_back(
    client, draft, team
):
    builders.submit(draft, team)
    revision = builders.current(draft).pk

    refused(
        client,
        team.clinician,
        "request_changes",
        draft,
        {"revision": revision},
        status=400,
        says=["Say what needs to change"],
    )

    assert builders.state_of(draft) == workflow.State.IN_REVIEW
    assert not Approval.objects.exists()

    made(
        client,
        team.clinician,
        "request_changes",
        draft,
        {"revision": revision, "comment": "Explain what a recurrence is."},
        says="back with the editors",
    )

    assert builders.state_of(draft) == workflow.State.DRAFT
    client.force_login(team.editor)
    dashboard = text(client.get(reverse("reviews:dashboard")))
    assert "Sent back with changes requested" in dashboard
    assert "Explain what a recurrence is." in dashboard


@pytest.mark.django_db
def test_publishing_without_every_approval_names_what_is_missing(client, draft, team):
    builders.submit(draft, team)
    services.approve(article=draft, revision=builders.current(draft), by=team.clinician)

    refused(
        client,
        team.publisher,
        "publish",
        draft,
        {"review": "full"},
        status=409,
        says=["1 approval from a person with lived experience"],
    )

    draft.refresh_from_db()
    assert builders.live_revision_id(draft) is None


@pytest.mark.django_db
def test_publishing_needs_a_choice_of_full_review_or_minor_correction(
    client, draft, team
):
    builders.submit(draft, team)
    builders.approve_all(draft, team)

    refused(
        client,
        team.publisher,
        "publish",
        draft,
        {"comment": "Go"},
        status=400,
        says=["Choose full review or minor correction.", "Nothing was changed."],
    )

    draft.refresh_from_db()
    assert builders.live_revision_id(draft) is None


@pytest.mark.django_db
def test_scheduling_in_the_past_is_refused(client, draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)

    refused(
        client,
        team.publisher,
        "schedule",
        draft,
        {"go_live_at": "2020-01-06T09:00", "review": "full"},
        status=409,
        says=["Choose a time in the future."],
    )

    assert not ScheduledPublication.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter the date and time the page should go live."),
        ("next Tuesday", "Enter a real date and time"),
    ],
)
def test_scheduling_without_a_readable_time_is_refused(
    client, draft, team, typed, message
):
    builders.submit(draft, team)
    builders.approve_all(draft, team)

    refused(
        client,
        team.publisher,
        "schedule",
        draft,
        {"go_live_at": typed, "review": "full"},
        status=400,
        says=[message],
    )

    assert not ScheduledPublication.objects.exists()


@pytest.mark.django_db
def test_a_scheduled_time_is_read_in_the_sites_time_zone(client, draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    year = timezone.localdate().year + 2

    made(
        client,
        team.publisher,
        "schedule",
        draft,
        {
            "go_live_at": f"{year}-06-01T09:00",
            "review": "minor",
            "full_review_not_needed": "on",
        },
        says=f"Scheduled to go live on 1 June {year}, 09:00.",
    )

    scheduled = ScheduledPublication.objects.get(article=draft)
    london = ZoneInfo("Europe/London")
    assert scheduled.go_live_at == datetime.datetime(year, 6, 1, 9, tzinfo=london)
    assert not scheduled.is_full_review
    client.force_login(team.publisher)
    assert f"Scheduled to go live on 1 June {year}, 09:00" in text(
        client.get(reverse("reviews:dashboard"))
    )


@pytest.mark.django_db
def test_unpublishing_takes_the_page_off_the_site(client, article, team):
    made(
        client,
        team.publisher,
        "unpublish",
        article,
        {"comment": "Withdrawn."},
        says="Taken off the public site.",
    )

    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 410


@pytest.mark.django_db
def test_reviewers_confirm_the_live_page_is_still_accurate(client, article, team):
    client.force_login(team.clinician)
    page = text(client.get(workspace(article)))
    assert "Confirm the live page is still accurate" in page
    assert "1 approval from a clinical expert" in page

    confirmed = "Your confirmation that the page is still accurate is recorded."
    made(
        client,
        team.clinician,
        "confirm",
        article,
        {"comment": "Still right."},
        says=confirmed,
    )
    made(client, team.lay, "confirm", article, says=confirmed)

    article.refresh_from_db()
    today = timezone.localdate()
    assert article.reviewed_on == today
    assert article.next_review_on == workflow.next_review_after(today)


@pytest.mark.django_db
def test_the_dashboard_marks_an_approval_stale_after_an_edit_and_links_the_diff(
    client, article, team
):
    client.force_login(team.clinician)
    assert "current" in text(client.get(reverse("reviews:dashboard")))

    builders.edit_section(article, user=team.editor, body=NEW_WORDING)
    dashboard = text(client.get(reverse("reviews:dashboard")))

    assert "stale — the article has changed since" in dashboard
    link = re.search(r'href="([^"]+)">What changed since you approved', dashboard)
    comparison = text(client.get(link.group(1).replace("&amp;", "&")))
    assert f"Body text of section 1.{ADDED}" in comparison


@pytest.mark.django_db
def test_the_workspace_shows_what_changed_since_the_reviewer_last_approved(
    client, article, team
):
    builders.edit_section(
        article,
        user=team.editor,
        body="<p>Body text of section 2, reworded.</p>",
        index=1,
    )
    client.force_login(team.clinician)

    page = text(client.get(workspace(article)))

    assert "since you approved it on" in page
    assert "Body text of section <del>2.</del><ins>2, reworded.</ins>" in page
    assert '<details class="change change--unchanged">' in page
    assert "Section heading 1" in page
    assert "stale — the article has changed since" in page


@pytest.mark.django_db
def test_a_first_version_offers_the_preview_instead_of_a_comparison(
    client, draft, team
):
    client.force_login(team.editor)

    page = text(client.get(workspace(draft)))

    assert "nothing earlier to compare it with" in page
    assert reverse("articles:preview", args=[draft.pk]) in page
    assert "1 approval from a clinical expert" in page


@pytest.mark.django_db
def test_the_compare_page_compares_any_two_versions(client, article, team):
    first = builders.current(article).pk
    builders.edit_section(article, user=team.editor, body=NEW_WORDING)
    with_new_wording = builders.current(article).pk
    builders.edit_section(article, user=team.editor, body="<p>Third.</p>", index=2)
    client.force_login(team.publisher)

    page = text(
        client.get(
            reverse("reviews:compare", args=[article.pk]),
            {"from": first, "to": with_new_wording},
        )
    )

    assert ADDED in page
    assert "Third." not in page
    assert page.count("<option") == 6
    assert "References" in page and "Credits" in page and "Related articles" in page


@pytest.mark.django_db
def test_the_compare_page_starts_from_the_live_version(client, article, team):
    builders.edit_section(article, user=team.editor, body=NEW_WORDING)
    client.force_login(team.lay)

    page = text(client.get(reverse("reviews:compare", args=[article.pk])))

    assert ADDED in page
    assert re.search(
        rf'<option value="{builders.live_revision_id(article)}" selected>[^<]*\(live\)',
        page,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?from=999999", "?to=abc", "?from=OTHER"])
def test_the_compare_page_refuses_versions_of_other_articles(
    client, article, team, topic, query
):
    other = builders.make_article("Another article", topic=topic)
    client.force_login(team.editor)
    query = query.replace("OTHER", str(builders.current(other).pk))

    response = client.get(reverse("reviews:compare", args=[article.pk]) + query)

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_due_page_lists_overdue_articles_with_their_owner(client, topic, team):
    today = timezone.localdate()
    owner = builders.make_user("sam", "Editors")
    builders.make_article(
        "Overdue page",
        topic=topic,
        owner=owner,
        reviewed_on=today - datetime.timedelta(days=1200),
        next_review_on=today - datetime.timedelta(days=5),
    )
    builders.make_article(
        "Soon page",
        topic=topic,
        reviewed_on=today - datetime.timedelta(days=1000),
        next_review_on=today + datetime.timedelta(days=30),
    )
    builders.make_article(
        "Later page",
        topic=topic,
        reviewed_on=today,
        next_review_on=today + datetime.timedelta(days=200),
    )
    client.force_login(team.clinician)

    page = text(client.get(reverse("reviews:due")))

    assert page.index("Overdue page") < page.index("Soon page")
    assert "sam@example.org" in page
    assert "Overdue by 5 days" in page
    assert "30 days left" in page
    assert (today - datetime.timedelta(days=5)).strftime("%d %B %Y") in page
    assert "Later page" not in page


@pytest.mark.django_db
def test_the_due_page_says_when_nothing_is_due(client, topic, team):
    today = timezone.localdate()
    builders.make_article(
        "Fresh page",
        topic=topic,
        reviewed_on=today,
        next_review_on=today + datetime.timedelta(days=400),
    )
    client.force_login(team.editor)

    page = text(client.get(reverse("reviews:due")))

    assert "There is nothing due" in page
    assert "Fresh page" not in page


@pytest.mark.django_db
def test_the_workspace_offers_each_role_only_its_own_moves(client, article, team):
    builders.edit_section(article, user=team.editor, body=NEW_WORDING)
    builders.submit(article, team)
    buttons = {
        "editor": [],
        "clinician": ["Approve this version", "Request changes"],
        "publisher": ["Unpublish"],
    }
    every = {"Send for review", "Approve this version", "Request changes"}
    every |= {"Publish now", "Schedule", "Unpublish"}

    for role, wanted in buttons.items():
        client.force_login(getattr(team, role))
        page = text(client.get(workspace(article)))
        shown = set(
            re.findall(r'<button type="submit" class="button[^"]*">([^<]+)<', page)
        )
        assert shown & every == set(wanted), role


@pytest.mark.django_db
def test_the_sign_in_page_explains_a_wrong_password(client, team):
    response = client.post(
        reverse("login"), {"username": "clinician", "password": "wrong"}
    )

    page = text(response)
    assert "<h1>Sign in</h1>" in page
    assert "There is a problem" in page
    assert "Please enter a correct username and password" in page


@pytest.mark.django_db
def test_reviewers_land_on_their_reviews_after_signing_in(client, team):
    response = client.post(
        reverse("login"),
        {"username": "clinician", "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    assert response.url == reverse("reviews:dashboard")


@pytest.mark.django_db
def test_review_pages_have_one_heading_and_no_inline_script_or_style(
    client, article, team
):
    builders.edit_section(article, user=team.editor, body=NEW_WORDING)
    client.force_login(team.clinician)
    paths = [
        reverse("reviews:dashboard"),
        reverse("reviews:due"),
        workspace(article),
        reverse("reviews:compare", args=[article.pk]),
    ]
    client.logout()
    paths_anonymous = [reverse("login")]

    for user, pages in ((team.clinician, paths), (None, paths_anonymous)):
        if user:
            client.force_login(user)
        for path in pages:
            page = text(client.get(path))
            assert page.count("<h1") == 1, path
            assert "<script" not in page and " style=" not in page, path
            assert "<style" not in page, path
        client.logout()


def _articles_in_every_state(topic, team):
    for number in range(3):
        in_review = builders.make_article(f"In review {number}", topic=topic)
        builders.submit(in_review, team)
    approved = builders.make_article("Approved", topic=topic)
    builders.submit(approved, team)
    builders.approve_all(approved, team)
    for number in range(2):
        published = builders.publish(
            builders.make_article(f"Published {number}", topic=topic), team
        )
        builders.edit_section(published, user=team.editor)
    sent_back = builders.make_article("Sent back", topic=topic)
    builders.submit(sent_back, team)
    services.request_changes(
        article=sent_back,
        revision=builders.current(sent_back),
        by=team.clinician,
        comment="Shorter, please.",
    )
    for number in range(3):
        builders.make_article(f"Draft {number}", topic=topic)


@pytest.mark.django_db
def test_the_dashboard_costs_a_bounded_number_of_queries(
    client, topic, team, django_assert_max_num_queries
):
    everyone = builders.make_user(
        "all-roles",
        "Editors",
        "Reviewers",
        "Publishers",
        reviewer=builders.make_reviewer("Dr Sample All", kind=Reviewer.Kind.EDITORIAL),
    )
    _articles_in_every_state(topic, team)
    client.force_login(everyone)

    # About fourteen: session, user, roles, then one or two per list. A query per
    # article would pass twenty with the dozen articles above.
    with django_assert_max_num_queries(16):
        page = text(client.get(reverse("reviews:dashboard")))

    waiting = page.split('id="waiting"')[1].split('id="decisions"')[0]
    assert all(f"In review {n}" in waiting for n in range(3))
    assert "Approved" in page.split('id="ready"')[1].split('id="sent-back"')[0]
    drafts = page.split('id="drafts"')[1]
    assert all(f"Draft {n}" in drafts for n in range(3))
    assert all(f"Published {n}" in drafts for n in range(2))
    assert "Sent back" not in drafts
    assert "Shorter, please." in page


@pytest.mark.django_db
def test_approving_a_version_of_another_article_is_refused(client, draft, team, topic):
    other = builders.make_article("Another article", topic=topic)
    builders.submit(draft, team)

    refused(
        client,
        team.clinician,
        "approve",
        draft,
        {"revision": builders.current(other).pk},
        status=409,
        says=["That version is not one of this article&#x27;s versions."],
    )

    assert not Approval.objects.exists()


@pytest.mark.django_db
def test_approving_from_a_broken_page_asks_for_a_reload(client, draft, team):
    builders.submit(draft, team)

    refused(
        client,
        team.clinician,
        "approve",
        draft,
        {"revision": "x"},
        status=400,
        says=["This page was out of date. Reload it and try again."],
    )

    assert not Approval.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("last", [False, True], ids=["first", "completing"])
def test_approving_twice_says_the_decision_is_already_recorded(
    client, draft, team, last
):
    builders.submit(draft, team)
    if last:  # the repeated approval is the one that completed the policy
        services.approve(article=draft, revision=builders.current(draft), by=team.lay)
    revision = builders.current(draft).pk
    made(
        client,
        team.clinician,
        "approve",
        draft,
        {"revision": revision},
        says="Your approval is recorded.",
    )

    page = made(
        client,
        team.clinician,
        "approve",
        draft,
        {"revision": revision},
        says=workflow.ALREADY_RECORDED,
    )

    assert "There is a problem" not in page
    assert Approval.objects.filter(reviewer__user=team.clinician).count() == 1
    expected = workflow.State.APPROVED if last else workflow.State.IN_REVIEW
    assert builders.state_of(draft) == expected


@pytest.mark.django_db
def test_unpublishing_needs_a_reason_and_the_page_stays_until_given(
    client, article, team
):
    refused(
        client,
        team.publisher,
        "unpublish",
        article,
        {"comment": " "},
        status=400,
        says=["Say why the page is coming off the site.", "Nothing was changed."],
    )

    assert builders.fresh(article).is_live
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200

    made(
        client,
        team.publisher,
        "unpublish",
        article,
        {"comment": "Withdrawn."},
        says="Taken off the public site.",
    )
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 410
    assert article.transitions.latest().comment == "Withdrawn."


@pytest.mark.django_db
def test_a_reviewer_who_asked_for_changes_sees_what_changed_since_they_sent_it_back(
    client, article, team
):
    builders.edit_section(article, user=team.editor, body=NEW_WORDING)
    builders.submit(article, team)
    sent_back = builders.current(article)
    services.request_changes(
        article=article,
        revision=sent_back,
        by=team.clinician,
        comment="Reword section 2.",
    )
    builders.edit_section(
        article,
        user=team.editor,
        body="<p>Body text of section 2, reworded.</p>",
        index=1,
    )
    builders.submit(article, team)
    client.force_login(team.clinician)

    page = text(client.get(workspace(article)))

    what_changed = page.split('id="what-changed"')[1].split('id="decisions"')[0]
    assert "since you asked for changes on" in what_changed
    assert "since you approved" not in what_changed
    assert "Body text of section <del>2.</del><ins>2, reworded.</ins>" in what_changed
    # The wording they already read when sending it back is not shown as new.
    assert ADDED not in what_changed
    link = f"?from={sent_back.pk}&amp;to={builders.current(article).pk}"
    assert link in what_changed


@pytest.mark.django_db
def test_the_public_page_credits_the_approving_clinician_as_they_were_when_approving(
    client, draft, team
):
    builders.submit(draft, team)
    services.approve(article=draft, revision=builders.current(draft), by=team.clinician)
    # The reviewer record changes between the approval and publication.
    Reviewer.objects.filter(user=team.clinician).update(
        name="Dr Sample Renamed", credentials="Retired"
    )
    services.approve(article=draft, revision=builders.current(draft), by=team.lay)
    services.publish(article=draft, by=team.publisher)
    client.force_login(team.publisher)
    decisions = text(client.get(workspace(draft))).split('id="decisions"')[1]
    client.logout()

    page = text(client.get(draft.get_absolute_url()))

    credits = page.split('<dl class="credits">')[1].split("</dl>")[0]
    approved_by = credits.split("<dt>Approved by</dt>")[1].split("<dt>")[0]
    reviewed_by = credits.split("<dt>Reviewed by</dt>")[1].split("<dt>")[0]
    assert "Dr Sample Clinician, Consultant Medical Oncologist" in approved_by
    assert "Sample Lay Reviewer" in reviewed_by
    assert "Dr Sample Renamed" not in page and "Retired" not in page
    # The decision on record names them as they were, too.
    assert "Dr Sample Clinician, Consultant Medical Oncologist" in decisions

    # Renamed again once the page is live: readers still see the approver as
    # they approved, until a publisher approves the change to the record.
    reviewer = Reviewer.objects.get(user=team.clinician)
    reviewer.name, reviewer.credentials = "Prof Sample Later", "Emeritus"
    reviewer.save()
    page = text(client.get(draft.get_absolute_url()))
    assert "Dr Sample Clinician, Consultant Medical Oncologist" in page
    assert "Prof Sample Later" not in page


@pytest.mark.django_db
def test_a_reviewers_kind_changed_after_approving_still_shows_and_counts_as_it_was(
    client, draft, team
):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    # A publisher later records the clinician as part of the editorial team.
    Reviewer.objects.filter(user=team.clinician).update(kind=Reviewer.Kind.EDITORIAL)
    client.force_login(team.publisher)

    page = text(client.get(workspace(draft)))

    assert "Ready to publish." in page
    decisions = page.split('id="decisions"')[1].split('id="needs"')[0]
    assert "<td>Clinical expert</td>" in decisions
    assert "<td>Editorial team</td>" not in decisions
    made(
        client,
        team.publisher,
        "publish",
        draft,
        {"review": "full"},
        says="Readers now see this version",
    )


def _review_rounds(article, team, count):
    """Send the edited article for review ``count`` times; each time but the last,
    a reviewer asks for changes and the editor makes them."""
    builders.edit_section(article, user=team.editor, body=NEW_WORDING)
    for number in range(count):
        builders.submit(article, team)
        if number == count - 1:
            break
        services.request_changes(
            article=article,
            revision=builders.current(article),
            by=(team.clinician, team.lay)[number % 2],
            comment=f"Please look at section 2 again ({number}).",
        )
        builders.edit_section(
            article, user=team.editor, body=f"<p>Take {number}.</p>", index=1
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("role", ["editor", "clinician", "lay"])
def test_the_workspace_costs_the_same_with_one_review_round_or_six(
    client, article, team, count, role, django_assert_max_num_queries
):
    _review_rounds(article, team, count)
    client.force_login(getattr(team, role))

    # One bound for one round and for six: nothing is read once per round,
    # decision or move in the history.
    with django_assert_max_num_queries(17):
        response = client.get(workspace(article))

    page = text(response)
    assert response.status_code == 200
    history = page.split('id="history"')[1]
    assert history.count("Sent for review") == count + 1  # and the first time
    assert history.count("Changes requested") == count - 1
