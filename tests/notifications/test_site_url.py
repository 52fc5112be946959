"""Links in emails start with SITE_URL, which production must set to an https
address: `check --deploy` fails otherwise."""

import datetime
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from notifications.checks import check_site_url
from tests import builders
from tests.test_settings import check_deploy

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_fails_without_a_site_url():
    result = check_deploy()

    assert result.returncode != 0
    assert "notifications.E001" in result.stderr
    assert "SITE_URL is not set." in result.stderr


def test_check_deploy_fails_with_a_plain_http_site_url():
    result = check_deploy(SITE_URL="http://info.example.org")

    assert result.returncode != 0
    assert "SITE_URL must be an https address" in result.stderr


def test_check_deploy_passes_with_an_https_site_url():
    result = check_deploy(SITE_URL="https://info.example.org")

    assert result.returncode == 0, result.stderr
    assert "notifications.E001" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "value",
    ["", "info.example.org", "http://info.example.org", "https://example.org/info?"],
)
def test_the_check_refuses_what_cannot_start_a_link(settings, value):
    settings.SITE_URL = value

    assert [error.id for error in check_site_url()] == ["notifications.E001"]


def test_the_check_accepts_an_https_address(settings):
    settings.SITE_URL = "https://info.example.org"

    assert check_site_url() == []


def test_without_debug_there_is_no_default():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SITE_URL"}}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(repr(settings.SITE_URL))"
    )
    run = lambda **extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "infosite.settings", **extra},
        capture_output=True,
        text=True,
    ).stdout.strip()

    assert run() == "''"
    assert run(DEBUG="1") == "'http://127.0.0.1:8000'"
    assert run(SITE_URL="https://info.example.org/") == "'https://info.example.org'"


REVIEW_DUE = datetime.date(2026, 11, 25)


@pytest.mark.django_db
def test_review_reminders_link_to_the_site_url(settings, mailoutbox):
    settings.SITE_URL = "https://info.example.org"
    owner = builders.make_user("owner", "Editors")
    article = builders.make_article(
        "Breast cancer recurrence", owner=owner, next_review_on=REVIEW_DUE
    )

    call_command(
        "send_review_reminders", "--date", REVIEW_DUE.isoformat(), stdout=StringIO()
    )

    assert f"https://info.example.org/review/articles/{article.pk}/" in (
        mailoutbox[0].body
    )


@pytest.mark.django_db
def test_review_reminders_refuse_to_run_without_a_site_url(settings, mailoutbox):
    settings.SITE_URL = ""
    owner = builders.make_user("owner", "Editors")
    builders.make_article("Due today", owner=owner, next_review_on=REVIEW_DUE)

    with pytest.raises(CommandError, match="SITE_URL is not set"):
        call_command("send_review_reminders", "--date", REVIEW_DUE.isoformat())

    assert mailoutbox == []
