"""Signing in, for everyone who works on the site: each person lands at their
home, editors and publishers in the admin and reviewers on their reviews."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

# The page a person was last sent to on signing in, kept in their session.
SIGNED_IN_FOR = "signed_in_for"


def home_for(user):
    """Return the address of the person's home: the admin home for staff (editors
    and publishers), else their reviews."""
    if user.is_active and user.is_staff:
        return reverse("admin:index")
    return reverse("reviews:dashboard")


def _in_admin(url):
    return urlsplit(url).path.startswith(reverse("admin:index"))


def cannot_open(user, url):
    """Return what a person is told when their account cannot open ``url``."""
    return (
        f"Your account ({user.get_username()}) cannot open {url}, so you are at "
        "your home page instead. If you need that page, ask the editorial team to "
        "give your account the role that opens it, or sign out and sign in with an "
        "account that can."
    )


class SignInView(auth_views.LoginView):
    """The sign-in page. After signing in it goes to ``next`` when that is on this
    site and the person may open it, else to their home."""

    def dispatch(self, request, *args, **kwargs):
        """Signing in needs the database: while it cannot be reached, the page
        says so (the site's 503 page, from ``DatabaseUnavailableMiddleware``)
        before anyone types a password, not once the form is sent."""
        if request.method in ("GET", "HEAD"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        """Send a person whom ``next`` refused straight after they signed in for it
        to their home, saying why: signing in again would only bring them back."""
        signed_in_for = request.session.pop(SIGNED_IN_FOR, None)
        url = self.get_redirect_url()
        if request.user.is_authenticated and url and url == signed_in_for:
            messages.info(request, cannot_open(request.user, url))
            return redirect(home_for(request.user))
        return super().get(request, *args, **kwargs)

    def get_success_url(self):
        user = self.request.user
        url = self.get_redirect_url()  # empty unless on this site
        if not url or url == reverse("role_home"):
            return home_for(user)
        if _in_admin(url) and not user.is_staff:
            # The admin would only send them back here.
            messages.info(self.request, cannot_open(user, url))
            return home_for(user)
        self.request.session[SIGNED_IN_FOR] = url
        return url


@never_cache
@login_required
def role_home(request):
    """Send the signed-in person to their home (the public footer links here)."""
    return redirect(home_for(request.user))
