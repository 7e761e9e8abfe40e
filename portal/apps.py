from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Đồng bộ Cổng dịch vụ công quốc gia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from workflows.signals import dossier_transition, dossier_transition_recorded

        from .receivers import queue_after_commit, write_sync_row

        dossier_transition_recorded.connect(write_sync_row, dispatch_uid="portal.write_sync_row")
        dossier_transition.connect(queue_after_commit, dispatch_uid="portal.queue_after_commit")
