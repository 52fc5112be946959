"""Signing in takes each role to its home, and never off the site."""

from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from tests import builders

PASSWORD = "correct horse battery staple"
LOGIN_URLS = ["/accounts/login/", "/admin/login/"]


def sign_in(client, username, login_url, next_url=None):
    query = f"?next={next_url}" if next_url is not None else ""
    data = {"username": username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(login_url + query, data)


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", LOGIN_URLS)
@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("editor", "admin:index"),
        ("publisher", "admin:index"),
        ("clinician", "reviews:dashboard"),
        ("lay", "reviews:dashboard"),
    ],
)
def test_each_role_lands_at_its_home(client, team, login_url, role, home):
    response = sign_in(client, role, login_url)

    assert response.status_code == 302
    assert response.url == reverse(home)
    assert int(client.session["_auth_user_id"]) == getattr(team, role).pk


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", LOGIN_URLS)
def test_a_next_address_on_this_site_is_honoured(client, team, login_url):
    response = sign_in(client, "editor", login_url, "/review/due/")
    assert response.url == "/review/due/"


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", LOGIN_URLS)
@pytest.mark.parametrize(
    "evil",
    ["https://evil.example/steal", "//evil.example/steal", "http:evil.example"],
)
def test_a_next_address_off_site_is_ignored(client, team, login_url, evil):
    response = sign_in(client, "editor", login_url, evil)
    assert response.url == reverse("admin:index")

    client.logout()
    response = sign_in(client, "clinician", login_url, evil)
    assert response.url == reverse("reviews:dashboard")


@pytest.mark.django_db
def test_a_reviewer_sent_to_the_admin_lands_on_their_reviews(client, team):
    response = sign_in(client, "clinician", "/admin/login/", "/admin/")
    assert response.url == reverse("reviews:dashboard")
    page = client.get(response.url).content.decode()
    assert "Your account (clinician) cannot open /admin/, so you are at" in page


@pytest.mark.django_db
def test_a_wrong_password_signs_nobody_in(client, team):
    response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_footer_link_takes_each_role_home(client, team, article):
    page = client.get(article.get_absolute_url()).content.decode()
    footer_link = reverse("role_home")
    assert f'<a href="{footer_link}">Sign in for reviewers and staff</a>' in page

    response = client.get(footer_link)
    assert response.url == f"{reverse('login')}?next={footer_link}"
    response = sign_in(client, "publisher", reverse("login"), footer_link)
    assert response.url == reverse("admin:index")

    for user, home in [
        (team.editor, "admin:index"),
        (team.lay, "reviews:dashboard"),
    ]:
        client.force_login(user)
        assert client.get(footer_link).url == reverse(home)


@pytest.mark.django_db
def test_an_account_without_staff_status_is_not_sent_to_the_admin(client):
    helper = builders.make_user("helper", is_staff=False)
    response = sign_in(client, helper.username, "/admin/login/")
    assert response.url == reverse("reviews:dashboard")


STAFF_ONLY = "/plain-english/health/"  # guarded by the admin, outside /admin/


def shows_sign_in(response):
    return '<form method="post" action="/accounts/login/"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", LOGIN_URLS)
def test_signing_in_again_where_the_account_cannot_go_lands_at_home_with_why(
    client, team, login_url
):
    client.force_login(team.clinician)
    refused = client.get(STAFF_ONLY, follow=True)
    assert refused.redirect_chain == [(f"/admin/login/?next={STAFF_ONLY}", 302)]
    assert "Your account cannot open that page" in refused.content.decode()

    response = sign_in(client, "clinician", login_url, STAFF_ONLY)
    response = client.get(response.url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("reviews:dashboard")
    assert not shows_sign_in(response)
    page = response.content.decode()
    assert "Your account (clinician) cannot open /plain-english/health/" in page
    assert "ask the editorial team" in page
    assert int(client.session["_auth_user_id"]) == team.clinician.pk


@pytest.mark.django_db
def test_a_reviewer_who_follows_a_staff_link_and_signs_in_lands_at_home_with_why(
    client, team
):
    assert client.get(STAFF_ONLY).url == f"/admin/login/?next={STAFF_ONLY}"
    response = sign_in(client, "lay", "/admin/login/", STAFF_ONLY)
    assert response.url == STAFF_ONLY

    response = client.get(response.url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("reviews:dashboard")
    assert not shows_sign_in(response)
    assert "Your account (lay) cannot open /plain-english/health/" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_from_the_cannot_open_page_an_account_that_can_opens_it(client, team):
    client.force_login(team.clinician)
    assert client.get(STAFF_ONLY).url == f"/admin/login/?next={STAFF_ONLY}"

    response = sign_in(client, "editor", "/admin/login/", STAFF_ONLY)
    response = client.get(response.url)

    assert response.status_code == 200
    assert "Content health" in response.content.decode()
    assert int(client.session["_auth_user_id"]) == team.editor.pk


@pytest.mark.django_db
def test_the_sign_in_page_for_another_address_is_still_shown(client, team):
    sign_in(client, "clinician", "/accounts/login/", STAFF_ONLY)

    response = client.get("/accounts/login/?next=/review/due/")

    assert response.status_code == 200
    assert shows_sign_in(response)
    assert "Your account cannot open that page" in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Refusing a real connection needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("login_url", LOGIN_URLS)
def test_while_the_database_is_away_the_sign_in_page_says_so(client, login_url):
    """Before anyone types a password, not once they send the form."""
    connection.close()
    with mock.patch.dict(connection.settings_dict, {"PORT": "1"}):  # Refused.
        response = client.get(login_url)
        connection.close()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Sorry, this page is not available just now" in page
    assert 'name="password"' not in page
    assert client.get(login_url).status_code == 200  # The database is back.
