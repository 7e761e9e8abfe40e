"""Load the demo data once: an ``admin`` superuser and each app's ``demo.load()``.

Every installed app may have a ``demo`` module with ``load(stdout) -> list[str]`` that creates its
demo data if missing and returns lines to print (credentials, counts). Idempotent: running it
again changes nothing that is already there.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

DEMO_ADMIN = ("admin", "admin")


class Command(BaseCommand):
    help = "Create the demo superuser and each app's demo data if they are missing."

    def handle(self, *args, **options):
        User = get_user_model()
        username, password = DEMO_ADMIN
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username=username, password=password, email="")
            self.stdout.write(f"Created superuser {username!r}.")
        lines = [f"superuser  {username} / {password}   http://127.0.0.1:8000/admin/"]
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "demo"):
                with transaction.atomic():
                    lines += import_module(f"{config.name}.demo").load(self.stdout) or []
        self.stdout.write("")
        self.stdout.write("Demo data (change these accounts before any real use):")
        for line in lines:
            self.stdout.write(f"  {line}")
