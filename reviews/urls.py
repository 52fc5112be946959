from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("due/", views.reviews_due, name="due"),
    path("articles/<int:pk>/", views.article_workspace, name="article"),
    path("articles/<int:pk>/compare/", views.compare_revisions, name="compare"),
    path("articles/<int:pk>/submit/", views.submit, name="submit"),
    path("articles/<int:pk>/approve/", views.approve, name="approve"),
    path(
        "articles/<int:pk>/request-changes/",
        views.request_changes,
        name="request_changes",
    ),
    path("articles/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("articles/<int:pk>/publish/", views.publish, name="publish"),
    path("articles/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("articles/<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path(
        "articles/<int:pk>/cancel-schedule/",
        views.cancel_schedule,
        name="cancel_schedule",
    ),
    path("articles/<int:pk>/expiry/", views.set_expiry, name="set_expiry"),
    path("articles/<int:pk>/owner/", views.change_owner, name="change_owner"),
    path("articles/<int:pk>/expiry/clear/", views.clear_expiry, name="clear_expiry"),
    path("articles/<int:pk>/review-dates/", views.correct_dates, name="correct_dates"),
    path(
        "records/<str:kind>/<int:pk>/approve/",
        views.approve_record,
        name="approve_record",
    ),
]
