"""A long article history in a real browser: its pages are reachable from the
keyboard and pass axe-core's WCAG 2.2 AA rules."""

import pytest

from tests import builders
from tests.browser.conftest import sign_in
from tests.browser.test_admin_accessibility import assert_no_violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_long_history_pages_by_keyboard_and_has_no_violations(live_server, new_page):
    team = builders.make_team()
    article = builders.make_article("Breast cancer recurrence", user=team.editor)
    builders.add_saved_versions(article, 119, user=team.editor)
    page = new_page()
    sign_in(page, live_server, "editor")
    history = f"{live_server.url}/admin/articles/article/{article.pk}/history/"

    page.goto(history)
    assert_no_violations(page, "history, page 1")
    pages = page.get_by_role("navigation", name="Pages of saved versions")
    assert "120 saved versions: page 1 of 3." in pages.inner_text()

    pages.get_by_role("link", name="Older versions").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{history}?p=2")
    link = pages.get_by_role("link", name="Page 2", exact=True)
    assert link.get_attribute("aria-current") == "page"
    assert (
        page.locator("#change-history th[scope=row]")
        .first.inner_text()
        .startswith("Version 70 · ")
    )
    assert_no_violations(page, "history, page 2")
