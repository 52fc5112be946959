"""Choosing an article's owner: editors and publishers can search accounts in the
admin's autocomplete, owners must be staff, and nobody without the account
permissions can list, open or change accounts."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import builders
from tests.articles.admin_forms import article_form_data


def search(client, term, *, model_name="article", field_name="owner"):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "articles",
            "model_name": model_name,
            "field_name": field_name,
        },
    )


def found(response):
    return [row["text"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_an_editor_finds_staff_owners_but_not_reviewers_without_admin_access(
    client, team
):
    client.force_login(team.editor)
    response = search(client, "")
    assert response.status_code == 200
    names = found(response)
    assert "publisher" in names and "editor" in names
    assert "clinician" not in names  # a reviewer who does not sign in to the admin


@pytest.mark.django_db
def test_a_publisher_finds_accounts_for_a_reviewer(client, team):
    client.force_login(team.publisher)
    response = search(client, "clin", model_name="reviewer", field_name="user")
    assert response.status_code == 200
    assert found(response) == ["clinician"]


@pytest.mark.django_db
def test_a_reviewer_cannot_search_accounts(client, team):
    client.force_login(team.clinician)
    assert search(client, "").status_code in (302, 403)


@pytest.mark.django_db
def test_a_null_byte_in_the_search_is_refused_with_the_sites_page(client, team):
    client.force_login(team.editor)
    response = search(client, "pub\x00lisher")
    assert response.status_code == 400
    assert "Something in the request was not right" in response.content.decode()


@pytest.mark.django_db
def test_editors_cannot_list_open_or_change_accounts(client, team):
    client.force_login(team.editor)
    publisher = team.publisher
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    change = reverse("admin:auth_user_change", args=[publisher.pk])
    assert client.get(change).status_code == 403
    response = client.post(change, {"username": "renamed", "is_superuser": "on"})
    assert response.status_code == 403
    publisher.refresh_from_db()
    assert publisher.username == "publisher" and not publisher.is_superuser
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index


@pytest.mark.django_db
def test_an_editor_chooses_the_owner_in_the_article_form(client, article, team):
    client.force_login(team.editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_form_data(article, owner=team.publisher.pk))
    assert response.status_code == 302
    assert builders.fresh(article).owner == team.publisher


@pytest.mark.django_db
def test_an_owner_who_is_not_staff_is_refused_with_a_message(client, article, team):
    client.force_login(team.editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_form_data(article, owner=team.clinician.pk))
    assert response.status_code == 200
    assert "That person cannot own articles" in response.content.decode()
    assert builders.fresh(article).owner is None


@pytest.mark.django_db
def test_the_model_refuses_an_owner_who_is_not_staff(draft):
    draft.owner = User.objects.create_user("visitor", is_staff=False)
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert "visitor cannot own articles" in str(refused.value)
