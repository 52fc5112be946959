import ctypes
import functools
import gc
import itertools

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.signals import request_started


class AdminConfig(admin_apps.SimpleAdminConfig):
    """Django's admin without registering every app's admin at start-up: the
    site registers them on first use (infosite/staff.py). Its system checks are
    Django's own, run over every registered model."""

    default = False  # Named in INSTALLED_APPS; "infosite" is InfositeConfig.
    default_site = "infosite.staff.AdminSite"

    def ready(self):
        super().ready()
        # Django's admin checks go through the sites made so far: make the site
        # now (cheap: nothing is registered until it is used).
        self.module.site.name  # noqa: B018


class InfositeConfig(AppConfig):
    """The project itself: settings checked at start-up (infosite/checks.py)."""

    name = "infosite"
    verbose_name = "infosite"

    def ready(self):
        from infosite import checks

        checks.register()
        request_started.connect(
            free_request_garbage, dispatch_uid="infosite.free_request_garbage"
        )


def free_request_garbage(**kwargs):
    """Free what earlier requests left in reference cycles (a request, its
    template context, model instances and querysets point at each other) as the
    next request starts, when they are certainly over: at request_finished the
    response is still being closed and its request still held.

    Left to Python's collector, much of it outlives its request into the oldest
    generation, which is collected only after tens of thousands more objects
    build up: a worker serving the glossary and article pages then holds about
    6 MB more. Collecting the two young generations costs about 0.1 ms after a
    page (0.5 ms after the glossary) and never walks the objects loaded at
    start-up. Pages answered from the page cache in front of Django skip it.

    Then, as a worker's second request starts and every
    ``RETURN_FREE_MEMORY_EVERY`` requests after, what is free is handed back to
    the system (``return_free_memory``).
    """
    gc.collect(1)
    served = next(_requests_started)
    if served == 2 or served % RETURN_FREE_MEMORY_EVERY == 0:
        return_free_memory()


# Requests this process has started; itertools.count is safe across threads.
_requests_started = itertools.count(1)
# A mix of public pages leaves another 0.5-0.6 MB free within a few hundred
# requests; handing it back takes about 0.2 ms, 1 µs a request at this rate
# (docs/performance.md, "Worker memory").
RETURN_FREE_MEMORY_EVERY = 200


def return_free_memory():
    """Hand the memory the C allocator holds free back to the system; return
    whether this system's C library can (glibc's ``malloc_trim``).

    Importing the site and serving its first page (templates compiled, the
    database connection opened) leave more than 1 MB free in the middle of the
    C heap, which glibc keeps in the process, counted in its resident memory,
    until asked. Asking takes 0.1-0.3 ms.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # Not glibc (musl, macOS): nothing to do.
        return None
