import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_fill_published_copies_and_fingerprints"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="live_revision"),
        migrations.AlterField(
            model_name="approval",
            name="round",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="articles.transition",
            ),
        ),
        migrations.AddConstraint(
            model_name="approval",
            constraint=models.UniqueConstraint(
                fields=("round", "reviewer", "decision"),
                name="approval_once_per_round",
                violation_error_message="This decision is already recorded.",
            ),
        ),
    ]
