from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import preferences
from .forms import PreferencesForm

REVIEW = "articles.review_article"


def may_get_emails(user):
    """Return True for the people the site emails about its work: staff and
    reviewers."""
    return user.is_staff or user.has_perm(REVIEW)


@never_cache
@login_required
def preferences_page(request):
    """Let a signed-in member of staff or reviewer choose which emails they get."""
    user = request.user
    if not may_get_emails(user):
        raise PermissionDenied
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences.choose(user=user, wanted=form.cleaned_data["kinds"])
            messages.success(request, "Your email choices are saved.")
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(initial={"kinds": preferences.wanted_kinds(user)})
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(user.email)},
    )
