from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("glossary/", views.glossary, name="glossary"),
    path("preview/articles/<int:pk>/", views.preview_draft, name="preview"),
    path(
        "preview/articles/<int:pk>/revisions/<int:revision_id>/",
        views.preview_revision,
        name="preview_revision",
    ),
]
