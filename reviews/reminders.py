"""Review reminders: which owners to remind that an article's review is due, and when.

An owner hears at 90, 30 and 7 days before the next review date and once it has
passed, each once for that date. An article overdue by more than 30 days is also
reported to the publishers, as is any article with nobody to remind.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles import display
from articles.models import Article

from .models import ReviewReminder

Stage = ReviewReminder.Stage

# Days before the next review at which each stage starts, nearest first.
STAGE_STARTS = [(7, Stage.SEVEN_DAYS), (30, Stage.THIRTY_DAYS), (90, Stage.NINETY_DAYS)]
# The owner's stages in the order they come; once one is sent, earlier ones are moot.
OWNER_STAGES = [Stage.NINETY_DAYS, Stage.THIRTY_DAYS, Stage.SEVEN_DAYS, Stage.OVERDUE]
ESCALATE_AFTER_DAYS = 30
PUBLISHERS_GROUP = "Publishers"


@dataclass(frozen=True)
class Reminder:
    """One reminder about one article that has not been sent yet."""

    article: Article
    stage: str
    days_left: int  # negative once the review date has passed

    @property
    def is_escalation(self):
        return self.stage == Stage.ESCALATED

    def when(self):
        """Return "overdue by 3 days", "due today" or "due in 30 days"."""
        days = abs(self.days_left)
        count = f"{days} day" if days == 1 else f"{days} days"
        if self.days_left < 0:
            return f"overdue by {count}"
        return f"due in {count}" if days else "due today"

    def describe(self):
        """Return the article's title, next review date and how close it is."""
        due = display.day(self.article.next_review_on)
        return f"“{self.article.title}” (next review {due}, {self.when()})"


@dataclass
class Email:
    """One email to send, and the reminders it carries."""

    to: list
    subject: str
    body: str
    reminders: list
    recipient: str  # who it is for, in words, for reports and errors

    def message(self):
        """Return the message to hand to Django's email backend."""
        return EmailMessage(self.subject, self.body, to=self.to)

    def summary(self):
        """Return the articles it is about, each once, for the command's report."""
        described = (reminder.describe() for reminder in self.reminders)
        return "; ".join(dict.fromkeys(described))


@dataclass
class Plan:
    """The emails due on one day, and the reminders nobody could be sent."""

    emails: list = field(default_factory=list)
    unowned: list = field(default_factory=list)
    undelivered: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.emails or self.unowned or self.undelivered)


def stage_on(*, next_review_on, today):
    """Return the reminder stage an article with this review date is at, or None."""
    days_left = (next_review_on - today).days
    if days_left < 0:
        return Stage.OVERDUE
    for days, stage in STAGE_STARTS:
        if days_left <= days:
            return stage
    return None


def due_reminders(*, today):
    """Return the reminders that should go out on ``today`` and have not been sent."""
    articles = (
        Article.objects.due_for_review(on=today, within_days=STAGE_STARTS[-1][0])
        .select_related("owner")
        .order_by("next_review_on", "title")
    )
    sent = set(
        ReviewReminder.objects.filter(article__in=articles).values_list(
            "article_id", "due_on", "stage"
        )
    )
    due = []
    for article in articles:
        days_left = (article.next_review_on - today).days
        stage = stage_on(next_review_on=article.next_review_on, today=today)
        # Only the current stage is sent: a skipped stage is no longer news.
        later = OWNER_STAGES[OWNER_STAGES.index(stage) :]
        if not any((article.pk, article.next_review_on, s) in sent for s in later):
            due.append(Reminder(article, stage, days_left))
        key = (article.pk, article.next_review_on, Stage.ESCALATED)
        if -days_left > ESCALATE_AFTER_DAYS and key not in sent:
            due.append(Reminder(article, Stage.ESCALATED, days_left))
    return due


def can_be_reminded(*, user):
    """Return True if ``user`` is an active account with an email address."""
    return bool(user and user.is_active and user.email)


