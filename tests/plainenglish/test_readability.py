"""Readability scores: known values, awkward text, and no network."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from plainenglish import readability, text

# Worked by hand from the published formulas, with syllables from the CMU
# Pronouncing Dictionary: your 1, doctor 2, will 1, examine 3, you 1; treatment 2,
# is 1, given 2, in 1, hospital 3. So 10 words, 2 sentences, 17 syllables:
#   Flesch–Kincaid grade = 0.39 × 10/2 + 11.8 × 17/10 − 15.59 = 6.42
#   Flesch reading ease  = 206.835 − 1.015 × 10/2 − 84.6 × 17/10 = 57.94
#   reading age = grade + 5 = 11.42; long words (3+ syllables): 2 of 10.
KNOWN = "<p>Your doctor will examine you.</p><p>Treatment is given in hospital.</p>"


def test_known_text_scores_as_worked_by_hand():
    scores = readability.score(text.read(KNOWN).sentences)
    assert scores.words == 10
    assert scores.sentences == 2
    assert scores.average_sentence_words == 5.0
    assert scores.longest_sentence_words == 5
    assert scores.grade == 6.4
    assert scores.reading_age == 11.4
    assert scores.reading_ease == 57.9
    assert scores.long_word_share == 20.0
    assert scores.is_reliable


def test_one_short_sentence_scores_as_worked_by_hand():
    # "The cat sat on the mat.": 6 words, 1 sentence, 6 syllables.
    # grade = 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45; ease = 206.835 − 6.09 − 84.6 = 116.145
    scores = readability.score(["The cat sat on the mat."])
    assert scores.grade == pytest.approx(-1.45, abs=0.051)
    assert scores.reading_ease == pytest.approx(116.1, abs=0.051)
    assert not scores.is_reliable  # fewer than 10 words
    assert "too short" in scores.note


def test_list_items_count_as_sentences():
    body = "<p>Signs include:</p><ul><li>a lump</li><li>pain in your bones</li></ul>"
    assert text.read(body).sentences == [
        "Signs include:",
        "a lump",
        "pain in your bones",
    ]
    assert readability.score(text.read(body).sentences).sentences == 3


def test_sub_headings_are_not_sentences():
    parsed = text.read("<h3>What happens next</h3><p>You see a nurse.</p>")
    assert parsed.sentences == ["You see a nurse."]
    assert [heading.text for heading in parsed.headings] == ["What happens next"]


def test_an_empty_section_is_not_scored():
    scores = readability.score(text.read("<p></p>").sentences)
    assert scores.words == 0 and scores.reading_age is None
    assert scores.note == "There is no text to score."


def test_a_500_word_sentence_is_scored_as_one_sentence():
    body = "<p>" + " ".join(["and then the nurse checks"] * 100) + ".</p>"
    scores = readability.score(text.read(body).sentences)
    assert scores.words == 500
    assert scores.sentences == 1
    assert scores.longest_sentence_words == 500
    assert scores.reading_age > 100  # far above any target, and flagged


def test_text_in_another_language_is_marked_unreliable():
    body = (
        "<p>Le cancer du sein peut revenir après le traitement. Votre médecin "
        "vous expliquera les examens nécessaires pendant la consultation.</p>"
    )
    scores = readability.score(text.read(body).sentences)
    assert not scores.is_reliable
    assert "could not be scored reliably" in scores.note


def test_scoring_makes_no_network_access(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access while scoring")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # Words never scored before in this process, so nothing comes from a cache.
    scores = readability.score(["Zygomatic osteopathy reconsiders lymphoedema."])
    assert scores.words == 4


def test_importing_and_scoring_in_a_new_process_makes_no_network_access(tmp_path):
    script = """
import socket
def refuse(*args, **kwargs):
    raise SystemExit("network access")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.test_settings")
django.setup()
from plainenglish import readability
print(readability.score(["Your doctor will examine you.", "Treatment is given in hospital."]).grade)
"""
    # An empty home and nltk data folder: nothing downloaded earlier can help.
    env_home = {"HOME": str(tmp_path), "NLTK_DATA": str(tmp_path / "nltk")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, **env_home, "DATABASE_URL": "sqlite:///:memory:"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "6.4"
