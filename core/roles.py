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
