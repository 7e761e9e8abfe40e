from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        # Flow node permissions are registered when flows.py is imported (docs/viewflow.md, note 4).
        from . import flows  # noqa: F401
