from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, GlossarySitemap
from infosite import health
from infosite.staff import AdminURLs, include_on_first_use
from reviews.signin import SignInView, role_home

handler500 = "infosite.health.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", health.robots_txt, name="robots_txt"),
    # One sign-in page for every role, in the admin too: each lands at their home.
    path("admin/login/", SignInView.as_view()),
    # Staff pages: their views and the admin are loaded on the first staff request
    # (infosite/staff.py), so a worker serving readers never loads them.
    include_on_first_use("admin/", AdminURLs(), "admin"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"articles": ArticleSitemap, "glossary": GlossarySitemap}},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/home/", role_home, name="role_home"),
    path("accounts/", include("django.contrib.auth.urls")),
    include_on_first_use("review/", "reviews.urls", "reviews"),
    include_on_first_use("plain-english/", "plainenglish.urls", "plainenglish"),
    include_on_first_use("emails/", "notifications.urls", "notifications"),
    path("", include("articles.urls")),
]
