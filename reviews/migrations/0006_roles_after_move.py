"""The three roles, now that reviewers, credits and decisions belong to ``articles``.

Publishers may also change reviewers: only they can set a reviewer's kind and
linked account."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Editors": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.submit_article",
        "articles.add_section",
        "articles.change_section",
        "articles.delete_section",
        "articles.view_section",
        "articles.add_articlereference",
        "articles.change_articlereference",
        "articles.delete_articlereference",
        "articles.view_articlereference",
        "articles.add_topic",
        "articles.change_topic",
        "articles.view_topic",
        "articles.add_reference",
        "articles.change_reference",
        "articles.view_reference",
        "articles.add_reviewer",
        "articles.change_reviewer",
        "articles.view_reviewer",
        "articles.add_credit",
        "articles.change_credit",
        "articles.delete_credit",
        "articles.view_credit",
    ],
    "Reviewers": [
        "articles.view_article",
        "articles.review_article",
    ],
    "Publishers": [
        "articles.view_article",
        "articles.publish_article",
        "articles.view_topic",
        "articles.view_reference",
        "articles.view_reviewer",
        "articles.change_reviewer",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.clear()
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_move_people_to_articles"),
        ("articles", "0005_fill_published_copies_and_fingerprints"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
