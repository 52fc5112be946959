"""Readers of a page whose next review date has passed are told it is being
reviewed, not shown a past date as if it were to come."""

import datetime

import pytest
from django.utils import timezone

BEING_REVIEWED = "Next review: this information is being reviewed"


def on_day(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)


@pytest.mark.django_db
def test_before_the_next_review_readers_see_its_date(client, article, monkeypatch):
    on_day(monkeypatch, datetime.date(2026, 7, 1))  # the day it falls due
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<time datetime="2026-07-01">1 July 2026</time>' in page
    assert BEING_REVIEWED not in page


@pytest.mark.django_db
def test_once_the_next_review_has_passed_readers_are_told_it_is_being_reviewed(
    client, article, monkeypatch, django_assert_max_num_queries
):
    on_day(monkeypatch, datetime.date(2026, 7, 2))
    with django_assert_max_num_queries(3):
        page = client.get(article.get_absolute_url()).content.decode()
    assert BEING_REVIEWED in page
    assert "1 July 2026" not in page
    # When it was last reviewed is still true, so it is still shown.
    assert '<time datetime="2023-07-01">1 July 2023</time>' in page
