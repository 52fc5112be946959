"""The deployment files name commands that exist, and every timer has its service."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parent.parent.parent / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("infosite-*"))


def commands_named_in(text):
    return re.findall(r"manage\.py (\w+)", text)


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_each_unit_runs_a_command_that_exists(unit):
    for command in commands_named_in(unit.read_text()):
        assert command in get_commands(), f"{unit.name} runs unknown {command}"


def test_every_timer_starts_a_service_that_is_shipped():
    timers = [unit for unit in UNITS if unit.suffix == ".timer"]
    assert {timer.stem for timer in timers} == {
        "infosite-publish-scheduled",
        "infosite-send-notifications",
        "infosite-review-reminders",
    }
    for timer in timers:
        assert timer.with_suffix(".service").exists()
        assert "OnCalendar=" in timer.read_text()


def test_the_web_server_checks_the_settings_before_it_starts():
    web = (DEPLOY / "systemd" / "infosite-web.service").read_text()
    assert "ExecStartPre=/srv/infosite/.venv/bin/python manage.py check --deploy" in web
    assert "gunicorn -c gunicorn.conf.py infosite.wsgi" in web


def test_the_crontab_runs_commands_that_exist():
    for command in commands_named_in((DEPLOY / "crontab").read_text()):
        assert command in get_commands(), f"crontab runs unknown {command}"
