"""System check: the sweep's statements need ``RETURNING``, which SQLite has from 3.35 (2021).

PostgreSQL has it in every supported version. On SQLite the claim (``UPDATE … RETURNING id``) and
the notifications' insert (``INSERT … ON CONFLICT DO NOTHING RETURNING``) would fail at the first
sweep; ``manage.py check`` (run by ``migrate`` and ``runserver``) says so at once instead.
"""

import sqlite3

from django.conf import settings
from django.core import checks

MIN_SQLITE = (3, 35, 0)


def sqlite_returning(version: tuple[int, ...], databases: dict) -> list[checks.CheckMessage]:
    uses_sqlite = any(db["ENGINE"].endswith("sqlite3") for db in databases.values())
    if not uses_sqlite or tuple(version) >= MIN_SQLITE:
        return []
    found = ".".join(map(str, version))
    return [
        checks.Error(
            f"SQLite {found} has no RETURNING; the deadline sweep needs SQLite 3.35 or later.",
            hint="Use Python built with a newer SQLite (Debian 12 ships 3.40) or PostgreSQL.",
            id="notifications.E001",
        )
    ]


@checks.register()
def check_sqlite_returning(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return sqlite_returning(sqlite3.sqlite_version_info, settings.DATABASES)
