"""Load the demonstration topics, articles, references and sample reviewers."""

from collections import Counter, defaultdict

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from articles import rendering, workflow
from articles.content import WRITTEN_ROLES
from articles.models import (
    Article,
    ArticleReference,
    Credit,
    Reference,
    Reviewer,
    Section,
    Topic,
)
from articles.richtext import sanitise
from demo import content as demo_content
from plainenglish import services as plain_english
from plainenglish.models import HouseWord

INFINITIVES = {
    "created": "create",
    "updated": "update",
    "deleted": "delete",
    "published": "publish",
}
ARTICLE_FIELDS = (
    "slug",
    "title",
    "summary",
    "is_featured",
    "reviewed_on",
    "next_review_on",
)

TERM_FIELDS = ("slug", "title", "summary", "variants")


class Command(BaseCommand):
    help = (
        "Load the demonstration content: topics, articles with their sections and "
        "references, and invented sample reviewers, and publish the articles as "
        "approved by those reviewers. With DEBUG on, also create one sign-in per "
        "role. Safe to run again: rows that already match are left alone, so "
        "nothing new is saved, versioned, approved or published."
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
                    if settings.DEBUG:
                        loader.load_users()
                # After the revision block, so the revision it saved is current.
                loader.publish()
                # Versions saved before readability scores were kept get theirs.
                scored = plain_english.score_missing()
                # Pages left as they were, rendered by an earlier release.
                rendering.render_stale()
                if dry_run:
                    transaction.set_rollback(True)
        except (ValidationError, workflow.TransitionError) as error:
            raise CommandError(f"The demo content is not valid: {error}") from error
        except DatabaseError as error:
            raise CommandError(
                f"Could not load the demo content ({error}). "
                "Has `manage.py migrate` been run?"
            ) from error

        listed = loader.changes if options["verbosity"] else []
        for action, kind, label in listed:
            verb = f"Would {INFINITIVES[action]}" if dry_run else action.capitalize()
            self.stdout.write(f"{verb} {kind} “{label}”")
        for kinds, counts in loader.counts.items():
            summary = ", ".join(f"{n} {action}" for action, n in counts.items())
            self.stdout.write(f"{kinds.capitalize()}: {summary}.")
        if scored:
            self.stdout.write(f"Readability scores: {scored} saved version(s) scored.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        elif loader.changes:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content already up to date."))
        if loader.sign_ins and not dry_run:
            self.stdout.write(
                f"Demo sign-ins, password “{demo_content.DEMO_PASSWORD}” unless "
                f"changed: {', '.join(loader.sign_ins)}."
            )


class DemoLoader:
    """Bring the demo rows in line with `demo.content`.

    Saves only what differs, inside the caller's transaction and revision block.
    """

    def __init__(self):
        self.changes = []
        self.counts = defaultdict(Counter)
        self.articles = {}
        self.reviewers = {}
        self.sign_ins = []
        self.terms = {}

    def load(self):
        """Create or update every demo row."""
        # Before the articles, so their first scores already use the word list.
        for data in demo_content.HOUSE_WORDS:
            self.sync(HouseWord, data, "phrase")
        topics = {}
        for data in demo_content.TOPICS:
            values = {**data, "parent": topics.get(data["parent"])}
            topics[data["slug"]] = self.sync(Topic, values, "slug")[0]
        references = {
            key: self.sync(Reference, data, "title", "identifier")[0]
            for key, data in demo_content.REFERENCES.items()
        }
        self.reviewers = reviewers = {
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
        self.articles = {slug: article for slug, (article, _) in articles.items()}
        self.terms = {}
        for data in demo_content.GLOSSARY:
            values = {name: data[name] for name in TERM_FIELDS}
            values |= demo_content.GLOSSARY_REVIEW_DATES
            term, _ = self.sync(
                Article,
                {**values, "kind": Article.Kind.TERM},
                "slug",
                kind="glossary term",
            )
            related = [self.articles[slug] for slug in data["related"]]
            if self.sync_related(term, related):
                reversion.add_to_revision(term)
            self.terms[data["slug"]] = term

    def publish(self):
        """Approve and publish each demo glossary term and article whose current
        content is not live.

        The sample clinical reviewer approves each term; the sample reviewers
        credited on an article approve it. Each exact version is approved; it
        goes live keeping the review dates the demo data gives. Terms go first,
        so the articles are marked as they go live.
        """
        approver = self.reviewers[demo_content.GLOSSARY_APPROVER]
        for term in self.terms.values():
            term = Article.objects.get(pk=term.pk)
            if not term.has_unpublished_changes:
                continue
            workflow.publish_imported(
                term,
                reviewers=[approver],
                comment=demo_content.PUBLISH_COMMENT,
                approval_comment=demo_content.APPROVAL_COMMENT,
            )
            self.record("created", "approval", f"{term}: {approver.name}")
            self.record("published", "glossary term", term)
        for data in demo_content.ARTICLES:
            article = Article.objects.get(pk=self.articles[data["slug"]].pk)
            if not article.has_unpublished_changes:
                continue
            approvers = self.approvers(data["credits"])
            workflow.publish_imported(
                article,
                reviewers=approvers,
                comment=demo_content.PUBLISH_COMMENT,
                approval_comment=demo_content.APPROVAL_COMMENT,
            )
            for reviewer in approvers:
                self.record("created", "approval", f"{article}: {reviewer.name}")
            self.record("published", "article", article)

    def approvers(self, credits):
        """Return the credited reviewers whose kind the approval needs, once each."""
        people = [self.reviewers[key] for _, key in credits]
        wanted = demo_content.APPROVING_KINDS
        return list({p.pk: p for p in people if p.kind in wanted}.values())

    def load_users(self):
        """Create one demo sign-in per role if missing, and link them to the demo.

        An existing account is never changed, so a new password is kept.
        """
        User = get_user_model()
        users = {}
        for data in demo_content.USERS:
            username = data["username"]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = self.create_user(data)
            users[username] = user
            self.sign_ins.append(f"{username} ({data['group']})")
            reviewer = self.reviewers.get(data["reviewer"])
            has_profile = Reviewer.objects.filter(user=user).exists()  # one each
            if reviewer and reviewer.user_id is None and not has_profile:
                reviewer.user = user
                reviewer.save()
                self.record("updated", "reviewer", f"{reviewer.name}: linked to {user}")
        owner = users[demo_content.ARTICLE_OWNER]
        for article in [*self.articles.values(), *self.terms.values()]:
            if article.owner_id is None:
                article.owner = owner
                article.save(update_fields=["owner"])
                self.record("updated", "article owner", f"{article}: {owner}")

    def create_user(self, data):
        username = data["username"]
        try:
            group = Group.objects.get(name=data["group"])
        except Group.DoesNotExist:
            raise CommandError(
                f"The {data['group']} group is missing. Run `manage.py migrate` to "
                "create the roles."
            ) from None
        user = get_user_model().objects.create_user(
            username,
            email=f"{username}@{demo_content.EMAIL_DOMAIN}",
            password=demo_content.DEMO_PASSWORD,
            is_staff=data["is_staff"],
        )
        user.groups.add(group)
        self.record("created", "user", username)
        return user

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
        # Who reviewed and approved comes from their decisions, not credits.
        listed = [
            (role, reviewers[key]) for role, key in credits if role in WRITTEN_ROLES
        ]
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

    def sync(self, model, values, *keys, within=None, kind=None):
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
        label = f"{within}: {obj}" if within else obj
        self.record(action, kind or kind_of(model), label)
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
    if model is HouseWord:
        return "house word"

    return model._meta.verbose_name
