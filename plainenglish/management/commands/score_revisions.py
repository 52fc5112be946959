from django.core.management.base import BaseCommand

from plainenglish import services


class Command(BaseCommand):
    help = (
        "Work out the readability scores and content checks of every saved version "
        "of an article that has none yet (versions saved before scores were kept). "
        "Safe to run again: versions already scored are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many versions have no scores.",
        )

    def handle(self, *args, dry_run=False, **options):
        count = services.score_missing(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} saved version(s) have no scores yet.")
        else:
            self.stdout.write(f"Scored {count} saved version(s).")
