from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # Before any URLconf is imported: api.procedures and api.urls both route on <code:…>.
        from django.urls import register_converter

        from .converters import CodeConverter

        register_converter(CodeConverter, "code")
