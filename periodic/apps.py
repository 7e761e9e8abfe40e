from django.apps import AppConfig


class PeriodicConfig(AppConfig):
    name = "periodic"
    verbose_name = "Báo cáo định kỳ"
    default_auto_field = "django.db.models.BigAutoField"
