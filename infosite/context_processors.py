from django.conf import settings


def site(request):
    """Give every template the organisation's name and contact address."""
    return {
        "organisation_name": settings.INFOSITE["ORGANISATION_NAME"],
        "contact_email": settings.INFOSITE["CONTACT_EMAIL"],
    }