def publisher_addresses():
    """Return the addresses of the active publishers, in order."""
    users = get_user_model().objects.filter(
        groups__name=PUBLISHERS_GROUP, is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def plan(*, today, base_url=None):
    """Return the emails to send on ``today``: one per owner, one to the publishers.

    Links start with ``base_url``, by default the ``SITE_URL`` setting.
    """
    base_url = base_url or settings.SITE_URL
    result = Plan()
    by_owner = {}
    escalated = []
    for reminder in due_reminders(today=today):
        owner = reminder.article.owner
        if reminder.is_escalation:
            escalated.append(reminder)
        elif can_be_reminded(user=owner):
            by_owner.setdefault(owner, []).append(reminder)
        else:
            result.unowned.append(reminder)
    for owner, reminders in sorted(
        by_owner.items(), key=lambda item: (item[0].email, item[0].pk)
    ):
        result.emails.append(
            owner_email(owner=owner, reminders=reminders, base_url=base_url)
        )
    if escalated or result.unowned:
        addresses = publisher_addresses()
        if addresses:
            result.emails.append(
                publishers_email(
                    addresses=addresses,
                    escalated=escalated,
                    unowned=result.unowned,
                    base_url=base_url,
                )
            )
        else:
            result.undelivered = escalated + result.unowned
    return result


def _article_lines(reminders, *, base_url, with_owner=False):
    lines = []
    for reminder in reminders:
        article = reminder.article
        due = display.day(article.next_review_on)
        lines += [f"- {article.title}", f"  Next review: {due} ({reminder.when()})"]
        if with_owner:
            lines.append(f"  Owner: {_owner_label(article.owner)}")
        lines += [
            f"  Review workspace: {workspace_url(article=article, base_url=base_url)}",
            "",
        ]
    return lines


def _owner_label(owner):
    if owner is None:
        return "none"
    if not can_be_reminded(user=owner):
        return f"{display.person(owner)} (no email address or account inactive)"
    return f"{display.person(owner)} <{owner.email}>"


def workspace_url(*, article, base_url):
    """Return the absolute address of the article in the review workspace."""
    return base_url.rstrip("/") + reverse("reviews:article", kwargs={"pk": article.pk})


def _count(reminders):
    return "1 article" if len(reminders) == 1 else f"{len(reminders)} articles"


def owner_email(*, owner, reminders, base_url):
    """Return one email telling an owner which of their articles need a review."""
    name = display.person(owner)
    if len(reminders) == 1:
        subject = f"Review reminder: {reminders[0].article.title}"
    else:
        subject = f"Review reminder: {_count(reminders)}"
    body = [
        f"Hello {name},",
        "",
        "These articles you own are due for a full review:",
        "",
        *_article_lines(reminders, base_url=base_url),
        "Open each one in the review workspace to confirm it is still accurate, "
        "or to update it and send it for review.",
    ]
    return Email(
        to=[owner.email],
        subject=subject,
        body="\n".join(body) + "\n",
        reminders=reminders,
        recipient=f"{name} <{owner.email}>",
    )


def publishers_email(*, addresses, escalated, unowned, base_url):
    """Return one email telling the publishers what is long overdue or unowned."""
    body = ["Hello,", ""]
    if escalated:
        body += [
            f"These articles are overdue for review by more than "
            f"{ESCALATE_AFTER_DAYS} days:",
            "",
            *_article_lines(escalated, base_url=base_url, with_owner=True),
        ]
    if unowned:
        body += [
            "These articles are due for review but have no owner who can be "
            "reminded (no owner, or one without an email address or with an "
            "inactive account). Give each one an owner:",
            "",
            *_article_lines(unowned, base_url=base_url, with_owner=True),
        ]
    articles = {reminder.article.pk for reminder in escalated + unowned}
    count = (
        "1 article needs" if len(articles) == 1 else f"{len(articles)} articles need"
    )
    return Email(
        to=addresses,
        subject=f"Reviews overdue or without an owner: {count} attention",
        body="\n".join(body),
        reminders=escalated + unowned,
        recipient="the publishers (" + ", ".join(addresses) + ")",
    )


def send(*, email):
    """Send one email and record its reminders; return False if already recorded."""
    sent_to = ", ".join(email.to)
    now = timezone.now()
    try:
        # The rows are written first but committed only once the email has gone:
        # a failed send records nothing, and a second run at the same moment
        # waits on the unique constraint instead of sending the email again.
        with transaction.atomic():
            for reminder in email.reminders:
                ReviewReminder.objects.create(
                    article=reminder.article,
                    due_on=reminder.article.next_review_on,
                    stage=reminder.stage,
                    sent_to=sent_to,
                    sent_at=now,
                )
            email.message().send()
    except IntegrityError:
        return False
    return True
