"""Each person chooses which kinds of email they get."""

import pytest

from notifications.models import Kind, OptOut
from tests import builders

pytestmark = pytest.mark.django_db

URL = "/emails/"


def test_signing_in_is_needed(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/emails/"


def test_a_reviewer_sees_every_kind_ticked_at_first(client, team):
    client.force_login(team.lay)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your emails" in page
    for kind in Kind:
        assert f'value="{kind.value}"' in page
        assert kind.label in page
    assert page.count("checked") == len(Kind)


def test_unticking_a_kind_turns_it_off_and_ticking_it_turns_it_back_on(client, team):
    client.force_login(team.editor)
    kept = [kind for kind in Kind.values if kind != Kind.APPROVAL]

    response = client.post(URL, {"kinds": kept}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Your email choices are saved." in response.content.decode()
    assert list(OptOut.objects.values_list("user__username", "kind")) == [
        ("editor", Kind.APPROVAL)
    ]

    client.post(URL, {"kinds": Kind.values})

    assert not OptOut.objects.exists()


def test_saving_the_same_choice_twice_changes_nothing(client, team):
    client.force_login(team.editor)

    client.post(URL, {"kinds": [Kind.PUBLISHED]})
    client.post(URL, {"kinds": [Kind.PUBLISHED]})

    assert OptOut.objects.filter(user=team.editor).count() == len(Kind) - 1


def test_an_unknown_kind_is_refused_with_a_message_and_nothing_changes(client, team):
    OptOut.objects.create(user=team.editor, kind=Kind.PUBLISHED)
    client.force_login(team.editor)

    response = client.post(URL, {"kinds": ["everything", Kind.APPROVAL]})

    assert response.status_code == 200
    assert "Select a valid choice. everything is not one of the available choices." in (
        response.content.decode()
    )
    assert list(OptOut.objects.values_list("kind", flat=True)) == [Kind.PUBLISHED]


def test_an_account_with_no_part_in_the_work_is_refused(client):
    reader = builders.make_user("reader")
    client.force_login(reader)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"kinds": []}).status_code == 403
    assert not OptOut.objects.exists()


def test_an_account_without_an_email_address_is_told(client, team):
    team.lay.email = ""
    team.lay.save()
    client.force_login(team.lay)

    assert "Your account has no email address" in client.get(URL).content.decode()


def test_the_dashboard_links_to_the_page(client, team):
    client.force_login(team.clinician)

    page = client.get("/review/").content.decode()

    assert f'href="{URL}"' in page
