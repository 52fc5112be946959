"""A null character in any query parameter or form field is refused with the
site's own 400 page, and nothing reaches the database (on PostgreSQL it would
raise an error)."""

import pytest

from articles.models import Article, Topic

SEARCHES = [
    "/admin/articles/article/?q=%00",
    "/admin/articles/article/?topic__id__exact=%00",
    "/admin/autocomplete/?app_label=articles&model_name=article&field_name=related_articles&term=%00",
    "/admin/articles/reference/?q=a%00b",
    "/review/?q=%00",
    "/articles/breast-cancer-recurrence/?utm_source=%00",
    "/?%00=1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", SEARCHES)
def test_a_null_character_in_a_query_parameter_is_a_400(editor_client, url):
    response = editor_client.get(url)
    assert response.status_code == 400
    assert "Something in the request was not right" in response.content.decode()


@pytest.mark.django_db
def test_a_null_character_in_a_form_is_refused_and_nothing_saved(editor_client):
    response = editor_client.post(
        "/admin/articles/topic/add/",
        {"name": "Bone\x00 health", "slug": "bone-health", "order": "0"},
    )
    assert response.status_code == 400
    assert not Topic.objects.exists()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_ordinary_requests_pass(editor_client):
    response = editor_client.post(
        "/admin/articles/topic/add/",
        {"name": "Bone health", "slug": "bone-health", "order": "0"},
    )
    assert response.status_code == 302
    assert Topic.objects.filter(name="Bone health").exists()
    assert editor_client.get("/admin/articles/article/?q=recurrence").status_code == 200


@pytest.mark.django_db
def test_a_form_with_thousands_of_fields_is_refused_and_nothing_saved(editor_client):
    fields = {f"field{number}": "x" for number in range(2000)}
    fields |= {"name": "Bone health", "slug": "bone-health", "order": "0"}
    response = editor_client.post("/admin/articles/topic/add/", fields)
    assert response.status_code == 400
    assert "Something in the request was not right" in response.content.decode()
    assert not Topic.objects.exists()
