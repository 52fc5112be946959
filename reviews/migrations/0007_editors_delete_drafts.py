"""Editors may delete articles: the admin lets them delete only drafts that were
never on the public site, and keeps those recoverable."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
PERMISSION = ("articles", "delete_article")


def allow_deleting_drafts(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs it now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = PERMISSION
    permission = Permission.objects.get(
        content_type__app_label=app_label, codename=codename
    )
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.add(permission)


def forbid_deleting(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    app_label, codename = PERMISSION
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label=app_label, codename=codename
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_roles_after_move"),
        ("articles", "0008_expiry_owner_staff_and_moves"),
    ]

    operations = [migrations.RunPython(allow_deleting_drafts, forbid_deleting)]
