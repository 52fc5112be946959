"""Load the demonstration topics, articles, references and sample reviewers."""

from collections import Counter, defaultdict

import reversion
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from articles.models import Article, ArticleReference, Reference, Section, Topic
from articles.richtext import sanitise
from reviews import demo_content
from reviews.models import Credit, Reviewer

ARTICLE_FIELDS = (
    "slug",
    "title",
    "summary",
    "is_featured",
    "reviewed_on",
    "next_review_on",
)


class Command(BaseCommand):
    help = (
        "Load the demonstration content: topics, articles with their sections and "
        "references, and invented sample reviewers. Safe to run again: rows that "
        "already match are left alone, so nothing new is saved or versioned."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, updated or removed, then roll back.",
        )

    def handle(self, *args, dry_run=False, **options):
        loader = DemoLoader()
        try:
            with transaction.atomic():
                with reversion.create_revision():
                    reversion.set_comment(demo_content.REVISION_COMMENT)
                    loader.load()
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as error:
            raise CommandError(f"The demo content is not valid: {error}") from error
        except DatabaseError as error:
            raise CommandError(
                f"Could not load the demo content ({error}). "
                "Has `manage.py migrate` been run?"
            ) from error

        listed = loader.changes if options["verbosity"] else []
        for action, kind, label in listed:
            verb = f"Would {action[:-1]}" if dry_run else action.capitalize()
            self.stdout.write(f"{verb} {kind} “{label}”")
        for kinds, counts in loader.counts.items():
            summary = ", ".join(f"{n} {action}" for action, n in counts.items())
            self.stdout.write(f"{kinds.capitalize()}: {summary}.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        elif loader.changes:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content already up to date."))


class DemoLoader:
    """Bring the demo rows in line with `reviews.demo_content`.

    Saves only what differs, inside the caller's transaction and revision block.
    """

    def __init__(self):
        self.changes = []
        self.counts = defaultdict(Counter)

    def load(self):
        """Create or update every demo row."""
        topics = {}
        for data in demo_content.TOPICS:
            values = {**data, "parent": topics.get(data["parent"])}
            topics[data["slug"]] = self.sync(Topic, values, "slug")[0]
        references = {
            key: self.sync(Reference, data, "title", "identifier")[0]
            for key, data in demo_content.REFERENCES.items()
        }
        reviewers = {
            key: self.sync(Reviewer, data, "name")[0]
            for key, data in demo_content.REVIEWERS.items()
        }
        # Every article must exist before any can list another as related.
        articles = {}
        for data in demo_content.ARTICLES:
            values = {name: data[name] for name in ARTICLE_FIELDS}
            values["topic"] = topics[data["topic"]]
            articles[data["slug"]] = self.sync(Article, values, "slug")
        for data in demo_content.ARTICLES:
            article, changed = articles[data["slug"]]
            related = [articles[slug][0] for slug in data["related"]]
            changed |= self.sync_sections(article, data["sections"])
            changed |= self.sync_references(article, data["references"], references)
            changed |= self.sync_credits(article, data["credits"], reviewers)
            changed |= self.sync_related(article, related)
            if changed:
                # Record the article again now its sections, references and credits
                # are final, so this revision holds the whole page.
                reversion.add_to_revision(article)

    def sync_sections(self, article, sections):
        headings = [section["heading"] for section in sections]
        changed = self.remove(article.sections.exclude(heading__in=headings), article)
        for order, section in enumerate(sections, start=1):
            values = {
                "article": article,
                "heading": section["heading"],
                "body": sanitise(section["body"]),
                "order": order,
            }
            _, saved = self.sync(Section, values, "article", "heading", within=article)
            changed |= saved
        return changed

    def sync_references(self, article, keys, references):
        listed = [references[key] for key in keys]
        stale = article.reference_links.exclude(reference__in=listed)
        changed = self.remove(stale, article)
        for order, reference in enumerate(listed, start=1):
            values = {"article": article, "reference": reference, "order": order}
            keys = ("article", "reference")
            _, saved = self.sync(ArticleReference, values, *keys, within=article)
            changed |= saved
        return changed

    def sync_credits(self, article, credits, reviewers):
        listed = [(role, reviewers[key]) for role, key in credits]
        stale = article.credits.all()
        for role, reviewer in listed:
            stale = stale.exclude(role=role, reviewer=reviewer)
        changed = self.remove(stale, article)
        for order, (role, reviewer) in enumerate(listed, start=1):
            values = {"article": article, "reviewer": reviewer, "role": role}
            values["order"] = order
            keys = ("article", "reviewer", "role")
            _, saved = self.sync(Credit, values, *keys, within=article)
            changed |= saved
        return changed

    def sync_related(self, article, related):
        # Setting the same list again would still record a version: compare first.
        if set(article.related_articles.all()) == set(related):
            self.record("unchanged", "related articles list", article)
            return False
        article.related_articles.set(related)
        self.record("updated", "related articles list", article)
        return True

    def sync(self, model, values, *keys, within=None):
        """Return the row found by `keys`, created or updated to match `values`.

        Saves only when a value differs, so an unchanged row gets no new version.
        """
        lookup = {key: values[key] for key in keys}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj, action = model(**values), "created"
        else:
            action = "unchanged"
            for name, value in values.items():
                if getattr(obj, name) != value:
                    setattr(obj, name, value)
                    action = "updated"
        if action != "unchanged":
            obj.full_clean()
            obj.save()
        self.record(action, kind_of(model), f"{within}: {obj}" if within else obj)
        return obj, action != "unchanged"

    def remove(self, queryset, article):
        """Delete rows of a demo article that the data no longer lists."""
        removed = False
        for obj in queryset:
            obj.delete()
            self.record("deleted", kind_of(type(obj)), f"{article}: {obj}")
            removed = True
        return removed

    def record(self, action, kind, label):
        self.counts[f"{kind}s"][action] += 1
        if action != "unchanged":
            self.changes.append((action, kind, str(label)))


def kind_of(model):
    """Return a model's name for the report; two models are called "reference"."""
    if model is ArticleReference:
        return "article reference"
    return model._meta.verbose_name
