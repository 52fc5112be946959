"""Signing in, for everyone who works on the site: each person lands at their
home, editors and publishers in the admin and reviewers on their reviews."""

from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache


def home_for(user):
    """Return the address of the person's home: the admin home for staff (editors
    and publishers), else their reviews."""
    if user.is_active and user.is_staff:
        return reverse("admin:index")
    return reverse("reviews:dashboard")


def _in_admin(url):
    return urlsplit(url).path.startswith(reverse("admin:index"))


class SignInView(auth_views.LoginView):
    """The sign-in page. After signing in it goes to ``next`` when that is on this
    site and the person may open it, else to their home."""

    def get_success_url(self):
        user = self.request.user
        url = self.get_redirect_url()  # empty unless on this site
        if not url or url == reverse("role_home"):
            return home_for(user)
        if _in_admin(url) and not user.is_staff:
            # The admin would only send them back here.
            return home_for(user)
        return url


@never_cache
@login_required
def role_home(request):
    """Send the signed-in person to their home (the public footer links here)."""
    return redirect(home_for(request.user))
