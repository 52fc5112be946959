"""Email each article owner the reviews that are coming up or overdue."""

import argparse
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.utils import timezone

from reviews import reminders


class Command(BaseCommand):
    help = (
        "Email each article owner one list of their articles whose full review is "
        "due: at 90, 30 and 7 days before the next review date and once it has "
        "passed, each once. Articles overdue by more than 30 days, and articles "
        "with nobody to remind, are reported to the publishers. Safe to run daily "
        "from cron: a reminder already sent is never sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print who would get which reminders; send and record nothing.",
        )
        parser.add_argument(
            "--date",
            type=parse_day,
            help="Act as if today were this day, as YYYY-MM-DD (for catching up "
            "or testing). Defaults to today.",
        )
        parser.add_argument(
            "--base-url",
            type=parse_base_url,
            help="The site's address, used to build links in the emails, for "
            'example "https://info.example.org". Defaults to the SITE_URL setting.',
        )

    def handle(self, *args, dry_run=False, date=None, base_url=None, **options):
        base_url = base_url or settings.SITE_URL
        if not base_url:
            raise CommandError(
                "SITE_URL is not set, so the links in the reminders cannot be "
                "written. Set it to the site's address, for example "
                "https://info.example.org, or give --base-url."
            )
        plan = reminders.plan(today=date or timezone.localdate(), base_url=base_url)
        if plan.is_empty:
            self.stdout.write("Nothing is due: no reminders to send.")
            return
        for reminder in plan.unowned:
            self.stdout.write(
                self.style.WARNING(f"Needs an owner: {reminder.describe()}.")
            )
        for reminder in plan.undelivered:
            self.stdout.write(
                self.style.WARNING(
                    f"Not sent: no active publisher has an email address to tell "
                    f"about {reminder.describe()}."
                )
            )
        failed = []
        for email in plan.emails:
            about = email.summary()
            if dry_run:
                self.stdout.write(f"Would email {email.recipient} about {about}.")
                continue
            try:
                sent = reminders.send(email=email)
            except Exception as error:  # each mail backend raises its own errors
                failed.append(
                    f"Could not email {email.recipient} ({error}). Nothing was "
                    "recorded for them, so the next run tries again."
                )
                continue
            if sent:
                self.stdout.write(f"Emailed {email.recipient} about {about}.")
            else:
                self.stdout.write(
                    f"Skipped {email.recipient}: another run has just sent it."
                )
        if dry_run:
            self.stdout.write("Dry run: nothing was sent or recorded.")
        if failed:
            raise CommandError(" ".join(failed))


def parse_day(value):
    """Return the date in ``value`` (YYYY-MM-DD) for --date."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a date. Give it as YYYY-MM-DD, for example 2026-11-25."
        ) from None


def parse_base_url(value):
    """Return a checked site address for --base-url."""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a web address. Give the site's address, for example "
            "https://info.example.org."
        ) from None
    return value.rstrip("/")
