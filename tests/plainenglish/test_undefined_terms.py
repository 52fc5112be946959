"""The content check "a medical word with no glossary entry", and the other checks
on hard input (another language, one 500-word sentence, nothing at all)."""

import pytest

from plainenglish import checks, glossary, medical, services, text
from plainenglish.glossary import Marker, Term
from plainenglish.models import RevisionReadability
from plainenglish.wordlist import WordList
from reviews import services as reviews_services
from tests import builders

ONCOLOGIST = Term(7, "oncologist", ("oncologist", "oncologists"))
SECONDARY = Term(2, "secondary-breast-cancer", ("secondary breast cancer",))


def context(*terms):
    return checks.Context(
        targets=checks.targets(), word_list=WordList([]), glossary=Marker(terms)
    )


def findings(*bodies, terms=()):
    """Run the check over sections of one article, sharing one context."""
    shared = context(*terms)
    found = []
    for number, body in enumerate(bodies):
        section = checks.SectionText(f"Part {number + 1}", "", text.read(body))
        found += medical.undefined_terms(section, shared)
    return found


def test_a_medical_word_with_no_glossary_entry_names_the_place_and_the_fix():
    [finding] = findings("<p>The cancer can come back as metastasis in the bones.</p>")
    assert finding.check == "undefined_term"
    assert finding.place == "“Part 1”"
    assert finding.word == "metastasis"
    assert finding.message == (
        "“metastasis” looks like a medical word, and the glossary does not explain it."
    )
    assert finding.fix.startswith(
        "Add “metastasis” to the glossary, or explain it in the sentence"
    )
    assert finding.excerpt.startswith("The cancer can come back")
    assert not finding.is_hint
    assert finding.as_dict()["word"] == "metastasis"


def test_everyday_words_pass():
    assert (
        findings(
            "<p>You may feel tired after treatment. Ask your nurse or doctor for help. "
            "The diagnosis is hard to hear, and therapy or a support programme helps.</p>"
        )
        == []
    )


@pytest.mark.parametrize(
    "word",
    [
        "mastectomy",
        "lymphoma",
        "hepatitis",
        "oncology",
        "haematologist",
        "endoscopy",
        "thrombosis",
        "anaemia",
        "radiotherapy",
        "neutropenia",
        "carcinogenic",
        "lymphoedema",
        "tamoxifen",
        "HER2",
        "chemo-radiotherapy",
    ],
)
def test_words_that_look_medical_are_reported(word):
    [finding] = findings(f"<p>Your team may talk about {word} with you.</p>")
    assert finding.word == word


@pytest.mark.parametrize(
    "word",
    ["program", "diploma", "technology", "microscope", "nostalgia", "mammoth", "back"],
)
def test_words_spelt_like_medical_ones_but_known_pass(word):
    assert findings(f"<p>Think about the {word} today.</p>") == []


def test_a_glossary_term_or_its_variant_covers_the_word():
    assert (
        findings(
            "<p>You will meet an oncologist.</p>",
            "<p>Oncologists work in teams.</p>",
            terms=[ONCOLOGIST],
        )
        == []
    )


def test_a_glossary_phrase_covers_the_words_inside_it():
    phrase = Term(9, "hormone-therapy", ("adjuvant hormone therapy",))
    assert findings("<p>You may have adjuvant hormone therapy.</p>") != []
    assert (
        findings("<p>You may have adjuvant hormone therapy.</p>", terms=[phrase]) == []
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "You will see a cancer doctor (oncologist) next week.",
        "You will see an oncologist (a cancer doctor) next week.",
        "You will see an oncologist, which means a cancer doctor.",
        "An oncologist is a doctor who treats cancer.",
        "Metastasis means the cancer has spread.",
        "Metastasis is when cancer spreads to another part of the body.",
        "When cancer spreads, doctors call it metastasis.",
        "Cancer that spreads is known as metastasis.",
    ],
)
def test_a_word_explained_in_its_sentence_counts_as_explained(sentence):
    assert findings(f"<p>{sentence}</p>") == []


def test_each_word_is_reported_once_per_article_where_it_is_first_unexplained():
    found = findings(
        "<p>The oncologist will see you. The oncologist is kind.</p>",
        "<p>Ask the oncologist about metastasis.</p>",
    )
    assert [(f.place, f.word) for f in found] == [
        ("“Part 1”", "oncologist"),
        ("“Part 2”", "metastasis"),
    ]


def test_a_word_explained_at_its_first_use_is_not_reported_later():
    assert (
        findings(
            "<p>You will see an oncologist (a cancer doctor).</p>",
            "<p>The oncologist may suggest tests.</p>",
        )
        == []
    )


def test_a_possessive_is_reported_as_the_word():
    [finding] = findings("<p>Your oncologist’s advice matters.</p>")
    assert finding.word == "oncologist"


def test_sub_headings_are_not_read_for_medical_words():
    assert findings("<h3>Oncology</h3><p>You see a nurse.</p>") == []


def test_the_check_runs_with_the_others_when_an_article_is_scored(monkeypatch):
    monkeypatch.setattr(glossary, "live_marker", lambda: Marker([ONCOLOGIST]))
    analysis = services.analyse(
        [
            ("Seeing a specialist", "s", "<p>An oncologist checks your biopsy.</p>"),
            ("Next", "n", "<p>The biopsy results come back in a week.</p>"),
        ],
        word_list=WordList([]),
    )
    undefined = [
        (finding["place"], finding["word"])
        for section in analysis.sections
        for finding in section["findings"]
        if finding["check"] == "undefined_term"
    ]
    assert undefined == [("“Seeing a specialist”", "biopsy")]


