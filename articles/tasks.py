"""Background work, run by the task worker (``manage.py db_worker``)."""

from django.conf import settings
from django.tasks import task

from . import export


@task
def refresh_export(version):
    """Bring ``EXPORT_DIR`` up to public version ``version`` (or later)."""
    return export.export(
        settings.INFOSITE["EXPORT_DIR"],
        base_url=export.site_url(),
        if_older_than=version,
    )
