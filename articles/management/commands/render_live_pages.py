"""Store the body of every live page rendered as this release renders it."""

from django.core.management.base import BaseCommand

from articles import rendering


class Command(BaseCommand):
    help = (
        "Render the body of each live page whose stored body was rendered by "
        "another release (a changed page template, citation format or contact "
        "address) or never, and store it. Until then readers get such pages "
        "rendered on every request, which is slower, so run it after each "
        "upgrade, once the migrations have run. Safe to run again: pages "
        "already rendered as this release renders them are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the live pages that would be rendered; change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            count = len(rendering.stale_copies())
            self.stdout.write(f"Would render {count} live page(s).")
            return
        self.stdout.write(f"Rendered {rendering.render_stale()} live page(s).")
