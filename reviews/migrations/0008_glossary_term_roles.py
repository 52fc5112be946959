"""Glossary terms have their own page in the admin (a proxy of articles, with
permissions of its own): editors write them, reviewers and publishers see them.
Approving and publishing a term needs the same permissions as an article."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Editors": ["add", "change", "delete", "view"],
    "Reviewers": ["view"],
    "Publishers": ["view"],
}


def _permissions(apps, actions):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="articles",
        codename__in=[f"{action}_glossaryterm" for action in actions],
    )


def allow(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, actions in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*_permissions(apps, actions))


def forbid(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, actions in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, actions))


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_editors_delete_drafts"),
        ("articles", "0012_glossary_terms"),
    ]

    operations = [migrations.RunPython(allow, forbid)]
