"""Reviewers, credits and decisions now belong to ``articles``; their tables stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_reviewreminder"),
        ("articles", "0003_reviewer_credit_approval"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reviewrequest",
                    name="reviewer",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="review_requests", to="articles.reviewer"),
                ),
                migrations.DeleteModel(name="Approval"),
                migrations.DeleteModel(name="Credit"),
                migrations.DeleteModel(name="Reviewer"),
            ],
        ),
    ]
