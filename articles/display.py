"""How dates and people are written wherever the site shows them, in one place.

Dates follow the formats in ``infosite/formats/en_GB`` ("1 July 2023", with a
time "1 July 2023, 09:00", in the site's local time); templates get the same
from the ``date`` filter and ``person`` from the ``display`` tag library.
"""

from django.utils import formats, timezone


def day(value):
    """Return a date as readers see it: "1 July 2023"."""
    return formats.date_format(value) if value else ""


def month(value):
    """Return a date's month and year: "July 2023"."""
    return formats.date_format(value, "YEAR_MONTH_FORMAT") if value else ""


def moment(value):
    """Return a date and time in local time: "1 July 2023, 09:00"."""
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def person(user, *, nobody=""):
    """Return the name a person is shown by: their full name, else their username."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()
