"""The staff web UI: server-rendered pages over the services, selectors and permissions."""

from django.urls import path  # noqa: F401

app_name = "staffui"
urlpatterns: list = []
