"""Settings are checked at start-up: a bad value stops the site with a message
naming the variable to fix."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from infosite import checks
from infosite import settings as project_settings


def infosite_with(settings, **changes):
    settings.INFOSITE = {**project_settings.INFOSITE, **changes}


def ids(errors):
    return [error.id for error in errors]


def test_the_shipped_settings_pass_every_check():
    assert checks.check_publishing_policy() == []
    assert checks.check_review_dates() == []
    assert checks.check_timeouts() == []
    assert checks.check_sign_in_throttling() == []
    assert checks.check_statement_timeout_in_production() == []


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ({}, ["infosite.E001"]),
        (None, ["infosite.E001"]),
        ({"surgeon": 1}, ["infosite.E002"]),
        ({"clinical": 0}, ["infosite.E003"]),
        ({"clinical": -1, "lived_experience": 1}, ["infosite.E003"]),
        ({"clinical": "one"}, ["infosite.E003"]),
        ({"Clinical": 1.5}, ["infosite.E002", "infosite.E003"]),
    ],
)
def test_a_publishing_policy_that_cannot_be_met_is_refused(settings, policy, expected):
    infosite_with(settings, PUBLISHING_POLICY=policy)
    assert ids(checks.check_publishing_policy()) == expected


def test_an_unknown_kind_is_named_with_the_kinds_there_are(settings):
    infosite_with(settings, PUBLISHING_POLICY={"clinical": 1, "nurse": 1})
    [error] = checks.check_publishing_policy()
    assert "“nurse”" in error.msg
    assert "clinical, lived_experience, editorial" in error.hint


def test_a_policy_with_every_kind_passes(settings):
    infosite_with(
        settings,
        PUBLISHING_POLICY={"clinical": 2, "lived_experience": 1, "editorial": 1},
    )
    assert checks.check_publishing_policy() == []


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ({}, ["infosite.E001"]),
        ({"pharmacist": 1}, ["infosite.E002"]),
        ({"clinical": 0}, ["infosite.E003"]),
    ],
)
def test_a_glossary_policy_that_cannot_be_met_is_refused_by_name(
    settings, policy, expected
):
    infosite_with(settings, GLOSSARY_POLICY=policy)
    errors = checks.check_publishing_policy()
    assert ids(errors) == expected
    assert all("GLOSSARY_POLICY" in error.msg for error in errors)


def test_the_glossary_policy_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("GLOSSARY_POLICY", "clinical:2")
    assert project_settings.env_policy("GLOSSARY_POLICY", "clinical:1") == {
        "clinical": 2
    }
    assert project_settings.INFOSITE["GLOSSARY_POLICY"] == {"clinical": 1}


@pytest.mark.parametrize("years", [0, 6, -3, "3", 2.5, None])
def test_a_review_interval_outside_one_to_five_years_is_refused(settings, years):
    infosite_with(settings, REVIEW_INTERVAL_YEARS=years)
    errors = checks.check_review_dates()
    assert "infosite.E004" in ids(errors)
    assert "REVIEW_INTERVAL_YEARS" in errors[0].msg


@pytest.mark.parametrize("years", [1, 3, 5])
def test_review_intervals_of_one_to_five_years_pass(settings, years):
    infosite_with(settings, REVIEW_INTERVAL_YEARS=years, REVIEW_NOTICE_DAYS=90)
    assert checks.check_review_dates() == []


@pytest.mark.parametrize(
    ("years", "days"), [(3, 0), (3, -5), (3, "90"), (3, 1095), (1, 400), (3, None)]
)
def test_a_review_notice_that_is_not_shorter_than_the_interval_is_refused(
    settings, years, days
):
    infosite_with(settings, REVIEW_INTERVAL_YEARS=years, REVIEW_NOTICE_DAYS=days)
    [error] = checks.check_review_dates()
    assert error.id == "infosite.E005"
    assert "REVIEW_NOTICE_DAYS" in error.msg


@pytest.mark.parametrize("seconds", [0, 31, -1, "2", 1.5])
def test_a_database_connect_timeout_out_of_range_is_refused(settings, seconds):
    settings.DB_CONNECT_TIMEOUT = seconds
    assert ids(checks.check_timeouts()) == ["infosite.E006"]


@pytest.mark.parametrize("milliseconds", [-1, "2000", 2.5])
def test_a_statement_timeout_that_is_not_a_whole_number_is_refused(
    settings, milliseconds
):
    settings.DB_STATEMENT_TIMEOUT_MS = milliseconds
    assert ids(checks.check_timeouts()) == ["infosite.E007"]


def test_no_statement_timeout_is_a_deployment_warning(settings):
    settings.DB_STATEMENT_TIMEOUT_MS = 0
    assert checks.check_timeouts() == []
    assert ids(checks.check_statement_timeout_in_production()) == ["infosite.W001"]


@pytest.mark.parametrize("seconds", [0, -1, 10, "0.25"])
def test_cache_socket_timeouts_out_of_range_are_refused(settings, seconds):
    settings.CACHES = {
        "default": {
            "BACKEND": "infosite.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": seconds},
        }
    }
    [error] = checks.check_timeouts()
    assert error.id == "infosite.E008"
    assert "socket_timeout" in error.msg


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("AXES_FAILURE_LIMIT", 0, "infosite.E009"),
        ("AXES_COOLOFF_TIME", datetime.timedelta(0), "infosite.E010"),
        ("TRUSTED_PROXY_COUNT", -1, "infosite.E011"),
    ],
)
def test_sign_in_throttling_settings_out_of_range_are_refused(
    settings, name, value, expected
):
    setattr(settings, name, value)
    assert ids(checks.check_sign_in_throttling()) == [expected]


@pytest.mark.django_db
def test_the_check_command_stops_with_the_message(settings):
    infosite_with(settings, PUBLISHING_POLICY={"clinical": 1, "lived_experience": 0})
    with pytest.raises(SystemCheckError, match="infosite.E003") as refused:
        call_command("check")
    assert "approvals from “lived_experience”" in str(refused.value)


@pytest.mark.django_db
def test_the_check_command_passes_with_the_shipped_settings(capsys):
    call_command("check")
    assert "no issues" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["clinical", "clinical:one", "clinical:1,lay"])
def test_a_policy_that_cannot_be_read_stops_the_site_naming_the_variable(
    monkeypatch, value
):
    monkeypatch.setenv("PUBLISHING_POLICY", value)
    with pytest.raises(ImproperlyConfigured, match="PUBLISHING_POLICY must be"):
        project_settings.env_policy("PUBLISHING_POLICY", "clinical:1")


def test_a_policy_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("PUBLISHING_POLICY", " clinical:2 , editorial:1 ")
    assert project_settings.env_policy("PUBLISHING_POLICY", "clinical:1") == {
        "clinical": 2,
        "editorial": 1,
    }
