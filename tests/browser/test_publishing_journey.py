"""The whole publishing journey in a real browser, as four people would do it."""

import re

import pytest
from playwright.sync_api import expect

from tests import builders
from tests.browser.conftest import sign_in

NEW_TEXT = "Call your breast care nurse if a new lump appears."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_change_is_reviewed_approved_and_published(live_server, new_page):
    team = builders.make_team()
    article = builders.publish(
        builders.make_article(
            "Breast cancer recurrence", slug="breast-cancer-recurrence"
        ),
        team,
    )
    public_url = live_server.url + article.get_absolute_url()
    reader = new_page()
    reader.goto(public_url)
    expect(reader.locator("main")).to_contain_text("Body text of section 1.")

    # The editor rewrites the first section in the admin's rich-text editor.
    editor = new_page()
    sign_in(editor, live_server, "editor")
    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    first_body = editor.locator("#sections-0 [contenteditable=true]")
    first_body.click()
    editor.keyboard.press("Control+A")
    editor.keyboard.type(NEW_TEXT)
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    # Saved, but not yet public.
    reader.reload()
    expect(reader.locator("main")).to_contain_text("Body text of section 1.")
    expect(reader.locator("main")).not_to_contain_text(NEW_TEXT)

    editor.get_by_role("link", name="Open in the review workspace").click()
    editor.get_by_label("Dr Sample Clinician").check()
    editor.get_by_label("Sample Lay Reviewer").check()
    editor.get_by_role("button", name="Send for review").click()
    expect(editor.locator(".message--success")).to_be_visible()

    # Both reviewers find it waiting, see what changed, and approve it.
    for username in ("clinician", "lay"):
        reviewer = new_page()
        sign_in(reviewer, live_server, username)
        expect(
            reviewer.get_by_role("heading", name="Waiting for your review")
        ).to_be_visible()
        reviewer.get_by_role("link", name="Breast cancer recurrence").first.click()
        expect(reviewer.locator("ins").filter(has_text="Call")).to_be_visible()
        reviewer.get_by_role("button", name="Approve this version").click()
        expect(reviewer.locator(".message--success")).to_be_visible()

    reader.reload()
    expect(reader.locator("main")).not_to_contain_text(NEW_TEXT)

    # The publisher publishes it as a minor correction.
    publisher = new_page()
    sign_in(publisher, live_server, "publisher")
    publisher.goto(f"{live_server.url}/review/articles/{article.pk}/")
    publish_now = publisher.get_by_role("region", name="Publish now")
    publish_now.get_by_label(re.compile("Minor correction")).check()
    # Its next review (1 July 2026) has passed, so the publisher confirms that
    # this correction needs no full review.
    publish_now.get_by_label("A full review is not needed now").check()
    publish_now.get_by_role("button", name="Publish now").click()
    expect(publisher.locator(".message--success")).to_be_visible()

    reader.reload()
    expect(reader.locator("main")).to_contain_text(NEW_TEXT)
    expect(reader.locator("main")).not_to_contain_text("Body text of section 1.")
    expect(reader.locator("main")).to_contain_text("Reviewed: 1 July 2023")
    article.refresh_from_db()
    assert article.live.revision_id == builders.current(article).pk
    last_moves = [t.action for t in article.transitions.order_by("pk")][-3:]
    assert last_moves == ["submit", "approve", "publish"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_moves_a_section_down_and_the_new_order_is_saved(live_server, new_page):
    builders.make_team()
    article = builders.make_article("Secondary breast cancer")
    editor = new_page()
    sign_in(editor, live_server, "editor")
    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor.locator("#sections-0").get_by_role("button", name="Move down").click()
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    headings = [section.heading for section in article.sections.all()]
    assert headings == ["Section heading 2", "Section heading 1", "Section heading 3"]
