from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, GlossarySitemap
from infosite import health
from reviews.signin import SignInView, role_home

admin.site.site_header = "infosite editors"
admin.site.site_title = "infosite"
admin.site.index_title = "Patient information"

handler500 = "infosite.health.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", health.robots_txt, name="robots_txt"),
    # One sign-in page for every role, in the admin too: each lands at their home.
    path("admin/login/", SignInView.as_view()),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"articles": ArticleSitemap, "glossary": GlossarySitemap}},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/home/", role_home, name="role_home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("review/", include("reviews.urls")),
    path("plain-english/", include("plainenglish.urls")),
    path("emails/", include("notifications.urls")),
    path("", include("articles.urls")),
]
