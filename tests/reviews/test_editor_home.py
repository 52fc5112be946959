"""The editors' home in the admin: the panels each person sees after signing in."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from reviews import services
from reviews.home import Home
from tests import builders

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 6, 1)
GO_LIVE = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=LONDON)
SCHEDULED_ON = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
COMMENT = "Please explain what a recurrence scan involves."


def titles(panel):
    return [getattr(item, "article", item).title for item in panel]


def edit_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def workspace_url(article):
    return reverse("reviews:article", args=[article.pk])


@pytest.fixture
def desk(db, team, topic):
    """A realistic week's work: drafts of two owners, one sent back with a
    comment, two in review, one scheduled, reviews overdue and due soon."""
    editor, publisher = team.editor, team.publisher
    clinician = team.clinician.reviewer_profile
    lay = team.lay.reviewer_profile

    def article(title, **fields):
        fields.setdefault("next_review_on", datetime.date(2029, 1, 1))
        return builders.make_article(title, topic=topic, **fields)

    mine = article("My own draft", owner=editor)
    article("A publisher's draft", owner=publisher)

    sent_back = article("Sent back to the editor", owner=editor)
    services.submit(article=sent_back, by=editor, reviewers=[clinician, lay])
    services.request_changes(
        article=sent_back,
        revision=builders.current(sent_back),
        by=team.clinician,
        comment=COMMENT,
    )
    others_sent_back = article("Sent back to the publisher", owner=publisher)
    services.submit(article=others_sent_back, by=editor, reviewers=[lay])
    services.request_changes(
        article=others_sent_back,
        revision=builders.current(others_sent_back),
        by=team.lay,
        comment="Not mine to fix.",
    )

    half_decided = article("Waiting for the clinician", owner=publisher)
    services.submit(article=half_decided, by=editor, reviewers=[clinician, lay])
    services.approve(
        article=half_decided, revision=builders.current(half_decided), by=team.lay
    )
    to_anyone = article("Sent to any reviewer", owner=editor)
    services.submit(article=to_anyone, by=editor, reviewers=[])

    scheduled = article("Going live in December", owner=editor)
    builders.submit(scheduled, team)
    builders.approve_all(scheduled, team)
    workflow.schedule(scheduled, by=publisher, go_live_at=GO_LIVE, now=SCHEDULED_ON)

    overdue = article("Overdue for review", next_review_on=datetime.date(2026, 5, 1))
    soon = article(
        "Due in a month", owner=editor, next_review_on=datetime.date(2026, 7, 1)
    )
    article("Due in a year", next_review_on=datetime.date(2027, 6, 1))
    return {
        "mine": mine,
        "sent_back": sent_back,
        "half_decided": half_decided,
        "to_anyone": to_anyone,
        "scheduled": scheduled,
        "overdue": overdue,
        "soon": soon,
    }


@pytest.mark.django_db
def test_my_drafts_are_only_the_drafts_i_own_not_sent_back(desk, team):
    home = Home.build(team.editor, on=TODAY)
    assert titles(home.my_drafts) == ["Due in a month", "My own draft"]
    other = Home.build(team.publisher, on=TODAY)
    assert titles(other.my_drafts) == ["A publisher's draft"]


@pytest.mark.django_db
def test_sent_back_to_me_names_the_reviewer_and_their_comment(desk, team):
    home = Home.build(team.editor, on=TODAY)

    assert titles(home.sent_back) == ["Sent back to the editor"]
    request = home.sent_back.items[0].change_request
    assert request.reviewer_name == "Dr Sample Clinician"
    assert request.comment == COMMENT
    assert titles(Home.build(team.publisher, on=TODAY).sent_back) == [
        "Sent back to the publisher"
    ]


@pytest.mark.django_db
def test_in_review_shows_who_decided_and_who_is_still_to_decide(desk, team):
    home = Home.build(team.editor, on=TODAY)

    assert titles(home.in_review) == [
        "Waiting for the clinician",
        "Sent to any reviewer",
    ]
    half, anyone = (article.round for article in home.in_review)
    assert [(d.reviewer_name, d.decision) for d in half.current_decisions] == [
        ("Sample Lay Reviewer", "approved")
    ]
    assert [r.name for r in half.waiting] == ["Dr Sample Clinician"]
    assert half.missing == ["1 approval from a clinical expert"]
    assert anyone.asked == [] and anyone.current_decisions == []
    assert anyone.missing == [
        "1 approval from a clinical expert",
        "1 approval from a person with lived experience",
    ]


@pytest.mark.django_db
def test_scheduled_and_reviews_due_on_a_fixed_day(desk, team):
    home = Home.build(team.editor, on=TODAY)

    assert titles(home.scheduled) == ["Going live in December"]
    assert home.scheduled.items[0].go_live_at == GO_LIVE
    assert titles(home.overdue) == ["Overdue for review"]
    assert titles(home.due_soon) == ["Due in a month"]
    # A day after the due date, the article due soon is overdue too.
    later = Home.build(team.editor, on=datetime.date(2026, 7, 2))
    assert titles(later.overdue) == ["Overdue for review", "Due in a month"]
    assert titles(later.due_soon) == []


@pytest.mark.django_db
def test_a_panel_shows_its_first_items_and_says_there_are_more(desk, team, topic):
    for number in range(3):
        builders.make_article(f"Extra draft {number}", topic=topic, owner=team.editor)

    home = Home.build(team.editor, on=TODAY, size=3)

    assert len(home.my_drafts.items) == 3 and home.my_drafts.has_more
    assert not home.sent_back.has_more


def admin_home(client, user, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def panel(page, heading_id):
    """Return the HTML of one panel of the admin home."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', page, re.S
    )
    assert match, heading_id
    return match.group(1)


