"""The editor's "Our articles" button in a real browser: find an article by title
and link to it, stored by article."""

import pytest
from playwright.sync_api import expect

from articles.models import Section
from tests import builders
from tests.browser.conftest import sign_in


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
