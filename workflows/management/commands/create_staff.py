"""``create_staff --username U --password P --agency CODE --role ROLE [--role ...]``."""

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import DomainError
from core.roles import Role
from workflows.staff import staff_upsert


class Command(BaseCommand):
    help = "Create or update a staff user of an agency with the given roles."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", help="Required for a new user; changes it for an existing one.")
        parser.add_argument("--agency", required=True, help="The agency's electronic id, e.g. 000.00.31.H57.")
        parser.add_argument(
            "--role", action="append", required=True, dest="roles", help=f"One of: {', '.join(Role.values)}."
        )

    def handle(self, *args, username, password, agency, roles, **options):
        try:
            user, created = staff_upsert(
                username=username, password=password, agency_code=agency, roles=roles
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "Created" if created else "Updated"
        self.stdout.write(
            f"{verb} staff user {user.username!r} at {agency} with roles {', '.join(sorted(roles))}."
        )
