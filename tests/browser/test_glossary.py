"""The glossary in a real browser: the A–Z page and marked terms on an article
pass axe-core (WCAG 2.2 AA), a definition is reached by keyboard and announced
with the term, and everything works with JavaScript turned off."""

import pytest
from playwright.sync_api import expect

from tests import builders
from tests.browser.test_admin_accessibility import assert_no_violations

DEFINITION = (
    "Breast cancer that has spread from the breast to other parts of the body, "
    "such as the bones, lungs or liver."
)
BODY = (
    "<p>Sometimes breast cancer comes back in another part of the body. This is "
    "called secondary breast cancer. Your oncologist will talk with you about it.</p>"
    "<p>Your team may check your lymph nodes. Secondary breast cancer can be "
    'treated. Read <a href="https://www.nhs.uk/">NHS advice on lymph nodes</a>.</p>'
)


def make_term(team, title, definition, variants=""):
    term = builders.make_term(
        title,
        definition=definition,
        variants=variants,
        slug=title.lower().replace(" ", "-"),
    )
    return builders.publish_term(term, team)


@pytest.fixture
def glossary_site(db):
    """Three live terms, and a live article that uses them, published after."""
    team = builders.make_team()
    make_term(team, "Secondary breast cancer", DEFINITION)
    make_term(
        team,
        "Oncologist",
        "A doctor who treats cancer with medicines or radiotherapy.",
        "oncologists",
    )
    make_term(
        team,
        "Lymph nodes",
        "Small glands that filter fluid from the body's tissues and help fight "
        "infection.",
        "lymph node",
    )
    topic = builders.make_topic("Breast cancer", slug="breast-cancer")
    article = builders.make_article("Breast cancer recurrence", topic=topic, sections=1)
    builders.edit_section(article, body=BODY)
    return builders.publish(article, team)


def tab_to(page, locator, *, limit=40):
    """Press Tab until ``locator`` has the focus; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_glossary_and_marked_article_have_no_violations(
    glossary_site, live_server, new_page
):
    page = new_page()
    page.goto(live_server.url + "/glossary/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medical words explained")
    expect(page.locator("dt", has_text="Secondary breast cancer")).to_be_visible()
    assert_no_violations(page, "/glossary/")

    page.goto(live_server.url + glossary_site.get_absolute_url())
    marks = page.locator("a.glossary-term")
    expect(marks).to_have_text(["secondary breast cancer", "oncologist", "lymph nodes"])
    assert_no_violations(page, "article with marked terms")
    # Every mark points at a definition on the page.
    for target in marks.evaluate_all("links => links.map(l => l.hash.slice(1))"):
        expect(page.locator(f"#{target} dd")).to_be_visible()
    # Open the first definition (by its link, or the page's own way of showing
    # it) and check the page again with it shown.
    marks.first.focus()
    page.keyboard.press("Enter")
    assert_no_violations(page, "article with a definition shown")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_marked_term_is_announced_with_its_definition(
    glossary_site, live_server, new_page
):
    page = new_page()
    page.goto(live_server.url + glossary_site.get_absolute_url())
    mark = page.get_by_role("link", name="secondary breast cancer", exact=True)
    expect(mark).to_have_accessible_description(DEFINITION)


def _reach_definition_by_keyboard(page, live_server, article):
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(live_server.url + article.get_absolute_url())
    mark = page.get_by_role("link", name="secondary breast cancer", exact=True)
    tab_to(page, mark)
    expect(page.locator("#define-secondary-breast-cancer")).not_to_be_in_viewport()
    page.keyboard.press("Enter")
    return mark


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_enter_on_a_term_goes_to_its_definition(
    glossary_site, live_server, browser
):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        _reach_definition_by_keyboard(page, live_server, glossary_site)
        page.wait_for_url("**#define-secondary-breast-cancer")
        expect(page.locator("#define-secondary-breast-cancer")).to_be_in_viewport()
        definition = page.locator("#define-secondary-breast-cancer")
        expect(definition).to_contain_text("Secondary breast cancer")
        expect(definition).to_contain_text(DEFINITION)
        # The keyboard carries on from the definition: the next Tab reaches its
        # link to the glossary, not the text after the term.
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('[id]').id")
        assert focused == "define-secondary-breast-cancer"
        # And to the A–Z page, still without JavaScript.
        page.keyboard.press("Enter")
        page.wait_for_url("**/glossary/#secondary-breast-cancer")
        expect(page.locator("#secondary-breast-cancer")).to_contain_text(DEFINITION)
        expect(
            page.locator("#secondary-breast-cancer").get_by_role(
                "link", name="Breast cancer recurrence"
            )
        ).to_be_visible()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_with_javascript_enter_on_a_term_shows_its_definition(
    glossary_site, live_server, new_page
):
    page = new_page()
    mark = _reach_definition_by_keyboard(page, live_server, glossary_site)
    # Either the definition list is scrolled to, or a toggletip shows the
    # definition next to the term; either way the reader sees the definition.
    shown = page.get_by_text(DEFINITION).locator("visible=true").first
    expect(shown).to_be_in_viewport()
    expect(mark).to_have_accessible_description(DEFINITION)
    # Escape puts things back as they were, with the focus on the term.
    page.keyboard.press("Escape")
    expect(page.locator(".glossary-tip")).to_have_count(0)
    expect(mark).to_be_focused()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_tap_on_a_term_shows_its_definition(glossary_site, live_server, browser):
    context = browser.new_context(
        locale="en-GB", has_touch=True, viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(live_server.url + glossary_site.get_absolute_url())
        mark = page.get_by_role("link", name="oncologist", exact=True)
        mark.tap()
        definition = "A doctor who treats cancer with medicines or radiotherapy."
        expect(
            page.get_by_text(definition).locator("visible=true").first
        ).to_be_in_viewport()
    finally:
        context.close()
