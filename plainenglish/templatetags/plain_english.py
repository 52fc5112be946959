"""The Plain English panels: in the article form and in the review workspace.

Both show what was stored when a version was saved; nothing is scored here.
"""

from django import template

from .. import checks, services
from ..models import RevisionReadability

register = template.Library()


def stored_result(readability):
    """Return a stored version's scores and findings as the panels show them."""
    if readability is None:
        return None
    return {
        "summary": readability.summary,
        "sections": services.with_links_checked_now(readability.sections),
        "findings": readability.findings,
        "targets": checks.targets(),
    }


def _stored(article_id, revision_id):
    if not article_id or not revision_id:
        return None
    return (
        RevisionReadability.objects.filter(
            article_revision__article_id=article_id,
            article_revision__revision_id=revision_id,
        )
        .select_related("article_revision")
        .first()
    )


@register.inclusion_tag("plainenglish/_editor_panel.html")
def plain_english_editor(article):
    """The panel in the article form: the last saved version's scores, kept up to
    date while the editor types by plainenglish/panel.js."""
    stored = _stored(article.pk, article.latest_revision_id) if article else None
    return {
        "article": article,
        "stored": stored,
        "result": stored_result(stored),
        "targets": checks.targets(),
    }


@register.inclusion_tag("plainenglish/_workspace.html")
def plain_english_review(article):
    """The workspace panel: the version under review against the live version."""
    live = article.live
    wanted = {article.latest_revision_id, live.revision_id if live else None} - {None}
    # Both versions in one query.
    found = {
        row.article_revision.revision_id: row
        for row in RevisionReadability.objects.filter(
            article_revision__article_id=article.pk,
            article_revision__revision_id__in=wanted,
        ).select_related("article_revision")
    }
    current = found.get(article.latest_revision_id)
    published = found.get(live.revision_id) if live else None
    result, live_result = stored_result(current), stored_result(published)
    rows = []
    if current is not None:
        for name, label, lower_is_better in COMPARED:
            if name == "finding_count":
                now, before = _count(result), _count(live_result)
            else:
                now = getattr(current, name)
                before = getattr(published, name) if published is not None else None
            rows.append(
                {
                    "label": label,
                    "now": now,
                    "before": before,
                    "change": _change(now, before, lower_is_better),
                }
            )
    return {
        "article": article,
        "current": current,
        "published": published,
        "is_same": bool(current and published and current.pk == published.pk),
        "rows": rows,
        "result": result,
        "targets": checks.targets(),
    }


COMPARED = [
    ("reading_age", "Reading age", True),
    ("reading_ease", "Reading ease (0 hard to 100 easy)", False),
    ("average_sentence_words", "Average sentence (words)", True),
    ("longest_sentence_words", "Longest sentence (words)", True),
    ("long_word_share", "Long words (3 or more syllables), %", True),
    ("words", "Words", None),
    ("finding_count", "Checks found", True),
]


def _count(result):
    if result is None:
        return None
    return len(result["findings"]) + sum(
        len(section["findings"]) for section in result["sections"]
    )


def _change(now, before, lower_is_better):
    if now is None or before is None or now == before:
        return ""
    direction = "up" if now > before else "down"
    if lower_is_better is None:
        return direction
    better = (now < before) == lower_is_better
    return f"{direction}: {'better' if better else 'worse'}"


@register.simple_tag
def regroup_findings(result):
    """Return the findings grouped by place, sections in reading order first."""
    groups = []
    for section in result.get("sections", []):
        if section.get("findings"):
            groups.append(
                {
                    "place": section["findings"][0]["place"],
                    "findings": section["findings"],
                }
            )
    if result.get("findings"):
        groups.append({"place": "References", "findings": result["findings"]})
    return groups
