"""A search of thousands of words (a pasted page) in the admin answers normally,
using its first words, instead of building a query the database refuses."""

import pytest

from tests import builders

LISTS = [
    "/admin/articles/article/",
    "/admin/articles/reference/",
    "/admin/articles/topic/",
    "/admin/articles/reviewer/",
    "/admin/auth/user/",
    "/admin/plainenglish/houseword/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_a_ten_thousand_word_search_is_answered_with_its_first_words(
    editor_client, url
):
    words = " ".join(f"word{number}" for number in range(10_000))
    response = editor_client.get(url, {"q": words})
    assert response.status_code == 200
    assert "Only the first 20 words of your search were used." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_first_words_still_find_what_they_name(editor_client):
    builders.make_article("Breast cancer recurrence")
    builders.make_article("Secondary breast cancer")
    response = editor_client.get(
        "/admin/articles/article/", {"q": "recurrence " * 5_000}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Breast cancer recurrence" in page
    assert "Secondary breast cancer" not in page
