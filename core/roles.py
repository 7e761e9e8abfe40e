"""Staff roles. Each is a Django group of the same name (created by a data migration in workflows)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ tiếp nhận (Một cửa)")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    HEAD = "head", _("Lãnh đạo")
    SUPERVISOR = "supervisor", _("Quản lý Một cửa")
    ADMIN = "admin", _("Quản trị hệ thống")


# Roles a processing step can require of the officer who completes it.
STEP_ROLES = (Role.SPECIALIST, Role.HEAD, Role.RECEPTION)


def roles_of(user) -> set[str]:
    """The roles (group names) of a user; a superuser holds every role. Cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_onestop_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = {r.value for r in Role}
        else:
            known = {r.value for r in Role}
            cached = {name for name in user.groups.values_list("name", flat=True) if name in known}
        user._onestop_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def agency_id_of(user) -> int | None:
    """The id of the agency a staff user belongs to, or None (not staff)."""
    staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    return staff.agency_id if staff is not None else None
