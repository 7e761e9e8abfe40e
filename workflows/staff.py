"""Staff accounts: a user, their agency (``StaffProfile``) and their roles (Django groups).

Only superusers and the ``admin`` role are ``is_staff`` (may log in to the Django admin). A staff
user who has acted on a dossier is deactivated, never deleted (``staff_deactivate``): the audit
trail keeps pointing at them.
"""

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from core.exceptions import InvalidInput
from core.roles import Role
from procedures.models import Agency

from .models import StaffProfile


def staff_upsert(
    *, username: str, password: str | None, agency_code: str, roles: Sequence[str]
) -> tuple[AbstractBaseUser, bool]:
    """Create or update a staff user; their roles become exactly ``roles``. Returns (user, created)."""
    username = (username or "").strip()
    if not username:
        raise InvalidInput("Thiếu tên đăng nhập.", fields={"username": ["Bắt buộc."]})
    unknown = sorted(set(roles) - set(Role.values))
    if unknown or not roles:
        raise InvalidInput(
            f"Vai trò không hợp lệ: {', '.join(unknown) or '(trống)'}. Chọn trong: {', '.join(Role.values)}.",
            fields={"role": unknown or ["Bắt buộc."]},
        )
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise InvalidInput(f"Không có cơ quan mã {agency_code!r}.", fields={"agency": ["Không tồn tại."]})
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        if password:
            user.set_password(password)
        elif created:
            raise InvalidInput("Tài khoản mới cần mật khẩu.", fields={"password": ["Bắt buộc."]})
        # The Django admin is for catalog and user administration only; other staff use the staff UI.
        user.is_staff = user.is_superuser or Role.ADMIN in roles
        user.save()
        StaffProfile.objects.update_or_create(user=user, defaults={"agency": agency})
        groups = [Group.objects.get_or_create(name=role)[0] for role in roles]
        user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name__in=roles))
        user.groups.add(*groups)
    return user, created


def staff_has_acted(user) -> bool:
    """Whether the user appears in the audit trail or owns a task: then they are kept forever."""
    from .models import DossierEvent, DossierTask

    return (
        DossierEvent.objects.filter(actor_id=user.pk).exists()
        or DossierTask.objects.filter(owner_id=user.pk).exists()
    )


def staff_deactivate(users) -> int:
    """Deactivate accounts (instead of deleting them): no more login, session or API token.
    Returns how many were active."""
    pks = [user.pk for user in users]
    return get_user_model().objects.filter(pk__in=pks, is_active=True).update(is_active=False)
