"""Put live the scheduled revisions whose time has come."""

import argparse

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import workflow


class Command(BaseCommand):
    help = (
        "Publish every article whose scheduled time has come, putting live the "
        "exact revision that was approved and scheduled, then unpublish every "
        "article whose unpublish date has come (with the reason “Expired”). Safe "
        "to run every few minutes from cron: a schedule is removed when it is "
        "carried out, so each happens once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what is due and whether it would go live or come off; "
            "change nothing.",
        )
        parser.add_argument(
            "--now",
            type=parse_moment,
            help="Act as if it were this moment, as an ISO date and time such as "
            "2026-11-25T09:00 (local time unless an offset is given), for catching "
            "up or testing. Defaults to now.",
        )

    def handle(self, *args, dry_run=False, now=None, **options):
        now = now or timezone.now()
        # No revision block: publishing moves the live pointer and review dates,
        # which are kept out of revisions, so there is no content to record.
        if dry_run:
            # Publish and roll back, so refusals are reported exactly as they
            # would happen.
            with transaction.atomic():
                results = workflow.publish_due(now=now)
                expired = workflow.unpublish_due(now=now)
                transaction.set_rollback(True)
        else:
            # Not one transaction: each article goes live in its own, so a
            # failure with one holds no other back.
            results = workflow.publish_due(now=now)
            expired = workflow.unpublish_due(now=now)
        if not results:
            self.stdout.write("Nothing is scheduled to go live.")
        for article, refusal in results:
            if refusal is None:
                verb = "Would publish" if dry_run else "Published"
                self.stdout.write(f"{verb} “{article}”.")
            else:
                verb = "Would not publish" if dry_run else "Not published"
                self.stdout.write(self.style.WARNING(f"{verb} “{article}”: {refusal}"))
        for article, refusal in expired:
            if refusal is None:
                verb = "Would unpublish" if dry_run else "Unpublished"
                self.stdout.write(f"{verb} “{article}”: its unpublish date has come.")
            else:
                verb = "Would not unpublish" if dry_run else "Not unpublished"
                self.stdout.write(self.style.WARNING(f"{verb} “{article}”: {refusal}"))
        if dry_run and expired:
            self.stdout.write("Dry run: nothing was published or unpublished.")
        elif dry_run and results:
            self.stdout.write("Dry run: nothing was published.")


def parse_moment(value):
    """Return the aware datetime in ``value`` for --now."""
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a date and time. Give it as YYYY-MM-DDTHH:MM, for "
            "example 2026-11-25T09:00."
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
