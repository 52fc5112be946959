import datetime
import smtplib
from io import StringIO

import pytest
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command

from articles.models import Article
from reviews import reminders, services
from reviews.models import ReviewReminder
from tests import builders

TODAY = datetime.date(2026, 11, 25)


def remind(*args, on=TODAY):
    """Run the command as if it were ``on``; return what it printed."""
    out = StringIO()
    call_command("send_review_reminders", "--date", on.isoformat(), *args, stdout=out)
    return out.getvalue()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def make_due(title, *, owner=None, next_review_on):
    return builders.make_article(
        title,
        owner=owner,
        reviewed_on=next_review_on - datetime.timedelta(days=3 * 365),
        next_review_on=next_review_on,
    )


def stages(article):
    return sorted(
        article.review_reminders.values_list("stage", flat=True),
        key=[stage.value for stage in ReviewReminder.Stage].index,
    )


@pytest.fixture
def owner(db):
    return builders.make_user("owner", "Editors")


@pytest.fixture
def publisher(db):
    return builders.make_user("chief-publisher", "Publishers")


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (100, None),
        (91, None),
        (90, "90"),
        (31, "90"),
        (30, "30"),
        (8, "30"),
        (7, "7"),
        (0, "7"),
        (-1, "overdue"),
        (-31, "overdue"),
    ],
)
def test_stage_depends_on_the_days_left_before_the_next_review(days_left, stage):
    assert reminders.stage_on(next_review_on=days(days_left), today=TODAY) == stage


@pytest.mark.django_db
def test_each_stage_is_sent_once_as_the_review_date_comes_and_goes(
    owner, publisher, mailoutbox
):
    due_on = days(90)
    article = make_due("Breast cancer recurrence", owner=owner, next_review_on=due_on)

    def on(n):
        return due_on + datetime.timedelta(days=n)

    assert "Emailed owner <owner@example.org>" in remind(on=on(-90))
    assert stages(article) == ["90"]
    assert "due in 90 days" in mailoutbox[-1].body

    assert remind(on=on(-60)) == "Nothing is due: no reminders to send.\n"

    remind(on=on(-30))
    assert stages(article) == ["90", "30"]
    remind(on=on(-7))
    assert stages(article) == ["90", "30", "7"]
    remind(on=on(1))
    assert stages(article) == ["90", "30", "7", "overdue"]
    assert "overdue by 1 day)" in mailoutbox[-1].body
    assert [email.to for email in mailoutbox] == [["owner@example.org"]] * 4

    remind(on=on(30))  # overdue by 30 days: not yet escalated
    output = remind(on=on(31))

    assert stages(article) == ["90", "30", "7", "overdue", "escalated"]
    assert len(mailoutbox) == 5
    assert mailoutbox[-1].to == ["chief-publisher@example.org"]
    assert "overdue by 31 days" in mailoutbox[-1].body
    assert "Emailed the publishers (chief-publisher@example.org)" in output
    assert "owner@example.org" not in output
    assert "Nothing is due" in remind(on=on(60))


@pytest.mark.django_db
def test_running_twice_on_the_same_day_sends_nothing_the_second_time(owner, mailoutbox):
    make_due("Breast cancer recurrence", owner=owner, next_review_on=days(30))

    remind()
    output = remind()

    assert len(mailoutbox) == 1
    assert output == "Nothing is due: no reminders to send.\n"
    assert ReviewReminder.objects.count() == 1


@pytest.mark.django_db
def test_an_article_that_skips_stages_gets_only_the_current_one(owner, mailoutbox):
    article = make_due("Breast cancer recurrence", owner=owner, next_review_on=days(5))

    remind()
    # A catch-up run for an earlier day finds the later stage already sent.
    remind(on=days(-40))

    assert stages(article) == ["7"]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_an_owner_gets_one_email_listing_all_their_articles(owner, mailoutbox):
    other = builders.make_user("other-owner", "Editors")
    overdue = make_due("Breast cancer recurrence", owner=owner, next_review_on=days(-3))
    soon = make_due("Secondary breast cancer", owner=owner, next_review_on=days(30))
    make_due("Coping with fear", owner=other, next_review_on=days(90))

    output = remind("--base-url", "https://info.example.org/")

    assert len(mailoutbox) == 2
    email = next(e for e in mailoutbox if e.to == ["owner@example.org"])
    assert email.subject == "Review reminder: 2 articles"
    assert "Next review: 22 November 2026 (overdue by 3 days)" in email.body
    assert "Next review: 25 December 2026 (due in 30 days)" in email.body
    assert f"https://info.example.org/review/articles/{overdue.pk}/" in email.body
    assert f"https://info.example.org/review/articles/{soon.pk}/" in email.body
    assert email.body.index("Breast cancer recurrence") < email.body.index(
        "Secondary breast cancer"
    )
    assert output.count("Emailed") == 2
    assert (
        "Emailed owner <owner@example.org> about “Breast cancer recurrence” (next "
        "review 22 November 2026, overdue by 3 days); “Secondary breast cancer” "
        "(next review 25 December 2026, due in 30 days)." in output
    )


@pytest.mark.django_db
def test_links_default_to_the_local_development_server(owner, mailoutbox):
    article = make_due("Breast cancer recurrence", owner=owner, next_review_on=TODAY)

    remind()

    assert mailoutbox[0].subject == "Review reminder: Breast cancer recurrence"
    assert "(due today)" in mailoutbox[0].body
    assert f"http://127.0.0.1:8000/review/articles/{article.pk}/" in (
        mailoutbox[0].body
    )


