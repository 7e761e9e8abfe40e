"""Load the demo data once: an ``admin`` superuser (and, from later modules, the demo catalog).

Idempotent: running it again changes nothing that is already there.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_ADMIN = ("admin", "admin")


class Command(BaseCommand):
    help = "Create the demo superuser and demo data if they are missing."

    def handle(self, *args, **options):
        User = get_user_model()
        username, password = DEMO_ADMIN
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username=username, password=password, email="")
            self.stdout.write(f"Created superuser {username!r}.")
        self.stdout.write("")
        self.stdout.write("Demo accounts (change them before any real use):")
        self.stdout.write(f"  superuser  {username} / {password}   http://127.0.0.1:8000/admin/")
