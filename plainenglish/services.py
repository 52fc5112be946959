"""Scoring and checking an article: while an editor types, and once per saved
version, stored with it."""

import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q

from articles import revisions
from articles.models import Article, ArticleRevision, Reference

from . import checks, glossary, medical, readability, text, wordlist
from .models import RevisionReadability

logger = logging.getLogger(__name__)


@dataclass
class Analysis:
    summary: readability.Scores
    sections: list  # [{"heading", "anchor", "scores", "findings"}, ...]
    findings: list  # about the whole article

    def as_dict(self):
        return {
            "summary": self.summary.as_dict(),
            "sections": self.sections,
            "findings": self.findings,
            "targets": checks.targets(),
        }


def _linked_articles(sections):
    """Return {("id", pk) or ("slug", slug): {"title", "is_live"}} for every
    article the sections link to, in two queries at most."""
    keys = {
        key
        for section in sections
        for link in section.body.links
        if (key := checks.linked_article_key(link)) is not None
    }
    if not keys:
        return {}
    ids = [value for kind, value in keys if kind == "id"]
    slugs = [value for kind, value in keys if kind == "slug"]
    articles = Article.objects.filter(Q(pk__in=ids) | Q(slug__in=slugs))
    live = set(articles.published().values_list("pk", flat=True))
    found = {}
    for pk, slug, title in articles.values_list("pk", "slug", "title"):
        info = {"title": title, "is_live": pk in live}
        found[("id", pk)] = found[("slug", slug)] = info
    return found


def _reading_age_finding(section, scores, target):
    if not scores.is_reliable or scores.reading_age is None:
        return []
    if scores.reading_age <= target:
        return []
    return [
        checks.Finding(
            "reading_age",
            section.place,
            f"Reading age {scores.reading_age:g} (the target is {target} or under).",
            "Use shorter sentences and everyday words; explain a medical word "
            "the first time you use it.",
        )
    ]


@dataclass(frozen=True)
class OwnText:
    """What a section's heading and text give, whatever else the article holds:
    the text read from its HTML, its scores, and the findings of the reading-age
    check and of ``checks.TEXT_ONLY_CHECKS`` ({check: [Finding]}). Shared, so
    never changed once made."""

    body: text.ParsedBody
    scores: readability.Scores
    long_words: int  # readability.long_words, summed for the whole article
    findings: dict


def read_own_text(heading, body, targets):
    """Return the ``OwnText`` of a section, worked out now."""
    parsed = text.read(body)
    section = checks.SectionText(heading, "", parsed)
    context = checks.Context(targets=targets, word_list=None)
    long_words = readability.long_words(parsed.sentences)
    scores = readability.score(parsed.sentences, long_word_count=long_words)
    findings = {
        "reading_age": _reading_age_finding(section, scores, targets["reading_age"])
    }
    for check in checks.TEXT_ONLY_CHECKS:
        findings[check] = check(section, context)
    return OwnText(parsed, scores, long_words, findings)


class KeptTexts:
    """The ``OwnText`` of the sections scored most recently in this process.

    Most saves change one section of many; the others give exactly what they
    gave last time, since their heading, text and the targets are the key and
    nothing stored is read. Kept only as long as the process, and only up to
    ``characters`` of section text (the least recently used go first), so a
    worker's memory stays small whatever is pasted.
    """

    def __init__(self, characters):
        self.characters = characters
        self._kept = OrderedDict()  # key: (OwnText, characters of its body)
        self._held = 0
        self._lock = threading.Lock()

    def get(self, heading, body, targets):
        """Return the ``OwnText`` of a section, worked out once per process."""
        key = (
            heading,
            hashlib.sha256(body.encode("utf-8", "surrogatepass")).digest(),
            tuple(sorted(targets.items())),
        )
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found[0]
        own = read_own_text(heading, body, targets)
        with self._lock:
            if key not in self._kept:
                self._kept[key] = (own, len(body))
                self._held += len(body)
            while self._held > self.characters and self._kept:
                _, (_, size) = self._kept.popitem(last=False)
                self._held -= size
        return own

    def clear(self):
        with self._lock:
            self._kept.clear()
            self._held = 0


# About 300 sections of 3,000 characters: the articles being edited at a time.
kept_texts = KeptTexts(characters=1_000_000)


def analyse(sections, *, references=(), reviewed_on=None, today=None, word_list=None):
    """Return the scores and findings of an article's sections.

    ``sections`` is a list of (heading, anchor, body HTML) in reading order.
    What each section's own text gives is kept between calls (``kept_texts``);
    the checks that read the glossary, the house word list or other articles
    run every time.
    """
    targets = checks.targets()
    own = [
        kept_texts.get(heading or "", body or "", targets)
        for heading, anchor, body in sections
    ]
    parsed = [
        checks.SectionText(heading or "", anchor or "", text_of.body)
        for (heading, anchor, body), text_of in zip(sections, own, strict=True)
    ]
    context = checks.Context(
        targets=targets,
        word_list=word_list if word_list is not None else wordlist.load(),
        linked_articles=_linked_articles(parsed),
        references=list(references),
        reviewed_on=reviewed_on,
        today=today,
    )
    results, everything = [], []
    for section, text_of in zip(parsed, own, strict=True):
        everything += section.body.sentences
        found = list(text_of.findings["reading_age"])
        for check in checks.SECTION_CHECKS:
            if check in text_of.findings:
                found += text_of.findings[check]
            else:
                found += check(section, context)
        results.append(
            {
                "heading": section.heading,
                "anchor": section.anchor,
                "scores": text_of.scores.as_dict(),
                "findings": [finding.as_dict() for finding in found],
                # Kept so that links can be checked again when shown (below).
                "article_links": [
                    {"text": link.text, "href": link.href, "article": link.article_id}
                    for link in section.body.links
                    if checks.linked_article_key(link) is not None
                ],
            }
        )
    return Analysis(
        summary=readability.score(
            everything, long_word_count=sum(text_of.long_words for text_of in own)
        ),
        sections=results,
        findings=[
            finding.as_dict()
            for check in checks.ARTICLE_CHECKS
            for finding in check(context)
        ],
    )


