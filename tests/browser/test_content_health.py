"""The content-health report in a real browser: axe-core finds nothing to fix,
and the filters and sorting work from the keyboard."""

import datetime

import pytest

from tests import builders
from tests.browser.conftest import sign_in
from tests.browser.test_admin_accessibility import assert_no_violations

HARD = (
    "<p>Adjuvant endocrine therapy considerably diminishes the probability of "
    "locoregional recurrence following conservative surgical intervention.</p>"
)


def build_site(team):
    breast = builders.make_topic("Breast cancer", slug="breast-cancer")
    after = builders.make_topic(
        "After treatment", slug="after-treatment", parent=breast
    )
    bowel = builders.make_topic("Bowel cancer", slug="bowel-cancer")
    hard = builders.make_article(
        "Breast cancer recurrence",
        topic=breast,
        owner=team.editor,
        sections=1,
        references=[
            builders.make_reference("Early and locally advanced breast cancer")
        ],
        reviewed_on=datetime.date(2019, 7, 1),
        next_review_on=datetime.date(2020, 7, 1),
    )
    builders.edit_section(hard, body=HARD)
    builders.make_article(
        "Tiredness after treatment",
        topic=after,
        sections=1,
        next_review_on=datetime.date(2099, 1, 10),
    )
    builders.make_article(
        "Bowel screening",
        topic=bowel,
        owner=team.publisher,
        sections=1,
        next_review_on=datetime.date(2099, 1, 10),
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_report_has_no_violations_and_works_by_keyboard(
    live_server, new_page, screenshot
):
    team = builders.make_team()
    build_site(team)
    page = new_page()
    sign_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Content-health report").click()
    assert page.get_by_role("heading", name="Content health").is_visible()
    assert_no_violations(page, "content-health report")
    screenshot(page, "content-health")

    # Filter to a topic and its sub-topics with the keyboard alone.
    page.get_by_label("Topic (with its sub-topics)").focus()
    page.keyboard.press("ArrowDown")  # "Bowel cancer"
    page.keyboard.press("ArrowDown")  # "Breast cancer"
    page.get_by_label("Only articles that need attention").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Show"
    page.wait_for_url("**/plain-english/health/?topic=breast-cancer*")
    table = page.locator("table.health-table")
    rows = table.get_by_role("row")
    assert rows.count() == 3  # the heading row and two articles
    assert (
        "2 articles: 1 overdue for review"
        in page.locator("#health-totals").inner_text()
    )

    # Sort by reading age, highest first: the heading says which way it is sorted.
    reading_age = page.get_by_role("columnheader", name="Reading age")
    reading_age.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=reading_age*")
    reading_age = page.get_by_role("columnheader", name="Reading age")
    assert reading_age.get_attribute("aria-sort") == "ascending"
    reading_age.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=-reading_age*")
    assert (
        page.get_by_role("columnheader", name="Reading age").get_attribute("aria-sort")
        == "descending"
    )
    first = page.locator("table.health-table").get_by_role("row").nth(1)
    assert "Breast cancer recurrence" in first.inner_text()
    assert_no_violations(page, "content-health report, filtered and sorted")

    # An address that cannot be used answers with a message, checked by axe too.
    page.goto(live_server.url + "/plain-english/health/?sort=nonsense&topic=gone")
    assert "cannot be sorted by “nonsense”" in page.content()
    assert_no_violations(page, "content-health report with notices")
