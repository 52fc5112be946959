"""What only signed-in staff use is loaded on first use, not when a web worker
starts: a worker that only ever serves readers never builds the admin.

- ``AdminSite`` imports every app's ``admin.py`` (Django's ``autodiscover()``) the
  first time anything asks what is registered: a staff page, ``reverse("admin:…")``
  or the system checks.
- ``include_on_first_use`` is ``include()`` for a namespaced URLconf whose
  modules are imported when a path under its prefix is resolved or one of its
  names is reversed, not when readers' addresses are resolved or reversed.
"""

import threading

from django.contrib import admin
from django.urls import URLResolver
from django.urls.resolvers import RoutePattern


class AdminSite(admin.AdminSite):
    """Django's admin site, with every app's admin registered on first use."""

    site_header = "infosite editors"
    site_title = "infosite"
    index_title = "Patient information"

    def __init__(self, name="admin"):
        self._discovery = threading.RLock()
        self._discovered = False
        self._discovering = False
        super().__init__(name)

    @property
    def _registry(self):
        """The registered models: Django's admin reads and writes it here, so the
        apps' admin modules are imported before the first read."""
        self.discover()
        return self._models

    @_registry.setter
    def _registry(self, models):
        self._models = models

    def discover(self):
        """Import every installed app's ``admin.py``, once per process."""
        if self._discovered:
            return
        with self._discovery:
            # The admin modules' own registrations come back here while importing.
            if self._discovered or self._discovering:
                return
            self._discovering = True
            try:
                admin.autodiscover()
                self._discovered = True
            finally:
                self._discovering = False


class IncludedOnFirstUse(URLResolver):
    """A namespaced include whose URLconf is imported when first used.

    Django's resolver asks every include for its names the first time any name
    is reversed; a namespaced include's names are only needed once a name in its
    namespace is reversed, so until then this one answers without importing.
    """

    def _populate(self):
        if "url_patterns" in self.__dict__:
            super()._populate()

    @property
    def reverse_dict(self):
        self.url_patterns  # noqa: B018 - imports the URLconf.
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self.url_patterns  # noqa: B018
        return super().namespace_dict

    @property
    def app_dict(self):
        self.url_patterns  # noqa: B018
        return super().app_dict


def include_on_first_use(route, urlconf, namespace):
    """Return ``path(route, include(urlconf))`` for a URLconf module that sets
    ``app_name = namespace``, imported on first use."""
    return IncludedOnFirstUse(
        RoutePattern(route, is_endpoint=False),
        urlconf,
        app_name=namespace,
        namespace=namespace,
    )


class AdminURLs:
    """The admin site's URLconf, made when first used (see ``AdminSite``)."""

    app_name = "admin"

    @property
    def urlpatterns(self):
        return admin.site.get_urls()
