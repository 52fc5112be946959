"""Which kinds of email each person gets."""

from django.db import transaction

from .models import Kind, OptOut


def wanted_kinds(user):
    """Return the kinds of email ``user`` gets, in the order they are listed."""
    off = set(OptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [kind for kind in Kind.values if kind not in off]


def choose(*, user, wanted):
    """Keep the kinds in ``wanted`` on for ``user`` and turn every other kind off."""
    wanted = set(wanted)
    unknown = wanted - set(Kind.values)
    if unknown:
        raise ValueError(f"Unknown kinds of email: {sorted(unknown)}")
    with transaction.atomic():
        OptOut.objects.filter(user=user, kind__in=wanted).delete()
        OptOut.objects.bulk_create(
            [
                OptOut(user=user, kind=kind)
                for kind in Kind.values
                if kind not in wanted
            ],
            ignore_conflicts=True,  # a second tab saving the same choice at once
        )
