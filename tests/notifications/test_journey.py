"""Through the pages, as people would: the editor sends an article for review, the
reviewer follows the link in their email and approves, and the owner hears."""

import re

import pytest
from django.test import Client

from articles.models import Reviewer
from tests import builders

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def link_in(email, prefix="http://127.0.0.1:8000/review/"):
    return re.search(re.escape(prefix) + r"\S+", email.body).group(0)


def test_a_reviewer_follows_the_emailed_link_approves_and_the_owner_hears(
    owned, team, django_capture_on_commit_callbacks, mailoutbox
):
    clinician = Reviewer.objects.get(user=team.clinician)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(team.editor).post(
            f"/review/articles/{owned.pk}/submit/",
            {"reviewers": [clinician.pk], "comment": "New dose table."},
        )
    assert response.status_code == 302
    [asked] = mailoutbox
    assert asked.to == ["clinician@example.org"]

    reviewer = signed_in(team.clinician)
    path = link_in(asked).removeprefix("http://127.0.0.1:8000")
    page = reviewer.get(path)
    assert page.status_code == 200
    assert "Breast cancer recurrence" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            f"{path}approve/",
            {"revision": builders.current(owned).pk, "comment": "Clear and right."},
        )
    assert response.status_code == 302

    heard = mailoutbox[1:]
    assert [email.to for email in heard] == [["owner@example.org"]]
    assert (
        heard[0].subject == "Approved by Dr Sample Clinician: Breast cancer recurrence"
    )
    assert "Clear and right." in heard[0].body