@pytest.mark.django_db
def test_the_admin_home_shows_each_panel_with_links_both_ways(
    client, desk, team, monkeypatch
):
    page = admin_home(client, team.editor, monkeypatch)

    drafts = panel(page, "home-my-drafts")
    mine = desk["mine"]
    assert f'<a href="{edit_url(mine)}">My own draft</a>' in drafts
    assert f'href="{workspace_url(mine)}">Review workspace' in drafts
    assert "A publisher&#x27;s draft" not in drafts

    sent_back = panel(page, "home-sent-back")
    assert "Dr Sample Clinician asked for changes on" in sent_back
    assert COMMENT in sent_back
    assert f'<a href="{edit_url(desk["sent_back"])}">' in sent_back

    in_review = panel(page, "home-in-review")
    assert "Decided: Sample Lay Reviewer (approved)." in in_review
    assert "Still to decide: Dr Sample Clinician." in in_review
    assert "Sent to any reviewer." in in_review
    assert "Still needed: 1 approval from a clinical expert." in in_review

    scheduled = panel(page, "home-scheduled")
    assert "Goes live on 1 December 2026, 09:30, scheduled by publisher." in scheduled

    due = panel(page, "home-due")
    assert "Review was due on 1 May 2026. Nobody owns it." in due
    assert "Review due on 1 July 2026. Owner: editor." in due
    assert "Due in a year" not in due
    # The list of what can be edited is still there, below.
    assert page.index('id="home-panels"') < page.index('class="app-list"')


@pytest.mark.django_db
def test_a_full_panel_links_to_the_whole_list(client, team, topic, monkeypatch):
    for number in range(11):
        builders.make_article(f"Draft {number:02}", topic=topic, owner=team.editor)
    builders.make_article("Someone else's", topic=topic, owner=team.publisher)

    page = admin_home(client, team.editor, monkeypatch)

    drafts = panel(page, "home-my-drafts")
    assert drafts.count("<li>") == 10
    link = re.search(r'<a href="([^"]+)">See them all', drafts).group(1)
    response = client.get(link.replace("&amp;", "&"))
    assert response.context["cl"].result_count == 11


@pytest.mark.django_db
def test_empty_panels_say_so_in_plain_words(client, team, monkeypatch):
    page = admin_home(client, team.editor, monkeypatch)

    assert "You have no drafts." in panel(page, "home-my-drafts")
    assert "No reviewer has sent one of your articles back." in panel(
        page, "home-sent-back"
    )
    assert "No articles are in review." in panel(page, "home-in-review")
    assert "Nothing is scheduled to go live." in panel(page, "home-scheduled")
    due = panel(page, "home-due")
    assert "No reviews are overdue." in due
    assert "No reviews are due in the next 90 days." in due


@pytest.mark.django_db
def test_someone_who_cannot_see_articles_gets_no_panels(client, monkeypatch):
    clerk = builders.make_user("clerk", is_staff=True)
    page = admin_home(client, clerk, monkeypatch)
    assert 'id="home-panels"' not in page


@pytest.mark.django_db
def test_the_admin_home_needs_the_same_queries_for_many_articles(
    client, desk, team, topic, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    client.force_login(team.editor)
    url = reverse("admin:index")
    client.get(url)  # sessions and permission caches warm up
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for number in range(8):
        extra = builders.make_article(
            f"More work {number}",
            topic=topic,
            owner=team.editor,
            next_review_on=datetime.date(2026, 5, 2),
        )
        services.submit(
            article=extra,
            by=team.editor,
            reviewers=[team.clinician.reviewer_profile, team.lay.reviewer_profile],
        )
        services.approve(article=extra, revision=builders.current(extra), by=team.lay)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Still to decide: Dr Sample Clinician.") == 9
