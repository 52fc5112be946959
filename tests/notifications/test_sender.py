"""Emails must come from an address mail servers deliver: `check --deploy` warns
while DEFAULT_FROM_EMAIL is not at a real domain."""

import pytest

from notifications.checks import check_sender


@pytest.mark.parametrize(
    "value",
    [
        "infosite <noreply@localhost>",
        "noreply@localhost",
        "noreply@mail.localhost",
        "infosite",
        "",
    ],
)
def test_the_check_warns_of_a_sender_mail_servers_refuse(settings, value):
    settings.DEFAULT_FROM_EMAIL = value

    [warning] = check_sender()
    assert warning.id == "notifications.W001"
    assert f"DEFAULT_FROM_EMAIL is “{value}”" in warning.msg


@pytest.mark.parametrize(
    "value", ["infosite <noreply@info.example.org>", "information@example.org"]
)
def test_the_check_accepts_an_address_at_a_domain(settings, value):
    settings.DEFAULT_FROM_EMAIL = value

    assert check_sender() == []
