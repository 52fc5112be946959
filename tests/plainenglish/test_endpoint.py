"""The check the article form runs while an editor types."""

import json

import pytest
from django.urls import reverse

from plainenglish import views
from plainenglish.models import HouseWord, RevisionReadability
from tests import builders

pytestmark = pytest.mark.django_db
URL = "/plain-english/check/"


def post(client, data, **extra):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post(URL, body, content_type="application/json", **extra)


SECTIONS = {
    "article": None,
    "sections": [
        {
            "heading": "Treatment",
            "anchor": "treatment",
            "body": "<p>Your doctor will examine you.</p>"
            "<p>Treatment is given in hospital prior to surgery.</p>",
        },
        {"heading": "Empty", "anchor": "empty", "body": ""},
    ],
}


def test_an_editor_gets_scores_checks_and_word_list_suggestions(client, team):
    assert reverse("plainenglish:check") == URL
    HouseWord.objects.create(phrase="prior to", alternative="before")
    client.force_login(team.editor)
    before = RevisionReadability.objects.count()
    response = post(client, SECTIONS)
    assert response.status_code == 200
    data = response.json()
    assert data["summary"]["sentences"] == 2
    assert [s["heading"] for s in data["sections"]] == ["Treatment", "Empty"]
    assert data["sections"][1]["scores"]["note"] == "There is no text to score."
    checks = {f["check"] for f in data["sections"][0]["findings"]}
    assert {"house_word", "passive_voice"} <= checks
    assert "Write “before” instead." in data["html"]
    assert data["targets"]["reading_age"] == 11
    assert RevisionReadability.objects.count() == before  # nothing stored


def test_markup_in_the_text_comes_back_escaped(client, team):
    client.force_login(team.editor)
    response = post(
        client,
        {
            "sections": [
                {"heading": "<img src=x onerror=alert(1)>", "body": "<p>Hi.</p>"}
            ]
        },
    )
    assert "<img src=x" not in response.json()["html"]
    assert "&lt;img src=x" in response.json()["html"]


def test_references_of_the_article_are_checked(client, team, draft):
    client.force_login(team.editor)
    response = post(client, {**SECTIONS, "article": draft.pk})
    # The builders' references were last checked in 2021, before the 2023 review.
    assert any(
        f["check"] == "reference_not_checked" for f in response.json()["findings"]
    )


def test_people_who_cannot_change_articles_are_refused(client, team):
    assert post(client, SECTIONS).status_code == 403
    client.force_login(team.clinician)
    response = post(client, SECTIONS)
    assert response.status_code == 403
    assert response.json() == {"error": "You do not have permission to check articles."}


def test_only_post_is_allowed(client, team):
    client.force_login(team.editor)
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        json.dumps({"sections": "text"}),
        json.dumps({"sections": [{"heading": 3, "body": ""}]}),
        json.dumps({"sections": ["text"]}),
        json.dumps({"sections": [], "article": "1"}),
        json.dumps({"sections": [], "article": True}),
        json.dumps({"sections": [], "article": 2**70}),
        json.dumps({"sections": [{"body": "<p>x</p>"}] * (views.MAX_SECTIONS + 1)}),
        "[" * 100_000,
    ],
)
def test_bad_input_is_refused_with_a_message(client, team, body):
    client.force_login(team.editor)
    response = post(client, body)
    assert response.status_code == 400
    assert response.json() == {"error": "The text could not be read."}


def test_a_body_over_the_cap_is_refused(client, team):
    client.force_login(team.editor)
    big = json.dumps({"sections": [{"body": "x" * views.MAX_BODY_BYTES}]})
    response = post(client, big)
    assert response.status_code == 413
    assert (
        response.json()["error"] == "The article is too long to check while you type."
    )


def test_a_null_character_is_refused_not_a_server_error(client, team, draft):
    # PostgreSQL cannot store a null character; the check refuses it plainly.
    client.force_login(team.editor)
    body = {
        "article": draft.pk,
        "sections": [
            {
                "heading": "A",
                "body": f'<p><a href="/articles/{draft.slug}\x00/">x</a></p>',
            }
        ],
    }
    response = post(client, body)
    assert response.status_code == 400
    assert "null character" in response.json()["error"]


def test_a_link_slug_too_long_for_the_database_is_just_not_found(client, team):
    client.force_login(team.editor)
    slug = "a" * 400
    response = post(
        client,
        {
            "sections": [
                {"heading": "A", "body": f'<p><a href="/articles/{slug}/">Long</a></p>'}
            ]
        },
    )
    assert response.status_code == 200
    assert response.json()["sections"][0]["findings"][-1]["check"] == "link_not_live"


def test_an_editor_of_a_new_article_gets_scores_too(client):
    editor = builders.make_user("new-editor", "Editors")
    client.force_login(editor)
    response = post(
        client,
        {"article": None, "sections": [{"heading": "A", "body": "<p>Hello.</p>"}]},
    )
    assert response.status_code == 200
