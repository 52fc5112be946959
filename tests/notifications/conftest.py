import pytest

from tests import builders

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DOWN = {"default": {"BACKEND": "tests.notifications.backends.DownBackend"}}


@pytest.fixture
def owner(db):
    return builders.make_user("owner", "Editors")


@pytest.fixture
def owned(draft, owner):
    """The draft, owned by an editor other than the one who sends it for review."""
    draft.owner = owner
    draft.save(update_fields=["owner"])
    return draft


@pytest.fixture
def server_down(settings):
    settings.MAILERS = DOWN
    return settings
