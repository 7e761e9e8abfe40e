from django.urls import path

from api.calendar import DueDateView

app_name = "api"

urlpatterns: list = []

urlpatterns += [path("calendar/due-date/", DueDateView.as_view(), name="calendar-due-date")]  # calendar
