"""
WSGI config for infosite project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")

# Readers' requests for pages in the page cache are answered in front of Django
# (articles/pagecache.py); everything else goes to Django.
application = get_wsgi_application()

from articles.pagecache import KeptPages  # noqa: E402 - needs Django set up.

application = KeptPages(application)

# Fail at start-up, not on the first request, when production settings are missing.
if not settings.SECRET_KEY:
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable (see README.md)."
    )
