"""Fill what the new publication core stores, from what existing databases hold."""

from django.db import migrations

MOVED = ["reviewer", "credit", "approval"]


def move_content_types(apps, schema_editor):
    """Reviewers, credits and decisions now belong to ``articles``: their content
    types (and so their permissions and saved versions) follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    for model in MOVED:
        old = ContentType.objects.filter(app_label="reviews", model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label="articles", model=model).delete()
        old.app_label = "articles"
        old.save(update_fields=["app_label"])
    for version in Version.objects.filter(serialized_data__contains='"reviews.'):
        data = version.serialized_data
        for model in MOVED:
            data = data.replace(f'"reviews.{model}"', f'"articles.{model}"')
        version.serialized_data = data
        version.save(update_fields=["serialized_data"])


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_published_copies_and_fingerprints"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
