"""The section editor in a real browser: the "Our articles" button finds an
article by title and links to it, stored by article; text pasted from Word is
cleaned up by the server and the editor is told what was removed."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Section
from tests import builders
from tests.browser.conftest import sign_in
from tests.browser.test_admin_accessibility import assert_no_violations

SAMPLES = Path(__file__).parents[1] / "articles" / "samples"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_links_to_one_of_our_articles(live_server, new_page):
    builders.make_user("sam", "Editors")
    topic = builders.make_topic("Breast cancer", slug="breast-cancer")
    target = builders.make_article(
        "Lymphoedema", slug="lymphoedema", topic=topic, sections=1
    )
    article = builders.make_article(
        "Breast surgery", slug="breast-surgery", topic=topic, sections=1
    )
    page = new_page()
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    editor = page.locator("#sections-0").get_by_role("textbox", name="Body")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" See ")
    page.locator("#sections-0").get_by_role(
        "button", name="Link to one of our articles"
    ).click()
    dialog = page.get_by_role("dialog", name="Link to one of our articles")
    dialog.get_by_label("Search by title").fill("lymph")
    expect(dialog.get_by_role("status")).to_have_text(
        "1 found. Choose one to link to it."
    )
    assert_no_violations(page, "the Our articles dialog")
    dialog.get_by_role("button", name="Lymphoedema (not on the site yet)").click()

    link = editor.locator(f'a[data-article="{target.pk}"]')
    expect(link).to_have_text("Lymphoedema")
    expect(link).to_have_attribute("href", "/articles/lymphoedema/")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    body = Section.objects.get(article=article).body
    assert (
        f'See <a href="/articles/lymphoedema/" data-article="{target.pk}">'
        "Lymphoedema</a>"
    ) in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pasting_from_word_keeps_lists_and_headings_and_says_what_went(
    live_server, new_page
):
    builders.make_user("sam", "Editors")
    article = builders.make_article("Lymphoedema", slug="lymphoedema", sections=1)
    word = (SAMPLES / "word_leaflet.html").read_text(encoding="utf-8")
    page = new_page()
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    editor = page.locator("#sections-0").get_by_role("textbox", name="Body")
    editor.click()
    page.keyboard.press("Control+A")
    editor.evaluate(
        """(node, html) => {
            const data = new DataTransfer()
            data.setData("text/html", html)
            data.setData("text/plain", "Living with lymphoedema")
            node.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }))
        }""",
        word,
    )

    expect(page.locator("#sections-0 .article-paste-note")).to_have_text(
        "Removed when pasting: 1 image, colours and fonts."
    )
    expect(editor.locator("h3").first).to_have_text("Living with lymphoedema")
    expect(editor.locator("ul > li")).to_have_count(3)
    expect(editor.locator("ol > li")).to_have_count(2)
    expect(editor.locator("table th")).to_have_count(2)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    body = Section.objects.get(article=article).body

    assert body.startswith("<h3>Living with lymphoedema</h3>")
    assert "<ul><li><p>Moisturise every day</p></li>" in body
