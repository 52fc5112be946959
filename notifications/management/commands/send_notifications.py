"""Send the workflow emails not sent yet, such as those the email server refused."""

from django.core.management.base import BaseCommand, CommandError

from notifications import sending
from notifications.models import Notification


class Command(BaseCommand):
    help = (
        "Send every workflow email not sent yet (for example because the email "
        "server was down when the move was made). Safe to run every few minutes "
        "from cron, even twice at once: each email is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the emails waiting to be sent; send nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        waiting = Notification.objects.unsent().select_related("article", "recipient")
        if not waiting.exists():
            self.stdout.write("No emails are waiting to be sent.")
            return
        if dry_run:
            for notification in waiting:
                self.stdout.write(f"Would email {describe(notification)}.")
            self.stdout.write("Dry run: nothing was sent.")
            return
        outcome = sending.send()
        for notification in outcome.sent:
            self.stdout.write(f"Emailed {describe(notification)}.")
        for notification, why in outcome.dropped:
            self.stdout.write(f"Not sent to {describe(notification)}: {why}.")
        if outcome.failed:
            problems = [
                f"Could not email {describe(notification)} ({error})."
                for notification, error in outcome.failed
            ]
            if untried := len(outcome.not_tried):
                problems.append(
                    f"The email server could not be reached, so the other {untried} "
                    + ("email was" if untried == 1 else "emails were")
                    + " not tried."
                )
            raise CommandError(
                " ".join(problems) + " They stay waiting, so the next run tries again."
            )


def describe(notification):
    """Return who an email is for and what about, for the command's report."""
    recipient = notification.recipient
    address = f" <{recipient.email}>" if recipient.email else ""
    return (
        f"{recipient.get_username()}{address} "
        f"({notification.get_kind_display().lower()}: “{notification.article.title}”)"
    )
