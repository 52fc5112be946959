from django.core.management.base import BaseCommand, CommandError

from articles import export


class Command(BaseCommand):
    help = (
        "Write every public page, the sitemap and the static files into DIR, for a "
        "static web server or a CDN. Run again, it rewrites only what changed and "
        "removes pages that are no longer public."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--base-url",
            default=None,
            help="The public site's address, for the sitemap's links "
            "(default: the SITE_URL setting).",
        )
        parser.add_argument(
            "--no-assets", action="store_true", help="Leave the static files out."
        )

    def handle(self, directory, base_url, no_assets, **options):
        try:
            done = export.export(
                directory,
                base_url=base_url or export.site_url(),
                assets=not no_assets,
            )
        except (export.ExportError, OSError) as error:
            raise CommandError(str(error)) from error
        written = done["written"]
        self.stdout.write(
            f"Exported {done['pages']} pages to {directory}: {written} "
            f"file{'' if written == 1 else 's'} written, {done['removed']} removed."
        )