def with_links_checked_now(sections):
    """Return stored sections with their links to our articles checked again.

    Whether an article linked to is on the public site changes after a version
    is saved (it may be published or taken down since), so this one check is
    made again from the stored links, in two queries at most; the scores and
    the other findings are shown as stored.
    """
    return links_checked_now([sections])[0]


def links_checked_now(versions):
    """Return each stored version's sections with their links checked again (as
    ``with_links_checked_now``), for many versions in two queries at most, and
    without the medical words the live glossary has explained since (one query
    more, when there are any)."""
    stored = [
        [
            checks.SectionText(
                section.get("heading", ""),
                section.get("anchor", ""),
                text.ParsedBody(
                    links=[
                        text.Link(link["text"], link["href"], link["article"])
                        for link in section.get("article_links", [])
                    ]
                ),
            )
            for section in sections
        ]
        for sections in versions
    ]
    context = checks.Context(
        targets=checks.targets(),
        word_list=None,
        linked_articles=_linked_articles(
            [section for parsed in stored for section in parsed]
        ),
    )
    undefined = any(
        finding["check"] == medical.CHECK
        for sections in versions
        for section in sections
        for finding in section.get("findings", [])
    )
    marker = glossary.live_marker() if undefined else None
    refreshed = []
    for sections, parsed_sections in zip(versions, stored, strict=True):
        version = []
        for section, parsed in zip(sections, parsed_sections, strict=True):
            kept = [
                finding
                for finding in section.get("findings", [])
                if finding["check"] != "link_not_live"
            ]
            if marker is not None:
                kept = medical.still_undefined(kept, marker)
            now = [
                finding.as_dict() for finding in checks.links_not_live(parsed, context)
            ]
            version.append({**section, "findings": kept + now})
        refreshed.append(version)
    return refreshed


def _store(article_revision, analysis):
    summary = analysis.summary.as_dict()
    return RevisionReadability.objects.create(
        article_revision=article_revision,
        sections=analysis.sections,
        findings=analysis.findings,
        method=readability.METHOD,
        **summary,
    )


def score_new_revision(sender, instance, created, raw=False, **kwargs):
    """Score a newly saved version from the rows it was saved from.

    Connected to ``post_save`` of ``ArticleRevision``, so it runs in the save's
    own transaction. A failure here never stops an editor saving: it is logged,
    and ``score_revisions`` fills the gap. The database failing (an outage, a
    timeout) is logged in one line; anything else with its traceback, as the
    programming error it is.
    """
    if not created or raw:
        return
    try:
        with transaction.atomic():
            article = Article.objects.get(pk=instance.article_id)
            analysis = analyse(
                list(article.sections.values_list("heading", "anchor", "body")),
                references=[
                    link.reference
                    for link in article.reference_links.select_related("reference")
                ],
                reviewed_on=article.reviewed_on,
            )
            _store(instance, analysis)
    except DatabaseError as error:
        logger.error(
            "Could not score version %s of article %s: the database failed (%s: "
            "%s). The version is saved; score_revisions will score it later.",
            instance.number,
            instance.article_id,
            type(error).__name__,
            " ".join(str(error).split()),
        )
    except Exception:
        logger.exception(
            "Could not score version %s of article %s",
            instance.number,
            instance.article_id,
        )


def score_saved_version(article_revision, *, word_list=None):
    """Score a version saved before scores were kept, from what it saved."""
    snap = revisions.snapshot(article_revision.revision_id, article_revision.article_id)
    references = Reference.objects.in_bulk(
        [pk for pk in snap.content.reference_ids if pk is not None]
    )
    article = Article.objects.filter(pk=article_revision.article_id).first()
    analysis = analyse(
        list(snap.content.sections),
        references=[
            references[pk] for pk in snap.content.reference_ids if pk in references
        ],
        reviewed_on=article.reviewed_on if article else None,
        word_list=word_list,
    )
    try:
        with transaction.atomic():
            # Two runs at once (cron and an operator) score each version once.
            ArticleRevision.objects.select_for_update().get(pk=article_revision.pk)
            if RevisionReadability.objects.filter(
                article_revision=article_revision
            ).exists():
                return None
            return _store(article_revision, analysis)
    except IntegrityError:
        return None  # scored meanwhile, before the lock was taken


def unscored():
    """Return the saved versions of existing articles that have no scores yet."""
    return ArticleRevision.objects.filter(
        readability__isnull=True,
        article_id__in=Article.objects.values("pk"),
    ).order_by("article_id", "number")


def score_missing(*, dry_run=False):
    """Score every saved version that has none; return how many needed it."""
    missing = list(unscored())
    if not dry_run:
        word_list = wordlist.load()
        for article_revision in missing:
            score_saved_version(article_revision, word_list=word_list)
    return len(missing)
