"""The public site as files a static server or CDN can serve.

``export(directory)`` writes every public page (home, topics, live articles),
the sitemap, robots.txt and the static assets. Each page is made by the site
itself, through the same views and middleware a reader's request goes
through, and written only when its bytes changed, so a refresh touches only
what a publish changed. Pages that are no longer public are removed.

After a change the public sees (``pagecache.public_pages_changed``), a task
refreshes the directory named by the ``EXPORT_DIR`` setting; the task worker
(``manage.py db_worker``) runs it within seconds. A task that finds the
directory already exported at that public version or later does nothing, so
several changes in a row cost one refresh.
"""

import fcntl
import json
import os
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http.request import validate_host
from django.test import Client
from django.urls import NoReverseMatch, reverse

from .models import PublicVersion, Topic
from .publication import live_listing

STATE_FILE = ".export.json"
LOCK_FILE = ".export.lock"


class ExportError(Exception):
    pass


def public_paths():
    """Every public page's address, in a stable order."""
    paths = [reverse("articles:home")]
    paths += [topic.get_absolute_url() for topic in Topic.objects.order_by("pk")]
    paths += [
        reverse("articles:article", kwargs={"slug": slug})
        for slug in live_listing()
        .order_by("pk")
        .values_list("article__slug", flat=True)
    ]
    paths.append(reverse("articles:glossary"))
    paths.append(reverse("django.contrib.sitemaps.views.sitemap"))
    with suppress(NoReverseMatch):
        paths.append(reverse("robots_txt"))
    return paths


def file_for(path):
    """Where a page's address is written: /a/b/ as a/b/index.html."""
    relative = path.lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    return relative


def _client(base_url):
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ExportError(
            f"The site address must look like https://example.org, not {base_url!r}."
        )
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        raise ExportError(
            f"{parts.hostname} is not one of the site's ALLOWED_HOSTS: add it, or "
            "give the address the site is served at."
        )
    client = Client(HTTP_HOST=parts.netloc)
    client.secure = parts.scheme == "https"
    return client


def _write_if_changed(target, content):
    """Write ``content`` atomically; return whether the file changed."""
    if target.exists() and target.read_bytes() == content:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as temporary:
        temporary.write(content)
    os.replace(temporary.name, target)
    return True


def _copy_assets(directory):
    """Copy the static files under the static address, as collected for
    production (hashed names) or straight from the apps in development."""
    static = directory / settings.STATIC_URL.strip("/")
    written = 0
    root = Path(settings.STATIC_ROOT) if settings.STATIC_ROOT else None
    if root and root.is_dir() and any(root.iterdir()):
        sources = (
            (path.relative_to(root).as_posix(), path)
            for path in root.rglob("*")
            if path.is_file()
        )
    else:
        sources = (
            (relative, Path(storage.path(relative)))
            for finder in finders.get_finders()
            for relative, storage in finder.list([])
        )
    for relative, source in sources:
        written += _write_if_changed(static / relative, source.read_bytes())
    return written


@contextmanager
def _locked(directory):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _state(directory):
    try:
        return json.loads((directory / STATE_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return {"version": None, "files": []}


def _public_version():
    return PublicVersion.objects.values_list("value", flat=True).first() or 0


def export(directory, *, base_url, assets=True, if_older_than=None):
    """Write the public site into ``directory``; return what was done.

    ``if_older_than``: do nothing when the directory already holds that public
    version or a later one.
    """
    directory = Path(directory)
    with _locked(directory):
        state = _state(directory)
        if (
            if_older_than is not None
            and state["version"] is not None
            and state["version"] >= if_older_than
        ):
            return {"skipped": True, "written": 0, "removed": 0, "pages": 0}
        version = _public_version()
        client = _client(base_url)
        files, written = [], 0
        for path in public_paths():
            response = client.get(path, secure=client.secure)
            if response.status_code != 200:
                raise ExportError(
                    f"{path} answered {response.status_code}; nothing more was written."
                )
            files.append(file_for(path))
            written += _write_if_changed(directory / files[-1], response.content)
        removed = 0
        for stale in set(state["files"]) - set(files):
            (directory / stale).unlink(missing_ok=True)
            removed += 1
            with suppress(OSError):
                (directory / stale).parent.rmdir()  # only when left empty
        if assets:
            written += _copy_assets(directory)
        _write_if_changed(
            directory / STATE_FILE,
            json.dumps({"version": version, "files": sorted(files)}).encode(),
        )
        return {
            "skipped": False,
            "written": written,
            "removed": removed,
            "pages": len(files),
        }


def site_url():
    return getattr(settings, "SITE_URL", "") or "http://localhost"


def refresh_after_commit():
    """Ask the task worker to refresh ``EXPORT_DIR`` once this transaction
    commits (nothing when no directory is set)."""
    if not settings.INFOSITE["EXPORT_DIR"]:
        return
    from django.db import transaction

    from .tasks import refresh_export

    version = _public_version()
    transaction.on_commit(lambda: refresh_export.enqueue(version=version))
