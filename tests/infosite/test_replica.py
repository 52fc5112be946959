"""Readers' pages from a read replica: two database aliases on one PostgreSQL."""

from unittest import mock

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from infosite import replica
from tests import builders

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a replica alias needs a database a second connection can reach",
)


if connection.vendor == "postgresql":
    # A second alias on the test database, as a replica would be. Added when this
    # module is collected, before the test databases are set up, as Django's
    # MIRROR setting expects; the site uses it only where a test says so.
    connections.settings[replica.REPLICA] = {
        **connections.settings["default"],
        "TEST": {"MIRROR": "default"},
    }

both = pytest.mark.django_db(transaction=True, databases=["default", replica.REPLICA])


@pytest.fixture
def replica_alias():
    with mock.patch.object(replica, "configured", return_value=True):
        yield connections[replica.REPLICA]


def queries_on_each(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[replica.REPLICA]) as copy,
    ):
        response = client.get(url)
    assert response.status_code == 200
    return len(primary), len(copy), response


@both
def test_a_readers_page_is_made_from_the_replica(client, replica_alias):
    team = builders.make_team()
    article = builders.publish(builders.make_article("Breast cancer recurrence"), team)

    primary, copy, response = queries_on_each(client, article.get_absolute_url())

    assert "Breast cancer recurrence" in response.content.decode()
    # The primary is asked only for its public version; the page comes from the
    # copy: the copy's own public version, then the page's two queries.
    assert primary == 1
    assert copy == 3


@both
def test_signed_in_staff_read_the_primary(client, replica_alias):
    team = builders.make_team()
    article = builders.publish(builders.make_article("Breast cancer recurrence"), team)
    client.force_login(team.editor)

    for url in (
        article.get_absolute_url(),
        f"/admin/articles/article/{article.pk}/change/",
    ):
        primary, copy, _ = queries_on_each(client, url)
        assert copy == 0
        assert primary > 0


@both
def test_a_replica_behind_a_publish_is_not_used(client, replica_alias):
    team = builders.make_team()
    article = builders.publish(builders.make_article("Breast cancer recurrence"), team)

    def behind(alias):
        return 0 if alias == replica.REPLICA else 7

    with mock.patch.object(replica, "_public_version", side_effect=behind):
        primary, copy, _ = queries_on_each(client, article.get_absolute_url())
    assert copy == 0
    assert primary == 2  # the page's two queries (the versions are stood in for)


@both
def test_writes_never_go_to_the_replica(replica_alias):
    router = replica.ReplicaRouter()
    token = replica._reading_from_replica.set(True)
    try:
        assert router.db_for_read(None) == replica.REPLICA
        assert router.db_for_write(None) == "default"
    finally:
        replica._reading_from_replica.reset(token)
    assert router.db_for_read(None) is None
    assert router.allow_migrate(replica.REPLICA, "articles") is False
