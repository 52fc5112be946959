"""A save that changes one section scores only that section's own text again,
and stores exactly what scoring the whole article from scratch gives."""

import logging
from unittest import mock

import pytest
import reversion
from django.db import OperationalError

from articles.models import ArticleRevision
from plainenglish import checks, medical, readability, services
from plainenglish.models import HouseWord, RevisionReadability
from tests import builders

pytestmark = pytest.mark.django_db

BODIES = [
    "<p>Adjuvant endocrine therapy considerably diminishes the probability of "
    "locoregional recurrence following conservative surgical intervention.</p>",
    "<p>You will be given a leaflet. The scan was checked by a nurse.</p>"
    "<h4>Skipped a level</h4><p>Prior to your visit, drink water.</p>",
    "<p>Your oncologist may suggest a mastectomy. A lymphoedema nurse can "
    'help. Read <a href="https://www.nhs.uk/">click here</a> or '
    '<a href="/articles/no-such-article/">our page</a>.</p>',
    "<ul><li>Tiredness</li><li>Feeling sick</li><li>Hair loss</li></ul>"
    "<p>" + "Most people feel better after a few weeks of rest " * 3 + ".</p>",
    "<p>The nurses' station is on floor two. 'Tis the doctors' view that "
    "chemotherapy helps.</p>",
    "<p>Short.</p>",
]


def article_with_bodies(topic):
    article = builders.make_article(topic=topic, sections=len(BODIES))
    for index, body in enumerate(BODIES):
        builders.edit_section(article, body=body, index=index)
    return article


def stored(article):
    latest = ArticleRevision.objects.filter(article=article).latest("number")
    return RevisionReadability.objects.get(article_revision=latest)


def from_scratch(article):
    """Score the article as it is now with nothing kept from earlier scoring."""
    services.kept_texts.clear()
    medical.medical_words_in.cache_clear()
    analysis = services.analyse(
        list(article.sections.values_list("heading", "anchor", "body")),
        references=[link.reference for link in article.reference_links.all()],
        reviewed_on=article.reviewed_on,
    )
    return analysis.sections, analysis.findings, analysis.summary.as_dict()


def as_stored(row):
    return row.sections, row.findings, row.summary


def test_changing_one_section_scores_it_alone_and_stores_what_scratch_gives(topic):
    article = article_with_bodies(topic)
    with mock.patch.object(
        services, "read_own_text", wraps=services.read_own_text
    ) as read:
        builders.edit_section(
            article, body="<p>Rest helps. Mastectomy is an operation.</p>", index=3
        )
    assert read.call_count == 1  # the five unchanged sections were kept
    row = stored(article)
    checks_found = {f["check"] for s in row.sections for f in s["findings"]}
    assert {"reading_age", "passive_voice", "heading_order", "link_text"} <= (
        checks_found
    )
    assert {"undefined_term", "link_not_live"} <= checks_found
    assert as_stored(row) == from_scratch(article)


def test_a_house_word_added_since_is_found_in_an_unchanged_section(topic):
    article = article_with_bodies(topic)
    HouseWord.objects.create(phrase="prior to", alternative="before")
    builders.edit_section(article, body="<p>Rest helps.</p>", index=5)
    row = stored(article)
    assert [f["check"] for f in row.sections[1]["findings"]].count("house_word") == 1
    assert as_stored(row) == from_scratch(article)


def test_a_new_target_applies_to_unchanged_sections(topic, settings):
    article = article_with_bodies(topic)
    settings.INFOSITE = {**settings.INFOSITE, "LONG_SENTENCE_WORDS": 5}
    builders.edit_section(article, body="<p>Rest helps.</p>", index=5)
    row = stored(article)
    long = [f for f in row.sections[1]["findings"] if f["check"] == "long_sentence"]
    assert long  # "You will be given a leaflet." has six words
    assert as_stored(row) == from_scratch(article)


def test_a_medical_word_is_reported_once_where_first_used_after_a_change(topic):
    article = article_with_bodies(topic)
    # "mastectomy" now comes first in section 1, explained: no longer reported
    # in section 3, which did not change.
    builders.edit_section(
        article,
        body="<p>A mastectomy (an operation to remove the breast) may help.</p>",
        index=0,
    )
    row = stored(article)
    words = [
        f["word"]
        for s in row.sections
        for f in s["findings"]
        if f["check"] == "undefined_term"
    ]
    assert "mastectomy" not in words
    assert as_stored(row) == from_scratch(article)


def test_a_renamed_section_is_named_by_its_new_heading(topic):
    article = article_with_bodies(topic)
    with reversion.create_revision():
        section = article.sections.all()[1]
        section.heading = "Before your visit"
        section.save()
    row = stored(article)
    assert {f["place"] for f in row.sections[1]["findings"]} == {"“Before your visit”"}
    assert as_stored(row) == from_scratch(article)


def test_kept_texts_hold_at_most_their_characters_of_text():
    kept = services.KeptTexts(characters=60)
    targets = checks.targets()
    bodies = [f"<p>Section {n} says something plain.</p>" for n in range(3)]
    with mock.patch.object(
        services, "read_own_text", wraps=services.read_own_text
    ) as read:
        for body in bodies:  # 37 characters each: only the last one fits
            kept.get("Heading", body, targets)
        kept.get("Heading", bodies[2], targets)
        assert read.call_count == 3
        kept.get("Heading", bodies[0], targets)
        assert read.call_count == 4


@pytest.mark.parametrize(
    "sections",
    [
        [["The nurses'"], ["'Tis the doctors' view."]],
        [["Chemotherapy ends today"], ["Radiotherapy—then rest?"]],
        [["Dr. Patel sees you.", "Lymphoedema-related swelling"], ["Wait."]],
    ],
)
def test_long_words_of_an_article_are_its_sections_long_words(sections):
    whole = [sentence for section in sections for sentence in section]
    total = sum(readability.long_words(section) for section in sections)
    assert total == readability.long_words(whole)
    assert readability.score(whole, long_word_count=total) == readability.score(whole)


def test_a_database_failure_while_scoring_is_logged_in_one_line(topic, caplog):
    failure = OperationalError(
        "server closed the connection unexpectedly\n\tThis probably means the "
        "server terminated abnormally"
    )
    with (
        caplog.at_level(logging.ERROR, logger="plainenglish.services"),
        mock.patch.object(services, "analyse", side_effect=failure),
    ):
        article = builders.make_article("Saved in an outage", topic=topic)
    assert ArticleRevision.objects.filter(article=article).exists()
    [record] = [r for r in caplog.records if r.name == "plainenglish.services"]
    assert record.exc_info is None
    assert "\n" not in record.getMessage()
    assert record.getMessage() == (
        f"Could not score version 1 of article {article.pk}: the database failed "
        "(OperationalError: server closed the connection unexpectedly This "
        "probably means the server terminated abnormally). The version is saved; "
        "score_revisions will score it later."
    )


def test_a_programming_error_while_scoring_is_logged_with_its_traceback(topic, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="plainenglish.services"),
        mock.patch.object(services, "analyse", side_effect=KeyError("heading")),
    ):
        article = builders.make_article("Saved with a bug", topic=topic)
    [record] = [r for r in caplog.records if r.name == "plainenglish.services"]
    assert record.exc_info is not None
    assert record.exc_info[0] is KeyError
    assert f"article {article.pk}" in record.getMessage()
