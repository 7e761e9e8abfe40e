from django.urls import include, path

from api.calendar import DueDateView

from .auth import TokenView

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("", include("api.procedures")),  # catalog: /procedures/, /procedures/{code}/
]

urlpatterns += [path("calendar/due-date/", DueDateView.as_view(), name="calendar-due-date")]  # calendar
