"""Create the three roles as groups with their permissions."""

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
        "reviews.add_reviewer",
        "reviews.change_reviewer",
        "reviews.view_reviewer",
        "reviews.add_credit",
        "reviews.change_credit",
        "reviews.delete_credit",
        "reviews.view_credit",
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
        "reviews.view_reviewer",
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
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_approval_reviewrequest"),
        ("articles", "0002_scheduledpublication_transition_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
