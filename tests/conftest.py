import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from notifications import sending
from tests import builders


@pytest.fixture
def topic(db):
    return builders.make_topic("Breast cancer", slug="breast-cancer")


@pytest.fixture
def team(db):
    """One user per role: editor, clinical reviewer, lay reviewer, publisher."""
    return builders.make_team()


@pytest.fixture
def article(draft, team):
    """The draft, approved by both reviewers and published, keeping its review dates."""
    return builders.publish(draft, team)


@pytest.fixture
def draft(db, topic):
    """An article with three sections, two references and three credits, never published."""
    clinician = builders.make_reviewer("Dr Sample Oncologist")
    lay = builders.make_reviewer(
        "Sample Lay Reviewer", kind="lived_experience", credentials="Living with cancer"
    )
    return builders.make_article(
        "Breast cancer recurrence",
        slug="breast-cancer-recurrence",
        topic=topic,
        references=[
            builders.make_reference("Advanced breast cancer: diagnosis and treatment"),
            builders.make_reference("Metastatic breast cancer", kind="web_page"),
        ],
        credits=[("wrote", lay), ("wrote", clinician)],
    )


@pytest.fixture
def editor_client(client, admin_user):
    """A test client signed in as a superuser, for the admin."""
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Start each test with an empty cache: database ids restart between tests.

    That includes Django's own cache of content types: a transactional test
    empties the database and its content types come back under new ids. And a
    test's email server that could not be reached is not taken to be still away.
    """
    cache.clear()
    ContentType.objects.clear_cache()
    sending.forget_unreachable()
