"""Before the site sends emails in production: its address must be known, and
secure, since every link in them is built from it; and they must come from an
address mail servers will deliver."""

from email.utils import parseaddr
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


def sender_problems(value):
    """Return what is wrong with ``value`` as the production sender, if anything."""
    address = parseaddr(value)[1]
    domain = address.rpartition("@")[2].lower().rstrip(".")
    if "@" not in address or "." not in domain or domain.endswith(".localhost"):
        return (
            f"DEFAULT_FROM_EMAIL is “{value}”: mail servers refuse or set aside "
            "email from an address that is not at a real domain."
        )
    return None


def check_sender(app_configs=None, **kwargs):
    problem = sender_problems(getattr(settings, "DEFAULT_FROM_EMAIL", ""))
    if problem is None:
        return []
    return [
        checks.Warning(
            problem,
            hint="Set DEFAULT_FROM_EMAIL to an address at your organisation's "
            "domain, for example “infosite <noreply@example.org>”: review "
            "requests, reminders and notifications are sent from it.",
            id="notifications.W001",
        )
    ]


def register():
    checks.register(check_site_url, checks.Tags.security, deploy=True)
    checks.register(check_sender, checks.Tags.mail, deploy=True)
