from django.urls import include, path

from .auth import TokenView

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("reports/", include("api.reports")),
]
