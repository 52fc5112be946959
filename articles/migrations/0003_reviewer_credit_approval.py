"""Reviewers, credits and decisions move here from ``reviews``: they are the
provenance of an article. Their tables keep their names, so no data moves."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_scheduledpublication_transition_and_more"),
        ("reviews", "0004_reviewreminder"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Reviewer",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=150)),
                        ("credentials", models.CharField(blank=True, max_length=200)),
                        ("kind", models.CharField(choices=[("clinical", "Clinical expert"), ("lived_experience", "Person with lived experience"), ("editorial", "Editorial team")], max_length=20)),
                        ("is_sample", models.BooleanField(default=False, verbose_name="sample person")),
                        ("user", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="reviewer_profile", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["name"], "db_table": "reviews_reviewer"},
                ),
                migrations.CreateModel(
                    name="Credit",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("wrote", "Written by"), ("reviewed", "Reviewed by"), ("approved", "Approved by")], max_length=10)),
                        ("order", models.PositiveIntegerField(default=0)),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="credits", to="articles.article")),
                        ("reviewer", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="credits", to="articles.reviewer")),
                    ],
                    options={
                        "ordering": ["order", "pk"],
                        "db_table": "reviews_credit",
                        "constraints": [models.UniqueConstraint(fields=("article", "reviewer", "role"), name="credit_once_per_role", violation_error_message="This person is already credited in this role.")],
                    },
                ),
                migrations.CreateModel(
                    name="Approval",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("decision", models.CharField(choices=[("approved", "Approved"), ("changes_requested", "Changes requested"), ("confirmed", "Confirmed still accurate")], max_length=20)),
                        ("comment", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="approvals", to="articles.article")),
                        ("reviewer", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="approvals", to="articles.reviewer")),
                        ("revision", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reversion.revision")),
                    ],
                    options={"ordering": ["-created_at", "-pk"], "db_table": "reviews_approval"},
                ),
            ],
        ),
    ]
