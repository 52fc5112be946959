from django.urls import path

from . import views

app_name = "plainenglish"
urlpatterns = [
    path("check/", views.check_draft, name="check"),
    path("health/", views.content_health, name="health"),
]
