"""The citizen's public status page (/tra-cuu/): what the public API shows and nothing more."""

from django.urls import path  # noqa: F401

app_name = "citizen"
urlpatterns: list = []
