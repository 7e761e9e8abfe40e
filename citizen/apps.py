from django.apps import AppConfig


class CitizenConfig(AppConfig):
    name = "citizen"
    verbose_name = "Tra cứu hồ sơ của công dân"
