"""The site's address must be known, and secure, before it sends emails in
production: every link in them is built from it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def site_url_problems(value):
    """Return what is wrong with ``value`` as the production SITE_URL, if anything."""
    if not value:
        return "SITE_URL is not set."
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        return f"SITE_URL must be an https address; it is “{value}”."
    if parts.path.strip("/") or parts.query or parts.fragment:
        return f"SITE_URL must be the site's address alone; it is “{value}”."
    return None


def check_site_url(app_configs=None, **kwargs):
    problem = site_url_problems(getattr(settings, "SITE_URL", ""))
    if problem is None:
        return []
    return [
        checks.Error(
            problem,
            hint="Set SITE_URL to the address people reach the site at, for "
            "example https://info.example.org: links in emails are built from it.",
            id="notifications.E001",
        )
    ]


def register():
    checks.register(check_site_url, checks.Tags.security, deploy=True)
