"""The house word list: how entries match, and entries that are refused."""

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction

from plainenglish.models import HouseWord
from plainenglish.wordlist import WordList
from tests import builders


def entry(phrase, alternative, **fields):
    return HouseWord(phrase=phrase, alternative=alternative, **fields)


def found(entries, text):
    return [use.found for use in WordList(entries).uses(text)]


def test_whole_words_only_in_any_capitals():
    words = [entry("prior to", "before"), entry("prior", "earlier")]
    assert found(words, "Prior to surgery, your priority is rest.") == ["Prior to"]
    assert found(words, "A prior scan.") == ["prior"]
    assert found(words, "Our priorities and a-priori reasoning.") == []


def test_spaces_inside_a_phrase_match_any_spacing():
    assert found([entry("prior to", "before")], "prior\n  to surgery") == [
        "prior\n  to"
    ]


def test_plurals_are_optional_per_entry():
    with_plurals = entry("oncologist", "cancer doctor", includes_plurals=True)
    without = entry("oncologist", "cancer doctor", includes_plurals=False)
    assert found([with_plurals], "Two oncologists met.") == ["oncologists"]
    assert found([without], "Two oncologists met.") == []


def test_an_alternative_containing_its_word_does_not_loop():
    words = [entry("oncologist", "cancer doctor (oncologist)")]
    fixed = "Your cancer doctor (oncologist) will explain."
    assert found(words, fixed) == []
    assert found(words, fixed + " The oncologist may call.") == ["oncologist"]


def test_the_longer_of_two_overlapping_entries_wins():
    words = [entry("cancer", "illness"), entry("secondary breast cancer", "spread")]
    uses = WordList(words).uses("It is secondary breast cancer, a cancer.")
    assert [(use.phrase, use.found) for use in uses] == [
        ("secondary breast cancer", "secondary breast cancer"),
        ("cancer", "cancer"),
    ]


def test_punctuation_in_a_phrase_is_plain_text_not_a_pattern():
    words = [entry("e.g.", "for example")]
    assert found(words, "Some drugs, e.g. tamoxifen.") == ["e.g."]
    assert found(words, "Some drugs, eXgX tamoxifen.") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phrase", "alternative", "field", "message"),
    [
        ("", "before", "phrase", "cannot be blank"),
        ("  ...!? ", "before", "phrase", "punctuation alone"),
        ("before", "Before", "alternative", "must be different"),
        ("prior to", "--", "alternative", "Type the words"),
    ],
)
def test_bad_entries_are_refused_with_a_message(phrase, alternative, field, message):
    word = HouseWord(phrase=phrase, alternative=alternative)
    with pytest.raises(Exception) as error:
        word.full_clean()
    assert any(message in text for text in error.value.message_dict[field])
    assert not HouseWord.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_in_other_capitals_is_refused_by_the_form_and_the_database():
    HouseWord.objects.create(phrase="prior to", alternative="before")
    duplicate = HouseWord(phrase="  Prior   To ", alternative="ahead of")
    with pytest.raises(Exception) as error:
        duplicate.full_clean()
    assert "already in the list" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseWord.objects.create(phrase="PRIOR TO", alternative="ahead of")
    assert HouseWord.objects.get().alternative == "before"


@pytest.mark.django_db
def test_editors_add_entries_in_the_admin_and_bad_ones_are_refused(client):
    editor = builders.make_user("sam", "Editors")
    client.force_login(editor)
    url = "/admin/plainenglish/houseword/add/"
    response = client.post(
        url,
        {"phrase": " prior   to ", "alternative": "before", "includes_plurals": "on"},
    )
    assert response.status_code == 302
    saved = HouseWord.objects.get()
    assert (saved.phrase, saved.alternative) == ("prior to", "before")

    response = client.post(url, {"phrase": "Prior To", "alternative": "ahead of"})
    assert response.status_code == 200
    assert "already in the list" in response.content.decode()
    response = client.post(url, {"phrase": "?!", "alternative": "before"})
    assert "punctuation alone" in response.content.decode()
    assert HouseWord.objects.count() == 1


@pytest.mark.django_db
def test_reviewers_cannot_change_the_word_list(client):
    reviewer = builders.make_user("rev", "Reviewers", is_staff=True)
    assert not reviewer.has_perm("plainenglish.add_houseword")
    client.force_login(reviewer)
    response = client.post(
        "/admin/plainenglish/houseword/add/", {"phrase": "prior to", "alternative": "b"}
    )
    assert response.status_code == 403
    assert not HouseWord.objects.exists()
    assert Permission.objects.filter(
        group__name="Editors", codename="change_houseword"
    ).exists()