@pytest.mark.django_db
def test_says_plainly_when_nothing_is_due(owner, mailoutbox):
    make_due("Breast cancer recurrence", owner=owner, next_review_on=days(91))
    builders.make_article("Never reviewed", reviewed_on=None, next_review_on=None)

    assert remind() == "Nothing is due: no reminders to send.\n"
    assert mailoutbox == []


@pytest.mark.django_db
def test_dry_run_says_who_would_get_what_and_sends_and_records_nothing(
    owner, publisher, mailoutbox
):
    make_due("Breast cancer recurrence", owner=owner, next_review_on=days(-40))

    output = remind("--dry-run")

    assert "Would email owner <owner@example.org> about “Breast cancer recurrence”" in (
        output
    )
    assert "Would email the publishers (chief-publisher@example.org)" in output
    assert "Dry run: nothing was sent or recorded." in output
    assert mailoutbox == []
    assert ReviewReminder.objects.count() == 0


@pytest.mark.django_db
def test_drafts_under_review_are_reminded_too(owner, mailoutbox):
    draft = make_due("Never published", owner=owner, next_review_on=days(7))
    assert not draft.is_live

    remind()

    assert "Never published" in mailoutbox[0].body


@pytest.mark.django_db
def test_a_new_review_cycle_starts_a_fresh_series(team, owner, mailoutbox):
    first_due_on = datetime.date(2026, 7, 1)
    article = make_due("Recurrence", owner=owner, next_review_on=first_due_on)
    article = builders.publish(article, team)
    remind()
    assert stages(article) == ["overdue", "escalated"]

    # Both reviewers confirm the page is still accurate: a full review.
    for user in (team.clinician, team.lay):
        services.confirm_still_accurate(article=article, by=user)
    article.refresh_from_db()
    assert article.next_review_on > TODAY
    mailoutbox.clear()

    remind(on=article.next_review_on - datetime.timedelta(days=90))

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["owner@example.org"]
    assert list(
        article.review_reminders.order_by("sent_at", "pk").values_list(
            "due_on", "stage"
        )
    ) == [
        (first_due_on, "overdue"),
        (first_due_on, "escalated"),
        (article.next_review_on, "90"),
    ]


@pytest.mark.django_db
def test_articles_with_nobody_to_remind_are_listed_and_sent_to_publishers(
    publisher, mailoutbox
):
    no_email = builders.make_user("no-email", "Editors")
    no_email.email = ""
    no_email.save()
    unowned = make_due("Breast cancer recurrence", next_review_on=days(7))
    make_due("Secondary breast cancer", owner=no_email, next_review_on=days(30))

    output = remind()

    assert (
        "Needs an owner: “Breast cancer recurrence” (next review 2 December 2026, "
        "due in 7 days)." in output
    )
    assert "Needs an owner: “Secondary breast cancer”" in output
    assert "Emailed the publishers (chief-publisher@example.org) about" in output
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["chief-publisher@example.org"]
    assert "no owner" in mailoutbox[0].body
    assert "Secondary breast cancer" in mailoutbox[0].body
    reminder = unowned.review_reminders.get()
    assert (reminder.stage, reminder.sent_to) == ("7", "chief-publisher@example.org")
    assert remind() == "Nothing is due: no reminders to send.\n"


@pytest.mark.django_db
def test_without_a_publisher_to_tell_nothing_is_recorded(mailoutbox):
    make_due("Breast cancer recurrence", next_review_on=days(-40))

    output = remind()

    assert "Needs an owner: “Breast cancer recurrence”" in output
    assert "Not sent: no active publisher has an email address" in output
    assert mailoutbox == []
    assert ReviewReminder.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_send_records_nothing_and_names_the_owner(
    owner, mailoutbox, monkeypatch
):
    make_due("Breast cancer recurrence", owner=owner, next_review_on=days(7))

    def refuse(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        with pytest.raises(CommandError, match="Could not email owner <owner@ex"):
            remind()

    assert ReviewReminder.objects.count() == 0
    remind()
    assert len(mailoutbox) == 1
    assert ReviewReminder.objects.count() == 1


@pytest.mark.django_db
def test_an_invalid_date_is_refused():
    with pytest.raises(CommandError, match="Give it as YYYY-MM-DD"):
        call_command("send_review_reminders", "--date", "25/11/2026")


@pytest.mark.django_db
def test_the_demo_recurrence_article_is_reported_overdue():
    call_command("load_demo", stdout=StringIO())

    output = remind()

    assert (
        "“Breast cancer recurrence” (next review 1 July 2026, overdue by 147 days)"
        in output
    )


@pytest.mark.django_db
def test_the_demo_editor_hears_about_the_overdue_recurrence_article(
    settings, mailoutbox
):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    recurrence = Article.objects.get(slug="breast-cancer-recurrence")

    output = remind()

    assert "Emailed editor <editor@example.org>" in output
    to_editor = next(e for e in mailoutbox if e.to == ["editor@example.org"])
    assert "Breast cancer recurrence" in to_editor.body
    assert "Next review: 1 July 2026 (overdue by 147 days)" in to_editor.body
    to_publishers = next(e for e in mailoutbox if e.to == ["publisher@example.org"])
    assert "Breast cancer recurrence" in to_publishers.body
    assert set(recurrence.review_reminders.values_list("stage", flat=True)) == {
        "overdue",
        "escalated",
    }
