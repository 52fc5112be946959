"""Public pages checked in a real browser with axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import builders


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_article_page_has_no_accessibility_violations(live_server, new_page):
    team = builders.make_team()
    topic = builders.make_topic("Breast cancer", slug="breast-cancer")
    article = builders.publish(
        builders.make_article(
            "Breast cancer recurrence",
            topic=topic,
            references=[builders.make_reference()],
            credits=[("approved", builders.make_reviewer())],
        ),
        team,
    )
    page = new_page()
    for path in (
        "/",
        topic.get_absolute_url(),
        article.get_absolute_url(),
        "/missing/",
    ):
        page.goto(live_server.url + path)
        results = Axe().run(page)
        assert results.violations_count == 0, f"{path}: {results.generate_report()}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_user_can_skip_to_the_content(live_server, new_page):
    team = builders.make_team()
    article = builders.publish(builders.make_article("Secondary breast cancer"), team)
    page = new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    skip.press("Enter")
    assert page.url.endswith("#main")
