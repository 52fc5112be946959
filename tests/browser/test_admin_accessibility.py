"""The pages editors and reviewers work in, checked in a real browser with axe-core.

WCAG 2.2 AA: axe runs with the wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa
rule tags, so a rule outside AA cannot hide a failure and best-practice advice
cannot fail the build.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import builders
from tests.browser.conftest import sign_in

WCAG_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    }
}


def assert_no_violations(page, where):
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_page_has_no_violations(live_server, new_page):
    page = new_page()
    for path in ("/accounts/login/", "/admin/login/"):
        page.goto(live_server.url + path)
        assert_no_violations(page, path)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_pages_have_no_violations(live_server, new_page, screenshot):
    team = builders.make_team()
    article = builders.make_article(
        "Breast cancer recurrence",
        references=[builders.make_reference()],
        owner=team.editor,
    )
    builders.submit(article, team)
    ownerless = builders.make_article("Secondary breast cancer", topic=None)
    page = new_page()
    sign_in(page, live_server, "editor")
    for path in (
        f"/admin/articles/article/{ownerless.pk}/change/",
        "/admin/articles/article/add/",
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        f"/review/articles/{article.pk}/",
        "/review/",
    ):
        page.goto(live_server.url + path)
        assert_no_violations(page, path)
        if path == "/admin/":
            screenshot(page, "editor-home")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_pages_have_no_violations(live_server, new_page):
    team = builders.make_team()
    article = builders.make_article("Breast cancer recurrence")
    builders.submit(article, team)
    page = new_page()
    sign_in(page, live_server, "clinician")
    for path in ("/review/", f"/review/articles/{article.pk}/"):
        page.goto(live_server.url + path)
        assert_no_violations(page, path)
