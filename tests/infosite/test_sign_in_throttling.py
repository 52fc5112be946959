"""Sign-in throttling: after five wrong passwords for one username from one
address, that username is refused from that address, even with the right
password; other people and other addresses sign in as usual."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings

from infosite.throttling import client_address

PASSWORD = "correct horse battery staple"
LOGIN_URLS = ["/accounts/login/", "/admin/login/"]
READER = "203.0.113.5"
ELSEWHERE = "198.51.100.7"


def sign_in(client, username, password, login_url, address=READER, **headers):
    return client.post(
        login_url,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def five_wrong_passwords(client, username, login_url, address=READER, **headers):
    for attempt in range(4):
        response = sign_in(
            client, username, f"wrong {attempt}", login_url, address, **headers
        )
        assert response.status_code == 200  # the form again, with its error
        assert "Please enter a correct username and password" in (
            response.content.decode()
        )
    # The fifth says so at once.
    response = sign_in(client, username, "wrong 4", login_url, address, **headers)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", LOGIN_URLS)
def test_the_sixth_attempt_is_refused_even_with_the_right_password(
    client, team, login_url
):
    five_wrong_passwords(client, "editor", login_url)

    response = sign_in(client, "editor", PASSWORD, login_url)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Too many attempts to sign in" in page
    assert "Please wait 15 minutes" in page
    assert "the right password will not work either" in page
    assert signed_in_as(client) is None


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", LOGIN_URLS)
def test_four_wrong_passwords_still_let_the_right_one_in(client, team, login_url):
    for attempt in range(4):
        sign_in(client, "editor", f"wrong {attempt}", login_url)

    response = sign_in(client, "editor", PASSWORD, login_url)

    assert response.status_code == 302
    assert int(signed_in_as(client)) == team.editor.pk


@pytest.mark.django_db
def test_another_person_at_the_same_address_is_not_refused(client, team):
    five_wrong_passwords(client, "editor", "/accounts/login/")

    response = sign_in(client, "publisher", PASSWORD, "/accounts/login/")

    assert response.status_code == 302
    assert int(signed_in_as(client)) == team.publisher.pk


@pytest.mark.django_db
def test_the_same_person_from_another_address_is_not_refused(client, team):
    five_wrong_passwords(client, "editor", "/accounts/login/")

    response = sign_in(
        client, "editor", PASSWORD, "/accounts/login/", address=ELSEWHERE
    )

    assert response.status_code == 302
    assert int(signed_in_as(client)) == team.editor.pk


@pytest.mark.django_db
def test_wrong_passwords_on_both_forms_count_together(client, team):
    for attempt in range(3):
        sign_in(client, "editor", f"wrong {attempt}", "/accounts/login/")
    for attempt in range(2):
        sign_in(client, "editor", f"wrong again {attempt}", "/admin/login/")

    assert sign_in(client, "editor", PASSWORD, "/accounts/login/").status_code == 429


@pytest.mark.django_db
def test_after_the_wait_the_right_password_works_again(client, team):
    five_wrong_passwords(client, "editor", "/accounts/login/")
    assert sign_in(client, "editor", PASSWORD, "/accounts/login/").status_code == 429

    # Sixteen minutes pass.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= datetime.timedelta(minutes=16)
        attempt.save()

    response = sign_in(client, "editor", PASSWORD, "/accounts/login/")
    assert response.status_code == 302
    assert int(signed_in_as(client)) == team.editor.pk


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_made_up_forwarded_address_does_not_escape_the_limit(
    client, team
):
    # The proxy appends the address it saw; what comes before is the sender's.
    for made_up in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"):
        sign_in(
            client,
            "editor",
            "wrong",
            "/accounts/login/",
            address="127.0.0.1",
            x_forwarded_for=f"{made_up}, {READER}",
        )

    refused = sign_in(
        client,
        "editor",
        PASSWORD,
        "/accounts/login/",
        address="127.0.0.1",
        x_forwarded_for=f"10.0.0.6, {READER}",
    )
    assert refused.status_code == 429

    # Someone else behind the same proxy signs in.
    other = sign_in(
        client,
        "editor",
        PASSWORD,
        "/accounts/login/",
        address="127.0.0.1",
        x_forwarded_for=ELSEWHERE,
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "127.0.0.1"),
        (0, "203.0.113.5", "127.0.0.1"),  # no proxy: the header is the sender's
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "10.9.9.9, 203.0.113.5", "203.0.113.5"),
        (2, "10.9.9.9, 203.0.113.5, 192.0.2.10", "203.0.113.5"),
        (2, "203.0.113.5", "127.0.0.1"),  # fewer hops than configured
    ],
)
def test_the_client_address_is_read_behind_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected
