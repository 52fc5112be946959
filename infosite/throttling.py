"""Sign-in throttling, with django-axes: after too many wrong passwords for one
username from one address, that username is refused from that address for a
while, even with the right password. Other people, and the same person from
another address, sign in as usual.

The settings are ``AXES_*`` in infosite/settings.py; this module says where a
request comes from and what the person who is refused sees.
"""

from django.conf import settings
from django.shortcuts import render


def client_address(request):
    """Return the address the request came from.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each of which adds the
    address it received the request from to the end of X-Forwarded-For, the
    reader's address is that many places from the end: anything before it was
    written by the reader and may be made up.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # Not through the proxies as configured: trust only the connection.
        return remote
    return forwarded[-proxies]


def lockout_response(request, original_response=None, credentials=None):
    """The page for someone refused after too many wrong passwords: 429, with
    how long to wait in words and in Retry-After."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "registration/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