def test_stored_findings_drop_words_the_glossary_has_explained_since(monkeypatch):
    monkeypatch.setattr(glossary, "live_marker", lambda: Marker([]))
    sections = services.analyse(
        [("Results", "r", "<p>The biopsy and the oncologist.</p>")],
        word_list=WordList([]),
    ).sections
    words = [
        f.get("word") for f in services.with_links_checked_now(sections)[0]["findings"]
    ]
    assert "biopsy" in words and "oncologist" in words
    monkeypatch.setattr(glossary, "live_marker", lambda: Marker([ONCOLOGIST]))
    words = [
        f.get("word") for f in services.with_links_checked_now(sections)[0]["findings"]
    ]
    assert "biopsy" in words and "oncologist" not in words


def test_stored_findings_without_undefined_words_need_no_glossary(monkeypatch):
    def refuse():
        raise AssertionError("the glossary was read")

    monkeypatch.setattr(glossary, "live_marker", refuse)
    stored = [{"heading": "A", "anchor": "a", "findings": [], "article_links": []}]
    assert services.with_links_checked_now(stored)[0]["findings"] == []


@pytest.mark.django_db
def test_with_no_live_terms_the_live_glossary_is_empty():
    marker = glossary.live_marker()
    assert len(marker) == 0
    assert marker.mark(["<p>oncologist</p>"]) == (["<p>oncologist</p>"], [])


# Hard input for every check together.

FRENCH = (
    "<p>Le cancer du sein peut revenir après le traitement. Votre médecin vous "
    "expliquera les examens nécessaires pendant la consultation.</p>"
)
ONE_SENTENCE = "<p>" + " ".join(["and then the nurse checks"] * 100) + ".</p>"


def analyse(body, monkeypatch):
    monkeypatch.setattr(glossary, "live_marker", lambda: Marker([]))
    return services.analyse([("Hard input", "hard", body)], word_list=WordList([]))


def test_text_in_another_language_is_checked_without_error(monkeypatch):
    analysis = analyse(FRENCH, monkeypatch)
    [section] = analysis.sections
    assert not section["scores"]["is_reliable"]
    # No reading age is claimed for it, and no French word is taken for a
    # medical English one.
    assert {f["check"] for f in section["findings"]} <= {"passive_voice"}


def test_a_section_that_is_one_500_word_sentence_is_checked_without_error(
    monkeypatch,
):
    analysis = analyse(ONE_SENTENCE, monkeypatch)
    [section] = analysis.sections
    found = {f["check"]: f for f in section["findings"]}
    assert found["long_sentence"]["message"] == (
        "A sentence of 500 words (the target is at most 25)."
    )
    assert found["long_sentence"]["excerpt"].endswith("…")
    assert found["long_section"]["message"].startswith("This section has 500 words")
    assert "reading_age" in found


@pytest.mark.parametrize("body", ["", "<p></p>", "<p> </p><ul><li></li></ul>"])
def test_an_empty_section_has_no_findings(body, monkeypatch):
    [section] = analyse(body, monkeypatch).sections
    assert section["findings"] == []


# The live glossary, read from published terms.


@pytest.fixture
def team(db):
    return builders.make_team()


def test_the_live_glossary_is_the_terms_as_approved(team):
    oncologist = builders.publish_term(
        builders.make_term("Oncologist", variants="oncologists\n\n  cancer doctors "),
        team,
    )
    builders.make_term("Biopsy")  # a draft: not live
    builders.edit_term(oncologist, variants="oncologists\nmedical oncologist")
    [term] = glossary.live_terms()
    assert term == Term(
        oncologist.pk, oncologist.slug, ("Oncologist", "oncologists", "cancer doctors")
    )


def test_the_live_matcher_is_built_again_only_when_the_glossary_changes(
    team, django_assert_num_queries
):
    oncologist = builders.publish_term(builders.make_term("Oncologist"), team)
    first = glossary.live_marker()
    assert [m.term.id for m in first.find("an oncologist")] == [oncologist.pk]
    with django_assert_num_queries(1):
        assert glossary.live_marker() is first
    builders.edit_term(oncologist, variants="oncologists")
    assert glossary.live_marker() is first  # a draft change: readers see no change
    builders.publish_term(oncologist, team)
    second = glossary.live_marker()
    assert second is not first
    assert [m.text for m in second.find("Oncologists")] == ["Oncologists"]
    reviews_services.unpublish(article=oncologist, by=team.publisher, comment="Gone")
    assert glossary.live_marker().find("oncologists") == []


def test_a_medical_word_stops_being_reported_once_its_term_is_live(team):
    article = builders.make_article("Seeing a specialist", sections=1)
    builders.edit_section(article, body="<p>You will see an oncologist soon.</p>")
    stored = RevisionReadability.objects.get(
        article_revision__article=article,
        article_revision__number=builders.current(article).number,
    )

    def words():
        sections = services.with_links_checked_now(stored.sections)
        return [f["word"] for f in sections[0]["findings"] if "word" in f]

    assert words() == ["oncologist"]
    builders.publish_term(
        builders.make_term("Oncologists", variants="oncologist"), team
    )
    assert words() == []
