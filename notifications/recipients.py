"""Who hears about a deadline, as SQL joined to the rows being warned about (never a query per row).

``STAFF_SQL`` is every active user with each of their roles (Django groups) and their agency, the
agency NULL for a user without a staff profile (province-wide). The target subqueries below join a
CTE ``c`` of the claimed rows to it and return ``(target_id, user_id, email)``; ``UNION`` (not
``UNION ALL``) gives each user once per row, also one who is both head and supervisor:

- a task overdue: the heads of the task's agency, the supervisors of the dossier's receiving agency
  and of the task's agency, and the province-wide supervisors;
- a task due soon: its owner if claimed (active or not: the task is theirs), otherwise every active
  holder of the task's role in the task's agency;
- a dossier overdue: the heads and supervisors of the receiving agency, and the province-wide
  supervisors;
- a dossier due soon: the heads of the receiving agency.

Roles are named parameters (``%(head)s``, ``%(supervisor)s``, ``%(active)s``): see ``role_params``.
"""

from django.contrib.auth import get_user_model

from core.roles import Role
from workflows.models import StaffProfile

_USER = get_user_model()
_USER_TABLE = _USER._meta.db_table
_MEMBERSHIP = _USER.groups.through._meta.db_table
_GROUP = _USER.groups.field.related_model._meta.db_table
_STAFF = StaffProfile._meta.db_table

STAFF_SQL = (
    f"SELECT u.id AS user_id, u.email AS email, g.name AS role, sp.agency_id AS agency_id"
    f" FROM {_USER_TABLE} u JOIN {_MEMBERSHIP} ug ON ug.user_id = u.id"
    f" JOIN {_GROUP} g ON g.id = ug.group_id LEFT JOIN {_STAFF} sp ON sp.user_id = u.id"
    f" WHERE u.is_active = %(active)s"
)


def role_params() -> dict:
    return {"active": True, "head": Role.HEAD.value, "supervisor": Role.SUPERVISOR.value}


def _holders(role: str, agency: str) -> str:
    """Rows of ``c`` with the active holders of ``role`` in the agency ``agency`` (SQL of ``c``)."""
    return (
        f"SELECT c.id AS target_id, r.user_id, r.email FROM c"
        f" JOIN staff r ON r.role = {role} AND r.agency_id = {agency}"
    )


_PROVINCE_SUPERVISORS = (
    "SELECT c.id AS target_id, r.user_id, r.email FROM c"
    " JOIN staff r ON r.role = %(supervisor)s AND r.agency_id IS NULL"
)

TARGETS_SQL = {
    "task_overdue": " UNION ".join(
        [
            _holders("%(head)s", "c.agency_id"),
            _holders("%(supervisor)s", "c.receiving_agency_id"),
            _holders("%(supervisor)s", "c.agency_id"),
            _PROVINCE_SUPERVISORS,
        ]
    ),
    "task_due_soon": " UNION ".join(
        [
            f"SELECT c.id AS target_id, o.id AS user_id, o.email AS email FROM c"
            f" JOIN {_USER_TABLE} o ON o.id = c.owner_id",
            _holders("c.role", "c.agency_id") + " WHERE c.owner_id IS NULL",
        ]
    ),
    "dossier_overdue": " UNION ".join(
        [
            _holders("%(head)s", "c.receiving_agency_id"),
            _holders("%(supervisor)s", "c.receiving_agency_id"),
            _PROVINCE_SUPERVISORS,
        ]
    ),
    "dossier_due_soon": _holders("%(head)s", "c.receiving_agency_id"),
}
