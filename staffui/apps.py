from django.apps import AppConfig


class StaffUIConfig(AppConfig):
    name = "staffui"
    verbose_name = "Giao diện cán bộ"
