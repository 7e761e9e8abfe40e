"""The Django admin is for the ``admin`` role and superusers: other staff lose ``is_staff``.

Before, ``create_staff`` made every staff account ``is_staff``, so a reception officer of any
agency could open /admin/ and read the dossiers of every agency.
"""

from django.db import migrations
from django.db.models import Q

ROLES = ("reception", "specialist", "head", "supervisor", "admin")


def clear_is_staff(apps, schema_editor):
    User = apps.get_model("auth", "User")
    staff = Q(staff__isnull=False) | Q(groups__name__in=ROLES)
    keep = User.objects.filter(groups__name="admin").values("pk")
    User.objects.filter(pk__in=User.objects.filter(staff).values("pk")).filter(
        is_staff=True, is_superuser=False
    ).exclude(pk__in=keep).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0005_visibility_count_indexes")]

    operations = [migrations.RunPython(clear_is_staff, migrations.RunPython.noop)]
