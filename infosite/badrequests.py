"""Requests no page should ever see.

A null character cannot be stored in PostgreSQL text and is never part of
anything a person types: a request carrying one in a query parameter or a form
field is refused with 400 Bad Request (the site's own page) before any view
runs, so no search, filter or save reaches the database with it.
"""

from django.core.exceptions import SuspiciousOperation

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NullCharacter(SuspiciousOperation):
    pass


def _carries_null(data):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in data.lists()
    )


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_null(request.GET) or (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and _carries_null(request.POST)
        ):
            raise NullCharacter("A null character in a query parameter or form field.")
        return self.get_response(request)
