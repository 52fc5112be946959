"""The deployment files name commands that exist, and every timer has its service."""

import io
import multiprocessing
import re
import runpy
import shlex
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command, get_commands
from django_tasks_db.models import DBTaskResult

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
        "infosite-housekeeping",
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


HOUSEKEEPING = DEPLOY / "systemd" / "infosite-housekeeping.service"
NOW = datetime(2026, 11, 28, 3, 45, tzinfo=UTC)


def housekeeping_commands():
    """The housekeeping commands with their arguments, as the systemd unit runs them."""
    return [
        shlex.split(line.split("manage.py ", 1)[1])
        for line in HOUSEKEEPING.read_text().splitlines()
        if line.startswith("ExecStart=")
    ]


def test_the_crontab_does_the_same_housekeeping_as_the_systemd_unit():
    [line] = [
        line
        for line in (DEPLOY / "crontab").read_text().splitlines()
        if "clearsessions" in line and not line.startswith("#")
    ]
    in_crontab = [shlex.split(part) for part in re.findall(r"manage\.py ([^&]+)", line)]
    assert in_crontab == housekeeping_commands()
    assert [command[0] for command in in_crontab] == [
        "clearsessions",
        "prune_db_task_results",
        "axes_reset_logs",
    ]


def _task_result(status, finished_at):
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished_at,
        run_after=datetime(2026, 1, 1, tzinfo=UTC),
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="articles.tasks.refresh_export",
        queue_name="default",
        backend_name="default",
        exception_class_path="",
        traceback="",
    )


def _sign_in_record(username, when):
    record = AccessLog.objects.create(username=username, ip_address="192.0.2.1")
    AccessLog.objects.filter(pk=record.pk).update(attempt_time=when)


@pytest.mark.django_db
def test_housekeeping_deletes_only_what_has_had_its_time():
    """Run as the unit runs it, on 28 November 2026: expired sessions go, task
    results after 30 days (failed ones after 90), sign-in records after 90 days."""
    for key, expires in [
        ("expired" + "0" * 33, datetime(2026, 11, 27, tzinfo=UTC)),
        ("current" + "0" * 33, datetime(2026, 12, 12, tzinfo=UTC)),
    ]:
        Session.objects.create(session_key=key, session_data="", expire_date=expires)
    kept_tasks = {
        _task_result("SUCCESSFUL", datetime(2026, 11, 20, tzinfo=UTC)).pk,
        _task_result("FAILED", datetime(2026, 10, 1, tzinfo=UTC)).pk,
        _task_result("READY", None).pk,  # Not run yet, however old.
    }
    _task_result("SUCCESSFUL", datetime(2026, 10, 1, tzinfo=UTC))
    _task_result("FAILED", datetime(2026, 8, 1, tzinfo=UTC))
    _sign_in_record("sample-editor-recent", datetime(2026, 11, 1, tzinfo=UTC))
    _sign_in_record("sample-editor-old", datetime(2026, 8, 1, tzinfo=UTC))

    with mock.patch("django.utils.timezone.now", return_value=NOW):
        for command in housekeeping_commands():
            call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())

    assert [
        key[:7] for key in Session.objects.values_list("session_key", flat=True)
    ] == ["current"]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == kept_tasks
    assert list(AccessLog.objects.values_list("username", flat=True)) == [
        "sample-editor-recent"
    ]


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
