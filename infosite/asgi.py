"""
ASGI config for infosite project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/
"""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")

application = get_asgi_application()

# Fail at start-up, not on the first request, when production settings are missing.
if not settings.SECRET_KEY:
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable (see README.md)."
    )
