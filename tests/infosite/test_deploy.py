"""The deployment files name commands that exist, and every timer has its service."""

import multiprocessing
import re
import runpy
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


def gunicorn_settings(monkeypatch, cores, **env):
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: cores)
    for name in ("WEB_CONCURRENCY", "WEB_MAX_WORKERS", "GUNICORN_PRELOAD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY.parent / "gunicorn.conf.py"))


@pytest.mark.parametrize(
    ("cores", "env", "workers"),
    [
        (1, {}, 3),
        (2, {}, 5),
        (8, {}, 12),  # capped
        (8, {"WEB_MAX_WORKERS": "20"}, 17),
        (2, {"WEB_MAX_WORKERS": "2"}, 2),
        (2, {"WEB_CONCURRENCY": "9"}, 9),
    ],
)
def test_gunicorn_runs_two_workers_per_core_plus_one_within_the_cap(
    monkeypatch, cores, env, workers
):
    assert gunicorn_settings(monkeypatch, cores, **env)["workers"] == workers


def test_gunicorn_logs_requests_to_standard_output_and_preloads_only_if_asked(
    monkeypatch,
):
    settings = gunicorn_settings(monkeypatch, 2)
    assert settings["accesslog"] == "-"
    assert settings["preload_app"] is False
    assert settings["graceful_timeout"] <= settings["timeout"]
    assert gunicorn_settings(monkeypatch, 2, GUNICORN_PRELOAD="1")["preload_app"]
