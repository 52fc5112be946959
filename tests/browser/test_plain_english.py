"""The Plain English panel in a real browser: it checks the text while the editor
types, without reloading the page."""

import pytest
from playwright.sync_api import expect

from plainenglish.models import HouseWord
from tests import builders
from tests.browser.conftest import sign_in
from tests.browser.test_admin_accessibility import assert_no_violations

TYPED = (
    "Prior to your operation you will be given a leaflet by the nurse who looks "
    "after you on the ward and explains what happens on the day and afterwards too."
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_panel_updates_while_the_editor_types(live_server, new_page):
    sam = builders.make_user("sam", "Editors")
    HouseWord.objects.create(phrase="prior to", alternative="before")
    article = builders.make_article("Breast cancer recurrence", sections=2, owner=sam)
    page = new_page()
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    panel = page.locator("#plain-english")
    expect(panel).to_contain_text("These are the scores of the last saved version.")
    page.evaluate("window.notReloaded = true")

    page.locator("#sections-0 [contenteditable=true]").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(TYPED)

    expect(page.locator("#plain-english-status")).to_contain_text(
        "Checked as you typed", timeout=15_000
    )
    expect(panel).to_contain_text("Write “before” instead.")
    expect(panel).to_contain_text("A sentence of 30 words (the target is at most 25).")
    expect(panel).to_contain_text("“be given” may be the passive voice.")
    expect(page.locator("#sections-0 .plain-english-inline")).to_contain_text(
        "Plain English: reading age"
    )
    assert page.evaluate("window.notReloaded") is True
    assert_no_violations(page, "article form with the Plain English panel")
