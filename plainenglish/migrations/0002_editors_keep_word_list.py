"""Editors keep the house word list; publishers and reviewers may read it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Editors": ["add_houseword", "change_houseword", "delete_houseword", "view_houseword"],
    "Publishers": ["view_houseword"],
}


def allow_word_list(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="plainenglish", codename__in=codenames
                )
            )


def forbid_word_list(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="plainenglish")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plainenglish", "0001_readability_and_word_list"),
        ("reviews", "0007_editors_delete_drafts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(allow_word_list, forbid_word_list)]
