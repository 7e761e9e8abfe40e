"""The user admin: who may grant what, and deactivation instead of deletion.

Only superusers grant superuser, staff (admin login) or the ``admin`` role, edit the account of a
superuser, an admin or any other admin-login account, or change their passwords. A user of the
``admin`` role administers the other staff: their names, e-mail, active flag and the other roles.
This is enforced on the server: the privileged fields are read-only (a posted value is ignored),
the admin group is not a valid choice, and the change and password views of privileged accounts
answer 403. A user who has acted on a dossier is never deleted (the audit trail points at them):
the admin refuses with a message and offers deactivation.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role

from .staff import staff_deactivate, staff_has_acted

User = get_user_model()

# The roles a user of the ``admin`` role may grant: every one but ``admin`` itself.
GRANTABLE_ROLES = tuple(role.value for role in Role if role != Role.ADMIN)
PRIVILEGED_FIELDS = ("is_staff", "is_superuser", "user_permissions")

NOT_DELETED = _(
    "Không thể xóa tài khoản %(user)s: cán bộ này đã xử lý hồ sơ và nhật ký hồ sơ phải giữ người "
    "thực hiện. Hãy vô hiệu hóa tài khoản (bỏ chọn “Hoạt động” hoặc dùng thao tác “Vô hiệu hóa tài "
    "khoản đã chọn”)."
)


def is_privileged(user) -> bool:
    """A superuser, an account that may log in to the admin, or a holder of the ``admin`` role."""
    return user.is_superuser or user.is_staff or has_role(user, Role.ADMIN)


def _restricted(request) -> bool:
    return not request.user.is_superuser


@admin.action(description=_("Vô hiệu hóa tài khoản đã chọn"), permissions=["change"])
def deactivate_users(modeladmin, request, queryset):
    users = list(queryset)
    if _restricted(request):
        skipped = [user for user in users if is_privileged(user)]
        users = [user for user in users if not is_privileged(user)]
        if skipped:
            modeladmin.message_user(
                request,
                _("Chỉ quản trị cấp cao (superuser) được vô hiệu hóa: %(users)s.")
                % {"users": ", ".join(user.get_username() for user in skipped)},
                messages.WARNING,
            )
    count = staff_deactivate(users)
    modeladmin.message_user(request, _("Đã vô hiệu hóa %(count)d tài khoản.") % {"count": count})


class UserAdmin(DjangoUserAdmin):
    actions = [deactivate_users]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if _restricted(request):
            readonly += [field for field in PRIVILEGED_FIELDS if field not in readonly]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and _restricted(request):
            kwargs["queryset"] = Group.objects.filter(name__in=GRANTABLE_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and _restricted(request) and is_privileged(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and ((_restricted(request) and is_privileged(obj)) or staff_has_acted(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletion one by one, refused for those who acted
        return actions

    def save_related(self, request, form, formsets, change):
        """A restricted admin edits only the grantable roles; other groups stay as they were."""
        kept = []
        if change and _restricted(request):
            kept = list(form.instance.groups.exclude(name__in=GRANTABLE_ROLES))
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*kept)

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None and staff_has_acted(user):
            self.message_user(request, NOT_DELETED % {"user": user.get_username()}, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        return super().delete_view(request, object_id, extra_context)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)
