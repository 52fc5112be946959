import datetime

from django.contrib.auth.models import User
from django.template import Context, Template

from articles import display


def test_dates_are_written_one_british_way():
    assert display.day(datetime.date(2023, 7, 1)) == "1 July 2023"
    assert display.month(datetime.date(2021, 11, 1)) == "November 2021"
    assert Template("{{ d|date }}").render(
        Context({"d": datetime.date(2023, 7, 1)})
    ) == ("1 July 2023")


def test_times_are_shown_in_local_time():
    summer = datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.UTC)
    assert display.moment(summer) == "1 July 2026, 09:30"  # British Summer Time
    winter = datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.UTC)
    assert display.moment(winter) == "1 December 2026, 08:30"


def test_people_are_shown_by_full_name_else_username():
    named = User(username="asample", first_name="Alex", last_name="Sample")
    assert display.person(named) == "Alex Sample"
    assert display.person(User(username="editor")) == "editor"
    assert display.person(None, nobody="The system") == "The system"
    template = Template('{% load display %}{{ user|person:"nobody" }}')
    assert template.render(Context({"user": None})) == "nobody"
