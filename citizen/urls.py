"""The citizen's public status page (/tra-cuu/): what the public API shows and nothing more."""

from django.urls import path

from . import views

app_name = "citizen"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.direct, name="direct"),
    path("<str:code>/danh-gia/", views.rate, name="rate"),
]
