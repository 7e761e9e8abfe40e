from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo và theo dõi thời hạn")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from workflows.signals import dossier_transition_recorded

        from . import checks  # noqa: F401 - registers the SQLite version check
        from .receivers import notify_citizen

        dossier_transition_recorded.connect(notify_citizen, dispatch_uid="notifications.notify_citizen")
