"""The public site exported as files, and kept current by the task worker."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from articles import export, workflow
from infosite import settings as project_settings
from tests import builders

NEW_TEXT = "A new paragraph about scans after treatment."


def exported(directory, path):
    return (directory / export.file_for(path)).read_text()


@pytest.mark.django_db
def test_every_public_page_the_sitemap_and_the_assets_are_written(
    client, tmp_path, article, topic
):
    with override_settings(ALLOWED_HOSTS=["info.example.org", "testserver"]):
        call_command(
            "export_static", str(tmp_path), "--base-url", "https://info.example.org"
        )

    for path in ("/", topic.get_absolute_url(), article.get_absolute_url()):
        assert exported(tmp_path, path) == client.get(path).content.decode()
    assert "https://info.example.org/articles/breast-cancer-recurrence/" in (
        (tmp_path / "sitemap.xml").read_text()
    )
    assert (tmp_path / "static" / "css" / "site.css").is_file()
    assert (tmp_path / "articles" / "breast-cancer-recurrence" / "index.html").is_file()


@pytest.mark.django_db
def test_a_second_export_rewrites_only_what_changed(tmp_path, article, team, capsys):
    call_command("export_static", str(tmp_path))
    capsys.readouterr()
    call_command("export_static", str(tmp_path))
    assert "0 files written, 0 removed" in capsys.readouterr().out

    builders.edit_section(article, body=f"<p>{NEW_TEXT}</p>", user=team.editor)
    builders.publish(article, team)
    call_command("export_static", str(tmp_path), "--no-assets")
    out = capsys.readouterr().out
    assert NEW_TEXT in exported(tmp_path, article.get_absolute_url())
    # Only the article page: the sitemap gives dates by the day.
    assert "1 file written, 0 removed" in out


@pytest.mark.django_db
def test_an_unpublished_page_is_removed_from_the_export(tmp_path, article, team):
    call_command("export_static", str(tmp_path), "--no-assets")
    page = tmp_path / export.file_for(article.get_absolute_url())
    assert page.is_file()

    workflow.unpublish(article, by=team.publisher, comment="Out of date")
    call_command("export_static", str(tmp_path), "--no-assets")

    assert not page.exists()
    assert article.title not in exported(tmp_path, "/")


@pytest.mark.django_db
def test_a_bad_site_address_is_refused_and_nothing_written(tmp_path, article):
    with pytest.raises(CommandError, match="must look like https://example.org"):
        call_command("export_static", str(tmp_path / "site"), "--base-url", "info")
    assert not any((tmp_path / "site").glob("**/*.html"))
    with pytest.raises(CommandError, match="not one of the site's ALLOWED_HOSTS"):
        call_command(
            "export_static",
            str(tmp_path / "site"),
            "--base-url",
            "https://evil.example",
        )
    assert not any((tmp_path / "site").glob("**/*.html"))


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_refreshes_the_export_after_a_publish(tmp_path):
    team = builders.make_team()
    article = builders.publish(builders.make_article("Breast cancer recurrence"), team)
    options = {**project_settings.INFOSITE, "EXPORT_DIR": str(tmp_path)}
    with override_settings(INFOSITE=options):
        call_command("export_static", str(tmp_path), "--no-assets")
        builders.edit_section(article, body=f"<p>{NEW_TEXT}</p>", user=team.editor)
        builders.publish(article, team)
        waiting = DBTaskResult.objects.filter(status="READY")
        assert waiting.count() >= 1
        assert NEW_TEXT not in exported(tmp_path, article.get_absolute_url())

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert NEW_TEXT in exported(tmp_path, article.get_absolute_url())
    assert not DBTaskResult.objects.filter(status="READY").exists()
    state = json.loads((tmp_path / export.STATE_FILE).read_text())
    assert state["version"] >= 1


@pytest.mark.django_db
def test_a_refresh_for_a_version_already_exported_does_nothing(tmp_path, article):
    done = export.export(tmp_path, base_url="http://localhost", assets=False)
    assert done["pages"] >= 3
    state = json.loads((tmp_path / export.STATE_FILE).read_text())
    again = export.export(
        tmp_path,
        base_url="http://localhost",
        assets=False,
        if_older_than=state["version"],
    )
    assert again["skipped"]


@pytest.mark.django_db
def test_no_export_directory_means_no_task(
    article, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        builders.edit_section(article, body=f"<p>{NEW_TEXT}</p>", user=team.editor)
        builders.publish(article, team)
    assert not DBTaskResult.objects.exists()
