"""Settings come from the environment, with no secrets by default in production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(code, **env):
    # The test run itself sets some of these; start from a production-like set.
    unset = {
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "TESTING",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "SITE_URL",
        "DEFAULT_FROM_EMAIL",
    }
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean |= {"DJANGO_SETTINGS_MODULE": "infosite.settings", **env}
    return subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_the_web_server_refuses_to_start_without_a_secret_key():
    result = run(["-c", "import infosite.wsgi"])
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"
    assert run(["-c", code]).stdout.strip() == "False []"
    assert run(["-c", code], DEBUG="1").stdout.strip().startswith("True ['localhost'")


def check_deploy(*options, **env):
    """`check --deploy` with ``options``, the production variables every site
    sets (a secret key, its host) and ``env``."""
    return run(
        ["manage.py", "check", "--deploy", *options],
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="info.example.org",
        **env,
    )


def warnings_fail(**env):
    return check_deploy(
        "--fail-level", "WARNING", SITE_URL="https://info.example.org", **env
    )


def test_deployment_checks_pass_with_production_variables():
    result = warnings_fail(DEFAULT_FROM_EMAIL="infosite <noreply@info.example.org>")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_checks_warn_of_emails_sent_from_localhost():
    """Review requests from noreply@localhost are refused or set aside by mail servers."""
    result = warnings_fail()
    assert result.returncode != 0
    assert "notifications.W001" in result.stderr
    assert "infosite <noreply@localhost>" in result.stderr


def test_the_email_server_is_given_ten_seconds_unless_told_otherwise():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.MAILERS['default']['OPTIONS']['timeout'])"
    )
    production = {"SECRET_KEY": secrets.token_urlsafe(50)}
    assert run(["-c", code], **production).stdout.strip() == "10.0"
    assert run(["-c", code], **production, EMAIL_TIMEOUT="3").stdout.strip() == "3.0"
