"""Each content check: a passing case and a failing one, naming the place and the fix."""

import datetime

import pytest

from articles.models import Reference
from plainenglish import checks, services, text
from plainenglish.models import HouseWord
from plainenglish.wordlist import WordList
from tests import builders

DAY = datetime.date(2026, 3, 2)


def run(check, body, *, heading="Symptoms", words=(), **context):
    section = checks.SectionText(heading, "symptoms", text.read(body))
    shared = checks.Context(
        targets=checks.targets(), word_list=WordList(list(words)), **context
    )
    return check(section, shared)


def test_a_sentence_over_the_setting_is_named_with_its_start():
    short = "<p>" + " ".join(["word"] * 25) + ".</p>"
    long = "<p>Short one. Longer " + " ".join(["longer"] * 25) + ".</p>"
    assert run(checks.long_sentences, short) == []
    [finding] = run(checks.long_sentences, long)
    assert finding.place == "“Symptoms”"
    assert finding.message == "A sentence of 26 words (the target is at most 25)."
    assert finding.excerpt.startswith("Longer longer") and finding.excerpt.endswith("…")
    assert "Split it" in finding.fix


def test_the_long_sentence_limit_is_a_setting(settings):
    settings.INFOSITE = {**settings.INFOSITE, "LONG_SENTENCE_WORDS": 5}
    assert run(checks.long_sentences, "<p>One two three four five.</p>") == []
    assert len(run(checks.long_sentences, "<p>One two three four five six.</p>")) == 1


def test_a_section_over_the_length_setting(settings):
    settings.INFOSITE = {**settings.INFOSITE, "SECTION_MAX_WORDS": 20}
    assert run(checks.section_length, "<p>" + "word " * 20 + "</p>") == []
    [finding] = run(checks.section_length, "<ul>" + "<li>two words</li>" * 11 + "</ul>")
    assert finding.message == "This section has 22 words (the target is at most 20)."


@pytest.mark.parametrize(
    "sentence",
    [
        "The scan was checked by a nurse.",
        "You will be given a leaflet.",
        "Treatment is usually offered in hospital.",
        "Results weren't sent by post.",
    ],
)
def test_passive_voice_is_a_hint(sentence):
    [finding] = run(checks.passive_voice, f"<p>{sentence}</p>")
    assert finding.is_hint
    assert finding.excerpt == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "A nurse checks the scan.",
        "You may need a blood test.",
        "The bed is red.",
        "It is important to rest.",
    ],
)
def test_active_sentences_have_no_passive_hint(sentence):
    assert run(checks.passive_voice, f"<p>{sentence}</p>") == []


@pytest.mark.parametrize(
    "link",
    [
        '<a href="https://www.nhs.uk/">click here</a>',
        '<a href="https://www.nhs.uk/">Here.</a>',
        '<a href="https://www.nhs.uk/">Read more</a>',
        '<a href="https://www.nhs.uk/">https://www.nhs.uk/conditions/</a>',
        '<a href="https://www.nhs.uk/"></a>',
    ],
)
def test_link_text_that_does_not_say_where_it_goes(link):
    [finding] = run(checks.link_text, f"<p>See {link} for advice.</p>")
    assert finding.excerpt == "https://www.nhs.uk/"
    assert "name of the page" in finding.fix


def test_link_text_naming_the_page_passes():
    body = '<p>See <a href="https://www.nhs.uk/">NHS advice on breast cancer</a>.</p>'
    assert run(checks.link_text, body) == []


def test_a_level_4_sub_heading_without_a_level_3():
    good = "<h3>Tests</h3><p>Text.</p><h4>Blood tests</h4><p>Text.</p><h3>Scans</h3>"
    assert run(checks.heading_order, good) == []
    [finding] = run(checks.heading_order, "<p>Text.</p><h4>Blood tests</h4>")
    assert finding.excerpt == "Blood tests"
    assert "level 4 with no level 3" in finding.message


