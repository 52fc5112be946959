"""Two editors on the same article in a real browser: the leave-page warning, who
else has it open, and both saving with nothing lost."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests import builders
from tests.browser.conftest import sign_in
from tests.browser.test_admin_accessibility import assert_no_violations

SAMS_TITLE = "Breast cancer coming back"
ALEXS_SUMMARY = "What to look out for, and who to call."
ALEXS_TEXT = "Your breast care nurse is there to help."


def named_editor(username, first, last):
    user = builders.make_user(username, "Editors")
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_editors_are_warned_see_each_other_and_lose_nothing(
    live_server, new_page, screenshot
):
    owner = named_editor("sam", "Sam", "Editor")
    named_editor("alex", "Alex", "Writer")
    article = builders.make_article(
        "Breast cancer recurrence", slug="breast-cancer-recurrence", owner=owner
    )
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    # Sam opens the article and changes the title.
    sam = new_page()
    sign_in(sam, live_server, "sam")
    sam.goto(change)
    sam.locator("#id_title").click()
    sam.locator("#id_title").fill(SAMS_TITLE)

    # Leaving now asks first; Sam stays.
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    sam.on("dialog", stay)
    sam.locator(".breadcrumbs a").first.click()
    expect(sam.locator("#id_title")).to_have_value(SAMS_TITLE)
    assert dialogs == ["beforeunload"]

    # Alex opens the same article and is told Sam has it open.
    alex = new_page()
    sign_in(alex, live_server, "alex")
    alex.goto(change)
    expect(alex.locator("#editing-presence")).to_contain_text(
        re.compile(r"Sam Editor has had this article open since \d\d:\d\d\.")
    )
    screenshot(alex, "editor-presence")
    # Sam's page learns about Alex without a reload. It checks in every 20 s, and
    # a check-in that fails on a busy moment is simply followed by the next one,
    # so allow two.
    expect(sam.locator("#editing-presence")).to_contain_text(
        re.compile(r"Alex Writer has had this article open since \d\d:\d\d\."),
        timeout=45_000,
    )

    # Sam saves: saving does not ask.
    sam.get_by_role("button", name="Save and continue editing").click()
    expect(sam.locator(".messagelist")).to_contain_text("was changed successfully")
    assert dialogs == ["beforeunload"]

    # Alex, from the version before Sam's save, changes the summary and a section.
    alex.locator("#id_summary").fill(ALEXS_SUMMARY)
    third = alex.locator("#sections-2 [contenteditable=true]")
    third.click()
    alex.keyboard.press("Control+A")
    alex.keyboard.type(ALEXS_TEXT)
    alex.get_by_role("button", name="Save and continue editing").click()

    # Refused, with what Alex typed still there and Sam's title beside Alex's.
    expect(alex.locator(".errornote, .errorlist").first).to_be_visible()
    conflict = alex.locator("#edit-conflict")
    expect(conflict).to_contain_text("Saved by Sam Editor while you were editing")
    title_row = conflict.locator("#conflict-title-row")
    expect(title_row).to_contain_text(SAMS_TITLE)
    expect(title_row.get_by_label("Take theirs")).to_be_checked()
    expect(alex.locator("#id_summary")).to_have_value(ALEXS_SUMMARY)
    expect(alex.locator("#sections-2 [contenteditable=true]")).to_contain_text(
        ALEXS_TEXT
    )
    expect(alex.locator("#editing-presence")).to_contain_text("Sam Editor")
    # Typing in the title ticks "Keep mine"; Alex thinks again and takes Sam's.
    alex.locator("#id_title").press_sequentially(" (draft)")
    expect(title_row.get_by_label("Keep mine")).to_be_checked()
    title_row.get_by_label("Take theirs").check()
    assert_no_violations(alex, "the form after a refused save")
    conflict.scroll_into_view_if_needed()
    screenshot(alex, "editor-conflict")

    alex.get_by_role("button", name="Save and continue editing").click()
    expect(alex.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(alex.locator("#id_title")).to_have_value(SAMS_TITLE)
    # Everything is saved now: leaving asks nothing.
    alex.on("dialog", stay)
    alex.locator("#id_title").click()
    alex.locator(".breadcrumbs a").last.click()
    expect(alex).to_have_url(re.compile(r"/admin/articles/article/$"))
    assert dialogs == ["beforeunload"]

    saved = Article.objects.get(pk=article.pk)
    assert saved.title == SAMS_TITLE
    assert saved.summary == ALEXS_SUMMARY
    assert ALEXS_TEXT in list(saved.sections.all())[2].body
