"""The leadership dashboard (/dashboard/)."""

from django.urls import path

from . import views, whatif

app_name = "leadership"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("what-if/", whatif.what_if, name="what-if"),
]