@pytest.mark.django_db
def test_links_to_articles_not_on_the_public_site(article, topic):
    draft = builders.make_article("Hidden draft", slug="hidden-draft", topic=topic)
    body = (
        f'<p><a href="/articles/{article.slug}/">Live article</a>, '
        f'<a href="https://example.org/articles/hidden-draft/">Elsewhere</a>, '
        f'<a href="http://127.0.0.1:8000/articles/hidden-draft/">Hidden by address</a>, '
        f'<a href="/articles/{draft.slug}/" data-article="{article.pk}">Chosen live</a>, '
        f'<a href="#" data-article="{draft.pk}">Hidden by choice</a>, '
        '<a href="/articles/no-such-page/">Missing</a>.</p>'
    )
    analysis = services.analyse([("Links", "links", body)], word_list=WordList([]))
    messages = [
        finding["message"]
        for finding in analysis.sections[0]["findings"]
        if finding["check"] == "link_not_live"
    ]
    assert messages == [
        "The link “Hidden by address” goes to “Hidden draft”, which is not on the "
        "public site, so readers would not find it.",
        "The link “Hidden by choice” goes to “Hidden draft”, which is not on the "
        "public site, so readers would not find it.",
        "The link “Missing” goes to an article we do not have.",
    ]


def test_house_word_list_uses_name_the_alternative():
    words = [HouseWord(phrase="prior to", alternative="before", note="Plainer.")]
    assert run(checks.house_words, "<p>Before surgery, rest.</p>", words=words) == []
    [finding] = run(checks.house_words, "<h3>Prior to surgery</h3>", words=words)
    assert finding.message == "“Prior to” is on our house word list."
    assert finding.fix == "Write “before” instead. Plainer."


def reference(**fields):
    defaults = {
        "title": "Early breast cancer",
        "url": "https://www.nice.org.uk/guidance/ng101",
        "accessed_on": datetime.date(2025, 6, 1),
        "year": 2018,
        "updated_year": 2024,
    }
    return Reference(**(defaults | fields))


def run_references(references, *, reviewed_on=datetime.date(2025, 1, 10)):
    context = checks.Context(
        targets=checks.targets(),
        word_list=WordList([]),
        references=references,
        reviewed_on=reviewed_on,
        today=DAY,
    )
    return checks.reference_age(context)


def test_references_checked_since_the_last_review_and_recent_pass():
    assert run_references([reference(), reference(url="", accessed_on=None)]) == []


def test_a_reference_not_checked_since_the_last_review():
    [finding] = run_references([reference(accessed_on=datetime.date(2024, 12, 1))])
    assert finding.place == "References"
    assert finding.message == (
        "“Early breast cancer” has not been checked since the last review on "
        "10 January 2025."
    )


def test_a_reference_older_than_the_setting(settings):
    [finding] = run_references([reference(year=2009, updated_year=2020)])
    assert (
        finding.message == "“Early breast cancer” is from 2020, more than 5 years ago."
    )
    settings.INFOSITE = {**settings.INFOSITE, "REFERENCE_MAX_AGE_YEARS": 10}
    assert run_references([reference(year=2009, updated_year=2020)]) == []


@pytest.mark.django_db  # the medical-word check reads the live glossary
def test_a_section_above_the_reading_age_target_says_so():
    hard = (
        "<p>Adjuvant endocrine therapy considerably diminishes the probability of "
        "locoregional recurrence following conservative surgical intervention.</p>"
    )
    easy = "<p>You take the tablets for five years. They help stop the cancer coming back.</p>"
    analysis = services.analyse(
        [("Hard", "hard", hard), ("Easy", "easy", easy)], word_list=WordList([])
    )
    hard_checks = [f["check"] for f in analysis.sections[0]["findings"]]
    easy_checks = [f["check"] for f in analysis.sections[1]["findings"]]
    assert "reading_age" in hard_checks
    assert "reading_age" not in easy_checks
